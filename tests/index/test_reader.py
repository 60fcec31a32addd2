"""Opening an index for questions (kb/index/reader.py): it never writes to the index, a stale
BM25 snapshot is rebuilt from Chroma and kept for the next reader, and an open index follows what
other processes ingest while showing each document in one published state."""

import os
import subprocess
import sys

import pytest

from kb.index.lexical import saved_token
from kb.index.reader import open_index
from kb.index.store import Store
from kb.ingest.pipeline import ingest
from kb.layout import DataLayout
from kb.qa.ask import ask
from tests.conftest import DOC_A, DOC_B, ROOT, copy_corpus, make_settings

pytestmark = pytest.mark.slow


def no_full_read(self):
    raise AssertionError("read every chunk back although the snapshot matched")


def test_a_stale_snapshot_is_rebuilt_kept_and_the_index_untouched(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    Store(s).set_info(bm25_token="from-another-host")  # as after another host's ingest
    before = Store(s).info()

    index = open_index(s)
    answer = ask(index, "Python for serverless?")

    assert answer.found and answer.citations[0].hit.chunk.doc_id == DOC_B
    assert len(index.bm25.ids) == Store(s).count()
    assert Store(s).info() == before  # the reader recorded nothing in the index
    assert saved_token(DataLayout.of(s).bm25) == "from-another-host"  # kept for that index state
    monkeypatch.setattr(Store, "all_chunks", no_full_read)
    assert open_index(s).bm25.token == "from-another-host"  # the next reader loads it


def test_while_an_ingest_is_writing_the_rebuilt_snapshot_is_not_kept(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    saved = saved_token(DataLayout.of(s).bm25)
    Store(s).set_info(bm25_token="other", writing="pid 1")  # another host's ingest, still writing
    assert ask(open_index(s), "Python for serverless?").found
    assert saved_token(DataLayout.of(s).bm25) == saved


def test_a_matching_snapshot_is_loaded_not_rebuilt(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    monkeypatch.setattr(Store, "all_chunks", no_full_read)
    index = open_index(s)
    assert index.bm25.token == Store(s).info()["bm25_token"]


ZEBRA = "Zebra Farming\n\nZebras on the farm eat quinoa grown by the Zorblax cooperative in Kenya.\n"


def cli_ingest(s) -> None:
    env = {**os.environ, "KB_CORPUS_DIR": str(s.corpus_dir), "KB_DATA_DIR": str(s.data_dir)}
    run = subprocess.run([sys.executable, "-m", "kb.cli", "ingest"], cwd=ROOT, env=env, capture_output=True)
    assert run.returncode == 0, run.stderr


def test_an_open_index_follows_an_ingest_by_another_process(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    index = open_index(s)
    assert ask(index, "Python for serverless?").found
    (s.corpus_dir / "zebra.txt").write_text(ZEBRA)
    a = s.corpus_dir / DOC_A
    a.write_text(a.read_text().replace("Python", "Pythonic"))  # most of its chunks replaced
    (s.corpus_dir / DOC_B).unlink()
    cli_ingest(s)

    zebra = ask(index, "What do zebras eat on the farm?")  # added by the other process
    assert zebra.found and zebra.citations[0].hit.chunk.doc_id == "zebra.txt"
    for q in ["Python for serverless?", "How long does a Django MVP take compared to NestJS?"]:
        answer = ask(index, q)  # before: TypeError on the deleted chunks
        assert {h.chunk.doc_id for h in answer.hits} <= {DOC_A, "zebra.txt"}
        assert {h.chunk.chunk_id for h in answer.hits} <= {c.chunk_id for c in Store(s).all_chunks()}


def test_readers_see_the_published_state_until_an_ingest_publishes_its_own(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    before = set(open_index(s).bm25.ids)
    a = s.corpus_dir / DOC_A
    a.write_text(a.read_text().replace("Python", "Pythonic"))
    (s.corpus_dir / "zebra.txt").write_text(ZEBRA)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # every chunk written, the new state not yet published

    with monkeypatch.context() as m:
        m.setattr("kb.ingest.pipeline.save_bm25", killed)
        with pytest.raises(KeyboardInterrupt):
            ingest(s)
    assert len({c.chunk_id for c in Store(s).all_chunks()} - before) > 10  # new chunks are stored
    for index in (open_index(s), open_index(s)):  # a new reader, and one that refreshes
        for q in ["Pythonic for serverless?", "What do zebras eat on the farm?", "Django MVP weeks?"]:
            answer = ask(index, q, k=10)
            assert {h.chunk.chunk_id for h in answer.hits} <= before  # the old state, whole
    ingest(s)
    answer = ask(index, "What do zebras eat on the farm?")
    assert answer.found and answer.citations[0].hit.chunk.doc_id == "zebra.txt"


def test_a_damaged_snapshot_is_rebuilt_with_a_notice_and_kept(tmp_path):
    from tests.index.test_lexical import largest_file, overwrite

    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    victim = largest_file(DataLayout.of(s).bm25)
    overwrite(victim)
    index = open_index(s)
    assert len(index.notices) == 1 and f"damaged ({victim.name} does not match" in index.notices[0]
    assert ask(index, "How long does a Django MVP take compared to NestJS?").found
    assert open_index(s).notices == []  # the rebuilt snapshot was kept
