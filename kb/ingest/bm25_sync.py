"""Bring the saved BM25 snapshot in line with Chroma after an ingest, and record its token.

A snapshot that matched the index before the ingest began is patched with what the ingest
changed (documents dropped, chunks added); anything else is rebuilt from every chunk in Chroma.
The snapshot is written to a temporary folder and renamed into place, then its token is
recorded in the index info, so a run killed in between leaves a snapshot readers know is stale.
"""

from __future__ import annotations

from kb.index.lexical import Bm25Index, saved_token
from kb.index.store import Store
from kb.layout import DataLayout
from kb.settings import Settings
from kb.types import Chunk


def bm25_in_step(info: dict, settings: Settings) -> bool:
    """Whether the saved snapshot is the one the index info (`Store.info()`) names."""
    token = info.get("bm25_token")
    return bool(token) and saved_token(DataLayout.of(settings).bm25) == token


def save_bm25(
    store: Store, settings: Settings, patch: tuple[set[str], list[Chunk]] | None = None
) -> Bm25Index:
    """Save a snapshot matching the store: the saved one patched with `patch` (documents to drop,
    chunks to add) when given and possible, else one rebuilt from every chunk."""
    folder = DataLayout.of(settings).bm25
    snapshot = Bm25Index.patch(folder, *patch) if patch is not None else None
    if snapshot is None:
        snapshot = Bm25Index.build(store.all_chunks())
    snapshot.save(folder)
    store.set_info(bm25_token=snapshot.token)
    return snapshot
