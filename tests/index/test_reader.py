"""Opening an index for questions (kb/index/reader.py): it never writes to the index, and a stale
BM25 snapshot is rebuilt from Chroma and kept for the next reader."""

import pytest

from kb.index.lexical import saved_token
from kb.index.reader import open_index
from kb.index.store import Store
from kb.ingest.pipeline import ingest
from kb.layout import DataLayout
from kb.qa.ask import ask
from tests.conftest import DOC_B, copy_corpus, make_settings

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
    Store(s).set_info(bm25_token="")  # what an ingest records before its first write
    assert ask(open_index(s), "Python for serverless?").found
    assert saved_token(DataLayout.of(s).bm25) == saved


def test_a_matching_snapshot_is_loaded_not_rebuilt(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    monkeypatch.setattr(Store, "all_chunks", no_full_read)
    index = open_index(s)
    assert index.bm25.token == Store(s).info()["bm25_token"]
