"""What ingest does for each changed document, and how: a `Plan` (its new chunks, which stored
vectors it can keep, its records), and `Group`s of plans embedded together (each distinct text
through the encoder once, batched by length) and written in the crash-safe order that
pipeline.py's docstring explains.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from kb.index.store import DocRecord, Store
from kb.ingest.batches import length_batches
from kb.text.sentences import answer_spans, embedded_sentence, prose_end
from kb.types import Chunk, Document


@dataclass
class Plan:
    """A new or changed document: its chunks, and which of them keep their stored vectors."""

    doc: Document
    fingerprint: str
    old_fingerprint: str  # "" when the document was never completely written
    chunks: list[Chunk]
    # stored chunk id -> (title, section, code_open, table_head) its sentence vectors were embedded with
    existing: dict[str, tuple[str, str, bool, str]]
    # same chunker as the stored vectors, and the document was completely written (an interrupted
    # one may have chunks stored without their sentence vectors): embed only new text or headings
    reuse: bool

    def kept(self, c: Chunk) -> bool:
        return self.reuse and self.existing.get(c.chunk_id) == (c.title, c.section, c.code_open, c.table_head)

    @property
    def todo(self) -> list[Chunk]:
        return [c for c in self.chunks if not self.kept(c)]

    def record(self, status: str, now: str) -> DocRecord:
        """The document's record: "pending" keeps the old fingerprint until it is all written;
        "ok" lists the stored chunks this version replaces (deleted once it is published)."""
        if status != "ok":
            return DocRecord(
                self.doc.doc_id, self.doc.title, self.old_fingerprint, len(self.chunks), now, status
            )
        stale = sorted(set(self.existing) - {c.chunk_id for c in self.chunks})
        stale_json = json.dumps(stale) if stale else ""
        return DocRecord(
            self.doc.doc_id, self.doc.title, self.fingerprint, len(self.chunks), now, status, stale_json
        )

    def texts(self, with_sentences: bool) -> int:
        """How many texts embedding this document's new chunks takes (repeats counted)."""
        todo = self.todo
        return len(todo) + (
            sum(len(answer_spans(c.text, c.code_open)) for c in todo) if with_sentences else 0
        )


def groups(plans: list[Plan], every: int) -> Iterator[list[Plan]]:
    """Consecutive plans with about `every` chunks to embed between them."""
    group: list[Plan] = []
    for plan in plans:
        group.append(plan)
        if sum(len(p.todo) for p in group) >= every:
            yield group
            group = []
    if group:
        yield group


def embedding_inputs(chunks: list[Chunk], sentences: bool = True) -> tuple[list, list[str]]:
    """What ingest embeds for these chunks: (sentence rows, texts: every chunk, then its sentences)."""
    spans = [(c, answer_spans(c.text, c.code_open)) for c in chunks] if sentences else []
    rows = [(c, i, a, b) for c, cut in spans for i, (a, b) in enumerate(cut)]
    return rows, [c.embedding_text() for c in chunks] + [
        embedded_sentence(c, a, prose_end(c.text, a, b)) for c, _, a, b in rows
    ]


@dataclass
class Group:
    """A few documents whose new chunks are embedded and written together."""

    plans: list[Plan]
    todo: list[Chunk]
    rows: list[tuple[Chunk, int, int, int]]  # (chunk, sentence number, start, end)
    texts: list[str]  # what each of todo and rows is embedded as
    distinct: list[str]  # texts without repeats: a sentence in two overlapping chunks, a boilerplate line

    @classmethod
    def of(cls, plans: list[Plan], sentences: bool) -> Group:
        todo = [c for p in plans for c in p.todo]
        rows, texts = embedding_inputs(todo, sentences)
        return cls(plans, todo, rows, texts, list(dict.fromkeys(texts)))


def embed_group(embedder, group: Group, report, advance: Callable[[int], None]) -> np.ndarray:
    """Vectors for a group's texts (chunks' rows first, then the sentences'); each distinct text
    goes through the encoder once. `advance` is told how many texts each step took care of."""
    texts = group.distinct
    vectors = np.zeros((len(texts), getattr(embedder, "dim", 0) or 1), dtype=np.float32)
    size = max(1, getattr(embedder, "batch_size", 32))
    count = getattr(embedder, "count_tokens", None)  # else characters; see batches.py
    for part in length_batches(count(texts) if count and texts else [len(t) for t in texts], size):
        vectors[part] = embedder.embed([texts[j] for j in part])
        report.texts_embedded += len(part)
        advance(len(part))
    advance(len(group.texts) - len(texts))  # the repeats, given the vectors of their first
    report.chunks_embedded += len(group.todo)
    where = {t: i for i, t in enumerate(texts)}
    return vectors[[where[t] for t in group.texts]] if texts else vectors


def write_group(store: Store, group: Group, vectors: np.ndarray) -> None:
    """Store an embedded group in the crash-safe order: pending, upserts, deletes, ok."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    n = len(group.todo)
    store.put_docs([p.record("pending", now) for p in group.plans])
    if group.todo:
        store.upsert_chunks(group.todo, vectors[:n])
    if group.rows:
        store.upsert_sentences(group.rows, vectors[n:])
    for p in group.plans:
        store.update_chunk_meta([c for c in p.chunks if p.kept(c)])
    store.put_docs([p.record("ok", now) for p in group.plans])
