"""The default answerer: pick the retrieved sentences that best answer the question.

Candidates are the sentences and bullet lines of the retrieved passages, minus headings and
questions and lead-ins ending in ":" (an FAQ heading repeats the question; it never answers
it). Each is scored by the cosine similarity of its embedding to the question's. The corpus
"covers" the question when the best sentence clears `min_score`, a threshold calibrated on the
golden set (answerable questions against off-topic ones); below it kb refuses and cites nothing.
Up to `answer_sentences` of the best sentences within `MARGIN` of the best make the answer,
each followed by its [n]. Weighting in the passage's own similarity or the question's word
overlap was tried on the golden set and did not raise fact recall; a wider margin did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ingest.chunker import answer_spans
from ingest.embedder import Embedder
from kb.types import Answer, Citation, Hit, Span

MARGIN = 0.2
# (chunk id, index among its answer_spans) -> stored sentence vector, for the keys it has
Lookup = Callable[[list[tuple[str, int]]], dict[tuple[str, int], np.ndarray]]
NOT_COVERED = "The articles in the knowledge base do not cover this question."


@dataclass
class Candidate:
    hit: Hit
    span: Span
    index: int  # position among the chunk's answer_spans: the key of its stored vector


def candidates(hits: list[Hit]) -> list[Candidate]:
    """Answer-worthy sentences of the passages, with offsets in their source document."""
    out, seen = [], set()
    for hit in hits:
        c = hit.chunk
        for i, (s, e) in enumerate(answer_spans(c.text)):
            key = (c.doc_id, c.char_start + s)
            if key not in seen:
                seen.add(key)
                out.append(Candidate(hit, Span(c.text[s:e], c.char_start + s, c.char_start + e, 0.0), i))
    return out


def score(
    cands: list[Candidate], qvec: np.ndarray, embedder: Embedder, lookup: Lookup | None = None
) -> list[float]:
    """Similarity of each candidate to the question; vectors stored at ingest are used when present."""
    stored = lookup([(c.hit.chunk.chunk_id, c.index) for c in cands]) if lookup and cands else {}
    vecs: list[np.ndarray | None] = [stored.get((c.hit.chunk.chunk_id, c.index)) for c in cands]
    missing = [i for i, v in enumerate(vecs) if v is None]
    if missing:
        for i, v in zip(missing, embedder.embed([cands[i].span.text for i in missing])):
            vecs[i] = v
    return [float(v @ qvec) for v in vecs]


def _sentence(text: str, n: int) -> str:
    body = text.rstrip()
    end = body[-1] if body[-1] in ".!?" else "."
    return f"{body.rstrip('.!?').rstrip()} [{n}]{end}"


def extractive_answer(
    question: str,
    qvec: np.ndarray,
    hits: list[Hit],
    embedder: Embedder,
    min_score: float,
    n_sentences: int,
    lookup: Lookup | None = None,
) -> Answer:
    cands = candidates(hits)
    sims = score(cands, qvec, embedder, lookup)
    best_sim = max(sims, default=0.0)
    if best_sim < min_score:
        return Answer(question, NOT_COVERED, found=False)
    ranked = sorted(zip(sims, cands), key=lambda t: -t[0])
    chosen = [(s, c) for s, c in ranked if s >= best_sim - MARGIN][:n_sentences]
    citations: dict[str, Citation] = {}
    parts = []
    for sim, cand in chosen:
        cid = cand.hit.chunk.chunk_id
        if cid not in citations:
            citations[cid] = Citation(len(citations) + 1, cand.hit)
        cit = citations[cid]
        cit.supporting.append(Span(cand.span.text, cand.span.char_start, cand.span.char_end, sim))
        parts.append(_sentence(cand.span.text, cit.n))
    return Answer(question, " ".join(parts), found=True, citations=list(citations.values()))
