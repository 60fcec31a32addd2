"""Everything a question needs, opened once: the store, the embedder, the BM25 index.

Opening never writes to the index. When the local BM25 snapshot is not the one the index info
names (another host ingested into a shared Chroma server, or an ingest was killed), the reader
builds one from Chroma and keeps it as this host's snapshot of that index state, if it can write
the data folder. Trade-off: that first question pays the rebuild (seconds at 100k chunks).
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.errors import IndexMissingError
from kb.index.checks import check_chunker, check_model
from kb.index.embedder import Embedder, query_embedder, resolve_model
from kb.index.lexical import Bm25Index
from kb.index.store import DocRecord, Store
from kb.layout import DataLayout
from kb.settings import Settings


@dataclass
class Index:
    settings: Settings
    store: Store
    embedder: Embedder
    bm25: Bm25Index

    def documents(self) -> list[DocRecord]:
        return sorted(self.store.doc_records().values(), key=lambda r: r.doc_id)


def _open(settings: Settings) -> tuple[Store, dict]:
    store = Store(settings, create=False)
    info = store.info() or {}
    check_model(info, resolve_model(settings.embed_model)[0])
    if not info or store.count() == 0:
        raise IndexMissingError("the index is empty: run `kb ingest` first")
    return store, info


def open_store(settings: Settings) -> Store:
    """The existing index's store; IndexMissingError when there is none or it is empty."""
    return _open(settings)[0]


def current_bm25(store: Store, settings: Settings, info: dict) -> Bm25Index:
    """The saved BM25 snapshot if the index info names it, else one built from Chroma."""
    folder, token = DataLayout.of(settings).bm25, info.get("bm25_token")
    snapshot = Bm25Index.load(folder)
    if snapshot is not None and snapshot.token == token:
        return snapshot
    snapshot = Bm25Index.build(store.all_chunks())
    if token:  # no token while an ingest is writing: what Chroma holds may be half of it
        snapshot.token = token  # a snapshot of exactly the state the info names
        try:
            snapshot.save(folder)
        except OSError:
            pass  # a read-only data folder: answer from memory
    return snapshot


def open_index(settings: Settings) -> Index:
    """Everything a question needs; IndexOutdatedError when an older chunker made the index."""
    store, info = _open(settings)
    check_chunker(info)
    return Index(settings, store, query_embedder(settings), current_bm25(store, settings, info))
