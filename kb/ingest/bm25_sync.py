"""Publish an ingest's result: a BM25 snapshot matching the store, its token in the index info,
then the deletes that the previous state still needed.

A snapshot that matched the index before the ingest began is patched with what the ingest
changed (documents dropped, chunks added); anything else is rebuilt from the chunks in Chroma
that the new state holds. The snapshot is made in a folder of its own and renamed into place;
recording its token is the moment readers switch to the new state (kb/index/reader.py). Only
then are replaced chunks and removed documents deleted, and the info's `writing` mark cleared.
A run killed anywhere before that leaves the mark, and the next run rebuilds and publishes.
"""

from __future__ import annotations

from kb.errors import IndexWriteError
from kb.index.lexical import Bm25Index, saved_token
from kb.index.store import Store
from kb.layout import DataLayout
from kb.settings import Settings
from kb.types import Chunk


def bm25_in_step(info: dict, settings: Settings) -> bool:
    """Whether the saved snapshot is the one the index info (`Store.info()`) names and no
    ingest was left unfinished since."""
    token = info.get("bm25_token")
    return bool(token) and not info.get("writing") and saved_token(DataLayout.of(settings).bm25) == token


def save_bm25(
    store: Store,
    settings: Settings,
    patch: tuple[set[str], list[Chunk]] | None = None,
    gone: set[str] = frozenset(),
) -> Bm25Index:
    """Publish a snapshot matching the store: the saved one patched with `patch` (documents to
    drop, chunks to add) when given and possible, else one rebuilt from the chunks of the new
    state (not those replaced, nor the documents in `gone`); then delete what it no longer holds."""
    folder = DataLayout.of(settings).bm25
    snapshot = Bm25Index.patch(folder, *patch) if patch is not None else None
    if snapshot is None:
        snapshot = Bm25Index.build(store.all_chunks(hide=store.stale_ids() | set(gone)), near=folder)
    try:
        snapshot.save(folder)
    except OSError as e:  # the new state stays unpublished and marked: the next run publishes it
        raise IndexWriteError(f"cannot write the BM25 snapshot to {folder}: {e.strerror or e}") from e
    store.set_info(bm25_token=snapshot.token)  # readers switch here
    for doc_id in sorted(gone):
        store.delete_doc(doc_id)
    store.purge_stale()
    store.set_info(writing="")
    return snapshot
