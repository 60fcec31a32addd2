"""The Chroma boundary: with kb/index/chroma.py (opening it, mapping its errors) and
kb/index/chroma_rust.py (questions' reads without importing chromadb), the only code that talks
to chromadb.

Three collections per index: `<prefix>_chunks` (passages and their vectors), `<prefix>_sentences`
(answer-sentence vectors, id `<chunk id>#<i>`) and `<prefix>_docs` (a record per document, plus
an `__index__` record: embedding model, chunker version, BM25 token). The bookkeeping lives in
Chroma itself, so an embedded store and a Chroma server behave the same.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

import numpy as np

from kb.errors import IndexDamagedError
from kb.index.chroma import forget, mapped, open_client, remove_database
from kb.settings import Settings
from kb.types import Chunk

INFO_ID = "__index__"
_DUMMY = [1.0]  # the docs collection stores no real vectors


@dataclass(frozen=True)
class DocRecord:
    doc_id: str
    title: str
    fingerprint: str  # content hash + chunker settings of the last complete write ("" = none)
    n_chunks: int
    ingested_at: str
    status: str  # "ok" or "pending"
    stale: str = ""  # JSON list of chunk ids this version replaced, deleted once it is published


# Sentence vectors are only ever fetched by id, never searched, so their collection's HNSW graph
# can be a sparse one: building it is ~40 % cheaper (an existing collection keeps its settings).
SENTENCE_SPACE = {"hnsw:space": "cosine", "hnsw:construction_ef": 8, "hnsw:M": 4}


class Store:
    """Chunks and document records of one index."""

    def __init__(self, settings: Settings, create: bool = False, read_only: bool = False) -> None:
        """`read_only`: for questions; an embedded one opens without importing chromadb."""
        self.settings, self.read_only = settings, read_only and not create
        self.client, self.folder, self.notice = open_client(settings, create, self.read_only)
        names = [f"{settings.collection}_{part}" for part in ("chunks", "docs", "sentences")]
        space = {"hnsw:space": "cosine"}
        with self._mapped("opening the collections"):
            if create:
                self.chunks = self.client.get_or_create_collection(
                    names[0], embedding_function=None, metadata=space
                )
                self.docs = self.client.get_or_create_collection(names[1], embedding_function=None)
                self.sentences = self.client.get_or_create_collection(
                    names[2], embedding_function=None, metadata=SENTENCE_SPACE
                )
            else:  # a reader creates nothing
                self.chunks, self.docs, self.sentences = (
                    self.client.get_collection(name, embedding_function=None) for name in names
                )

    def _mapped(self, what: str):
        return mapped(what, self.folder)

    @classmethod
    def emptied(cls, settings: Settings) -> tuple[Store, str | None]:
        """An empty index for `kb ingest --rebuild`, and a notice when the embedded database could
        not even be opened and was removed whole to make it."""
        try:
            store = cls(settings, create=True)
            store.drop()
        except IndexDamagedError as e:
            path = remove_database(settings)
            return cls(settings, create=True), f"removed the unreadable database in {path} ({e.__cause__})"
        return cls(settings, create=True), None

    def reopened(self) -> Store:
        """This index opened anew. An embedded client keeps its vector index in memory and does
        not see what other processes wrote since it opened; a new one reads what is on disk."""
        if self.folder is not None and self.notice is None:  # a read-only copy never changes
            forget(self.folder)
        return Store(self.settings, read_only=self.read_only)

    # --- index info -------------------------------------------------------------------
    def info(self) -> dict | None:
        with self._mapped("reading the index info"):
            got = self.docs.get(ids=[INFO_ID], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else None

    def set_info(self, **fields: str | int) -> None:
        info = {**(self.info() or {}), **fields, "kind": "info"}
        with self._mapped("writing the index info"):
            self.docs.upsert(ids=[INFO_ID], embeddings=[_DUMMY], metadatas=[info])

    # --- documents ----------------------------------------------------------------------
    def doc_records(self) -> dict[str, DocRecord]:
        with self._mapped("listing documents"):
            got = self.docs.get(where={"kind": "doc"}, include=["metadatas"])
        out = {}
        for meta in got["metadatas"]:
            if meta:  # a record deleted while this was read comes back empty
                fields = {k: meta[k] for k in DocRecord.__dataclass_fields__ if k in meta}
                out[meta["doc_id"]] = DocRecord(**fields)
        return out

    def stale_ids(self) -> set[str]:
        """Chunks replaced by a newer version of their document but not yet deleted."""
        return {i for r in self.doc_records().values() if r.stale for i in json.loads(r.stale)}

    def put_docs(self, recs: list[DocRecord]) -> None:
        """Write document records (as few calls as Chroma's batch limit allows)."""
        if not recs:
            return
        step = self.client.get_max_batch_size()
        with self._mapped(
            f"recording {recs[0].doc_id}" + (f" and {len(recs) - 1} more" if len(recs) > 1 else "")
        ):
            for i in range(0, len(recs), step):
                part = recs[i : i + step]
                self.docs.upsert(
                    ids=[f"doc:{r.doc_id}" for r in part],
                    embeddings=[_DUMMY] * len(part),
                    metadatas=[{**asdict(r), "kind": "doc"} for r in part],
                )

    def purge_stale(self) -> None:
        """Delete the chunks each document's record lists as replaced, and clear the lists."""
        recs = [r for r in self.doc_records().values() if r.stale]
        for r in recs:
            self.delete_chunks(json.loads(r.stale))
        self.put_docs([replace(r, stale="") for r in recs])

    def delete_doc(self, doc_id: str) -> None:
        with self._mapped(f"removing {doc_id}"):
            self.sentences.delete(where={"doc_id": doc_id})
            self.chunks.delete(where={"doc_id": doc_id})
            self.docs.delete(ids=[f"doc:{doc_id}"])

    # --- chunks -------------------------------------------------------------------------
    def chunk_heads_of(self, doc_id: str) -> dict[str, tuple[str, str, bool, str]]:
        """(title, section, code_open, table_head) of each stored chunk of a document, by chunk id:
        what its sentence vectors depend on besides its text."""
        with self._mapped(f"listing chunks of {doc_id}"):
            got = self.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])
        return {
            i: (m["title"], m["section"], bool(m.get("code_open", False)), str(m.get("table_head", "")))
            for i, m in zip(got["ids"], got["metadatas"])
        }

    def upsert_chunks(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        step = self.client.get_max_batch_size()
        with self._mapped("writing chunks"):
            for i in range(0, len(chunks), step):
                part = chunks[i : i + step]
                self.chunks.upsert(
                    ids=[c.chunk_id for c in part],
                    embeddings=vectors[i : i + step],
                    documents=[c.text for c in part],
                    metadatas=[_chunk_meta(c) for c in part],
                )

    def update_chunk_meta(self, chunks: list[Chunk]) -> None:
        """Refresh offsets/section/title of chunks whose text (and so vector) is unchanged."""
        if chunks:
            with self._mapped("updating chunks"):
                self.chunks.update(
                    ids=[c.chunk_id for c in chunks], metadatas=[_chunk_meta(c) for c in chunks]
                )

    def delete_chunks(self, ids: list[str]) -> None:
        step = self.client.get_max_batch_size()
        with self._mapped("deleting chunks"):
            for i in range(0, len(ids), step):
                self.sentences.delete(where={"chunk_id": {"$in": ids[i : i + step]}})
                self.chunks.delete(ids=ids[i : i + step])

    def upsert_sentences(self, rows: list[tuple[Chunk, int, int, int]], vectors: np.ndarray) -> None:
        """Store answer-sentence vectors; a row is (chunk, index, start, end) with offsets in the chunk."""
        step = self.client.get_max_batch_size()
        with self._mapped("writing sentence vectors"):
            stale = sorted({c.chunk_id for c, _, _, _ in rows})
            for i in range(0, len(stale), step):  # a re-embedded chunk may have fewer sentences now
                self.sentences.delete(where={"chunk_id": {"$in": stale[i : i + step]}})
            for i in range(0, len(rows), step):
                part = rows[i : i + step]
                self.sentences.upsert(
                    ids=[f"{c.chunk_id}#{n}" for c, n, _, _ in part],
                    embeddings=vectors[i : i + step],
                    # only what deletes filter on: every metadata key costs index writes (2 keys
                    # instead of 5 made this 35 % faster); the spans are recomputed from the chunk
                    metadatas=[{"chunk_id": c.chunk_id, "doc_id": c.doc_id} for c, _, _, _ in part],
                )

    def sentence_vectors(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], np.ndarray]:
        """Stored answer-sentence vectors by (chunk id, index); missing ones are left out."""
        if not keys:
            return {}
        with self._mapped("reading sentence vectors"):  # by id: a key lookup, not a metadata scan
            got = self.sentences.get(ids=[f"{c}#{i}" for c, i in keys], include=["embeddings"])
        out = {}
        for sid, e in zip(got["ids"], got["embeddings"]):
            chunk, _, index = sid.rpartition("#")
            out[(chunk, int(index))] = np.asarray(e, dtype=np.float32)
        return out

    def sentence_owners(self) -> dict[str, str]:
        """The chunk id each stored answer-sentence vector belongs to, by sentence id."""
        with self._mapped("listing sentence vectors"):
            got = self.sentences.get(include=["metadatas"])
        return {i: m["chunk_id"] for i, m in zip(got["ids"], got["metadatas"]) if m}

    def delete_sentences(self, ids: list[str]) -> None:
        step = self.client.get_max_batch_size()
        with self._mapped("deleting sentence vectors"):
            for i in range(0, len(ids), step):
                self.sentences.delete(ids=ids[i : i + step])

    def count(self) -> int:
        with self._mapped("counting chunks"):
            return self.chunks.count()

    def all_chunks(self, page: int = 5000, hide: set[str] = frozenset()) -> list[Chunk]:
        """Every chunk, in id order (for BM25), but those whose id or document is in `hide`."""
        out: list[Chunk] = []
        with self._mapped("reading chunks"):
            total = self.chunks.count()
            for offset in range(0, total, page):
                got = self.chunks.get(include=["documents", "metadatas"], limit=page, offset=offset)
                rows = zip(got["ids"], got["documents"], got["metadatas"])
                out.extend(_to_chunk(i, d, m) for i, d, m in rows if m and i not in hide)
        out = [c for c in out if c.doc_id not in hide]
        return sorted(out, key=lambda c: c.chunk_id)

    def query(self, vector: np.ndarray, n: int) -> list[tuple[Chunk, float]]:
        """Nearest chunks with their cosine similarity."""
        with self._mapped("searching"):
            got = self.chunks.query(
                query_embeddings=[vector.tolist()],
                n_results=max(1, n),
                include=["documents", "metadatas", "distances"],
            )
        rows = zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0])
        # an embedded client's vector index can still hold chunks another process deleted: they
        # come back without metadata (Index.refresh reopens the store when that can happen)
        return [(_to_chunk(i, d, m), 1.0 - float(dist)) for i, d, m, dist in rows if m]

    def get(self, ids: list[str]) -> dict[str, tuple[Chunk, np.ndarray]]:
        """Chunks and their vectors by id."""
        if not ids:
            return {}
        with self._mapped("reading chunks"):
            got = self.chunks.get(ids=ids, include=["documents", "metadatas", "embeddings"])
        rows = zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])
        return {i: (_to_chunk(i, d, m), np.asarray(e, dtype=np.float32)) for i, d, m, e in rows if m}

    def drop(self) -> None:
        """Delete the index's collections (for --rebuild)."""
        with self._mapped("deleting the index"):
            for col in (self.chunks, self.docs, self.sentences):
                self.client.delete_collection(col.name)


def _chunk_meta(c: Chunk) -> dict:
    return {
        "doc_id": c.doc_id,
        "title": c.title,
        "section": c.section,
        "char_start": c.char_start,
        "char_end": c.char_end,
        "page": c.page,
        "kind": c.kind,
        "code_open": c.code_open,
        "table_head": c.table_head,
    }


def _to_chunk(chunk_id: str, text: str, meta: dict) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc_id=meta["doc_id"],
        title=meta["title"],
        section=meta["section"],
        text=text,
        char_start=int(meta["char_start"]),
        char_end=int(meta["char_end"]),
        page=int(meta.get("page", 0)),
        kind=str(meta.get("kind", "")),
        code_open=bool(meta.get("code_open", False)),
        table_head=str(meta.get("table_head", "")),
    )
