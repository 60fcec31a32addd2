"""Keeping the BM25 snapshot in step with Chroma (kb/ingest/bm25_sync.py), with real ingests."""

import pytest

from kb.index.lexical import Bm25Index, saved_token
from kb.index.store import Store
from kb.ingest.bm25_sync import save_bm25
from kb.ingest.pipeline import ingest
from kb.layout import DataLayout
from tests.conftest import DOC_A, DOC_B, assert_consistent, copy_corpus, make_settings

pytestmark = pytest.mark.slow


def test_bm25_is_patched_without_reading_every_chunk_and_matches_a_rebuild(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    a = s.corpus_dir / DOC_A
    a.write_text(a.read_text() + "\n\nEdge Functions\n\nDeno Deploy runs TypeScript at the edge.\n")
    (s.corpus_dir / "new.md").write_text("# Go for APIs\n\nGo compiles to a single static binary.\n")
    (s.corpus_dir / DOC_B).unlink()

    def no_full_read(self):
        raise AssertionError("BM25 was rebuilt from every chunk instead of patched")

    with monkeypatch.context() as m:
        m.setattr(Store, "all_chunks", no_full_read)
        ingest(s)
    folder = DataLayout.of(s).bm25
    patched = Bm25Index.load(folder)
    assert_consistent(s)  # ids match Chroma's, token recorded
    rebuilt = save_bm25(Store(s), s)
    assert patched.ids == rebuilt.ids
    for q in ["Deno Deploy edge", "static binary", "Django Channels", "hiring developers cost"]:
        assert patched.search(q, 5) == rebuilt.search(q, 5)
    assert patched.search("Deno Deploy edge", 1)[0][0] in {c.chunk_id for c in Store(s).all_chunks()}


def test_a_run_killed_before_publishing_leaves_the_old_state_published_and_marked(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    (s.corpus_dir / "new.md").write_text("# Go for APIs\n\nGo compiles to a single static binary.\n")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # everything is written; the BM25 snapshot is not

    monkeypatch.setattr("kb.ingest.pipeline.save_bm25", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest(s)
    monkeypatch.undo()
    assert Store(s).doc_records()["new.md"].status == "ok"
    info = Store(s).info()
    assert info["bm25_token"] == saved_token(DataLayout.of(s).bm25)  # readers keep the old state
    assert info["writing"]  # and the next run knows it must publish
    assert ingest(s).chunks_embedded == 0  # nothing to embed, yet BM25 is brought in line
    assert_consistent(s)
