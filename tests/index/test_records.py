"""Document records in a real embedded Chroma (kb/index/store.py)."""

from kb.index.store import DocRecord, Store
from tests.conftest import make_settings


def test_more_records_than_one_chroma_batch_are_all_written(tmp_path):
    store = Store(make_settings(tmp_path), create=True)
    n = store.client.get_max_batch_size() + 10  # e.g. a re-ingest that changed every document
    store.put_docs([DocRecord(f"d{i:05d}.txt", f"Doc {i}", "fp", 1, "now", "ok") for i in range(n)])
    records = store.doc_records()
    assert len(records) == n and records[f"d{n - 1:05d}.txt"].title == f"Doc {n - 1}"
