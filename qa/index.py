"""Everything a question needs, opened once: the store, the embedder, the BM25 snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.chunker import CHUNKER_VERSION
from ingest.embedder import Embedder, query_embedder
from ingest.lexical import Bm25Index
from ingest.pipeline import check_model, sync_bm25
from ingest.store import DocRecord, Store
from kb.errors import IndexMissingError, IndexOutdatedError
from kb.settings import Settings


@dataclass
class Index:
    settings: Settings
    store: Store
    embedder: Embedder
    bm25: Bm25Index

    def refresh(self) -> None:
        """Pick up a newer BM25 snapshot after an ingest (cheap when nothing changed)."""
        self.bm25 = sync_bm25(self.store, self.settings)

    def documents(self) -> list[DocRecord]:
        return sorted(self.store.doc_records().values(), key=lambda r: r.doc_id)


def _open(settings: Settings) -> tuple[Store, dict]:
    store = Store(settings, create=False)
    info = check_model(store, settings)
    if not info or store.count() == 0:
        raise IndexMissingError("the index is empty: run `kb ingest` first")
    return store, info


def open_store(settings: Settings) -> Store:
    """The existing index's store; IndexMissingError when there is none or it is empty."""
    return _open(settings)[0]


def open_index(settings: Settings) -> Index:
    """Everything a question needs; IndexOutdatedError when an older chunker made the index."""
    store, info = _open(settings)
    if info.get("chunker") != CHUNKER_VERSION:  # its stored sentence vectors follow other spans
        raise IndexOutdatedError(
            f"the index was made by an older kb (chunker version {info.get('chunker')}, now "
            f"{CHUNKER_VERSION}), or its last ingest was interrupted: run `kb ingest` to update it"
        )
    return Index(settings, store, query_embedder(settings), sync_bm25(store, settings))
