"""`kb doctor`: check an index end to end and repair what can be repaired without the corpus.

Holds the ingest lock (repairs write). Repaired here: an ingest killed before it published (its
new state is published, replaced chunks deleted), chunks or sentence vectors that no document
owns, a BM25 snapshot that is damaged or does not match Chroma, a damaged or missing ONNX export.
Reported as problems, with the command that fixes them: an unreadable Chroma database, another
embedding model or chunker, documents left half-written (they need embedding: `kb ingest`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kb.errors import IndexDamagedError, IndexMissingError, IndexOutdatedError, ModelMismatchError
from kb.index.checks import check_chunker, check_model
from kb.index.embedder import ensure_onnx, get_embedder, onnx_ready, resolve_model
from kb.index.lexical import Bm25Index, Damaged
from kb.index.store import Store
from kb.ingest.bm25_sync import save_bm25
from kb.ingest.lock import writer_lock
from kb.layout import DataLayout
from kb.settings import Settings


@dataclass(frozen=True)
class Finding:
    status: str  # "ok", "repaired" or "problem"
    text: str


def doctor(settings: Settings) -> list[Finding]:
    """What was checked, repaired, or found wrong, in that order of discovery."""
    with writer_lock(DataLayout.of(settings).lock):
        try:
            return _examine(Store(settings), settings)
        except (IndexDamagedError, IndexMissingError) as e:
            return [Finding("problem", str(e))]


def _examine(store: Store, settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    info = store.info()
    if not info:
        return [Finding("problem", "the index is empty: run `kb ingest`")]
    try:
        check_model(info, resolve_model(settings.embed_model)[0])
        check_chunker(info)
    except (ModelMismatchError, IndexOutdatedError) as e:
        return [Finding("problem", str(e))]
    records = store.doc_records()
    pending = sorted(d for d, r in records.items() if r.status != "ok")
    if pending:
        found.append(
            Finding(
                "problem",
                f"{len(pending)} documents half-written ({', '.join(pending[:3])}…): run `kb ingest`",
            )
        )
    chunks = store.all_chunks()
    live = [c for c in chunks if c.doc_id in records]
    orphans = [c.chunk_id for c in chunks if c.doc_id not in records]
    if orphans:
        store.delete_chunks(orphans)
        found.append(Finding("repaired", f"deleted {len(orphans)} chunks no document owns"))
    owners = store.sentence_owners()
    known = {c.chunk_id for c in chunks}
    stray = [sid for sid, cid in owners.items() if cid not in known]
    if stray:
        store.delete_sentences(stray)
        found.append(Finding("repaired", f"deleted {len(stray)} sentence vectors no chunk owns"))
    if info.get("writing") and pending:
        return found  # `kb ingest` finishes it; publishing now would publish half-written documents
    found += _bm25(store, settings, info, {c.chunk_id for c in live})
    if info.get("writing"):  # publishing deleted the chunks the interrupted ingest replaced
        live = store.all_chunks()
    counts = Counter(c.doc_id for c in live)
    off = sorted(d for d, r in records.items() if r.status == "ok" and counts[d] != r.n_chunks)
    if off:
        found.append(Finding("problem", f"{len(off)} documents hold another number of chunks than they were "
                             f"written with ({', '.join(off[:3])}…): run `kb ingest --rebuild`"))  # fmt: skip
    found.append(Finding("ok", f"Chroma: {len(records)} documents, {len(live)} chunks, "
                         f"{len(owners) - len(stray)} sentence vectors"))  # fmt: skip
    found += _onnx(settings)
    return found


def _bm25(store: Store, settings: Settings, info: dict, ids: set[str]) -> list[Finding]:
    """Publish an interrupted ingest's state, or rebuild a snapshot that is damaged, stale or not
    holding exactly `ids` (the chunks Chroma holds)."""
    if info.get("writing"):
        save_bm25(store, settings)
        return [Finding("repaired", "published the state an interrupted ingest had written")]
    folder = DataLayout.of(settings).bm25
    try:
        snapshot = Bm25Index.load(folder)
        why = "missing" if snapshot is None else None
    except Damaged as e:
        snapshot, why = None, f"damaged: {e}"
    if snapshot is not None:
        if snapshot.token != info.get("bm25_token"):
            why = "not the one the index names"
        elif len(snapshot.ids) != len(ids) or set(snapshot.ids) != ids:
            why = "not matching Chroma's chunks"
    if why is None:
        return [Finding("ok", f"BM25 snapshot: {len(snapshot.ids)} chunks, checksums and ids match")]
    save_bm25(store, settings)
    return [Finding("repaired", f"rebuilt the BM25 snapshot in {folder} from Chroma (it was {why})")]


def _onnx(settings: Settings) -> list[Finding]:
    if onnx_ready(settings):
        return [Finding("ok", "ONNX export: loads and matches its check vectors" if settings.query_onnx else
                        "ONNX export: not used (KB_QUERY_ONNX=0)")]  # fmt: skip
    note = ensure_onnx(settings, get_embedder(settings))
    return [Finding("problem", note) if note else Finding("repaired", "exported the model to ONNX again")]
