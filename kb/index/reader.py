"""Everything a question needs, opened once: the store, the embedder, the BM25 index.

Opening never writes to the index. The BM25 snapshot is also the reader's view of the index: the
chunk ids of one published index state. Ingest publishes a new state by recording its snapshot's
token in the index info and deletes replaced chunks only after that, so a reader sees every
document either as it was or as it is now, never a mixture (docs/design.md, "Readers and
writers"). `Index.refresh()`, called before each question, follows newer states.

When the local snapshot is not the one the index info names (another host ingested into a shared
Chroma server, a snapshot was damaged), the reader builds one from Chroma and keeps it, if it can
write the data folder. Trade-off: that first question pays the rebuild (seconds at 100k chunks).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from kb.errors import IndexMissingError
from kb.index.checks import check_chunker, check_model
from kb.index.embedder import Embedder, query_embedder, resolve_model
from kb.index.lexical import Bm25Index, Damaged
from kb.index.store import DocRecord, Store
from kb.layout import DataLayout
from kb.settings import Settings
from kb.types import Chunk

OVERFETCH = 3  # while an ingest writes, dense search asks for this many times more and filters


@dataclass
class Index:
    settings: Settings
    store: Store
    embedder: Embedder
    bm25: Bm25Index
    info: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # what was repaired or worked around on opening
    _view: frozenset[str] | None = None

    def documents(self) -> list[DocRecord]:
        return sorted(self.store.doc_records().values(), key=lambda r: r.doc_id)

    def refresh(self) -> None:
        """Follow the newest published state: reopen the store and load its BM25 snapshot."""
        try:
            info = self.store.info() or {}
        except IndexMissingError:  # rebuilt by another process: its collections are new ones
            info = {}
        token = info.get("bm25_token")
        if token != self.bm25.token and (token or not info):
            store, info = _open(self.settings, self.store.reopened())
            check_chunker(info)
            self.bm25 = current_bm25(store, self.settings, info, self.notices)
            self.store, self._view = store, None
        self.info = info

    def dense(self, vector: np.ndarray, n: int) -> list[tuple[Chunk, float]]:
        """Nearest chunks of this reader's view (see module docstring) with their cosine similarity."""
        if not self.info.get("writing"):  # Chroma holds exactly the view
            return self.store.query(vector, n)
        if self._view is None:
            self._view = frozenset(self.bm25.ids)
        return [row for row in self.store.query(vector, OVERFETCH * n) if row[0].chunk_id in self._view][:n]


def _open(settings: Settings, store: Store | None = None) -> tuple[Store, dict]:
    store = store or Store(settings, read_only=True)
    info = store.info() or {}
    check_model(info, resolve_model(settings.embed_model)[0])
    if not info or store.count() == 0:
        raise IndexMissingError("the index is empty: run `kb ingest` first")
    return store, info


def open_store(settings: Settings) -> Store:
    """The existing index's store; IndexMissingError when there is none or it is empty."""
    return _open(settings)[0]


def current_bm25(store: Store, settings: Settings, info: dict, notices: list[str]) -> Bm25Index:
    """The saved BM25 snapshot if the index info names it, else one built from Chroma (a damaged
    one is, with a notice)."""
    folder, token = DataLayout.of(settings).bm25, info.get("bm25_token")
    try:
        snapshot = Bm25Index.load(folder)
    except Damaged as e:
        snapshot = None
        notices.append(f"the BM25 snapshot in {folder} was damaged ({e}): rebuilt it from Chroma")
    if snapshot is not None and snapshot.token == token:
        return snapshot
    snapshot = Bm25Index.build(store.all_chunks(hide=store.stale_ids()), near=folder)
    if token and not info.get("writing"):  # while an ingest writes, Chroma may hold half of it
        snapshot.token = token  # a snapshot of exactly the state the info names
        try:
            snapshot.save(folder)
        except OSError:
            pass  # a read-only data folder: answer from memory
    return snapshot


def open_index(settings: Settings) -> Index:
    """Everything a question needs; IndexOutdatedError when an older chunker made the index.

    The query model loads on a thread while Chroma is imported and opened: onnxruntime releases
    the GIL while it builds its session, so a cold `kb ask` pays the longer of the two, not both.
    """
    model_notices: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        loading = pool.submit(query_embedder, settings, model_notices)
        store, info = _open(settings)
        check_chunker(info)
        notices = [store.notice] if store.notice else []
        bm25 = current_bm25(store, settings, info, notices)
        embedder = loading.result()
    return Index(settings, store, embedder, bm25, info, notices + model_notices)
