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

from dataclasses import dataclass

import numpy as np

from ingest.chunker import sentence_spans
from ingest.embedder import Embedder
from ingest.sections import BULLETS, _heading_shaped
from kb.types import Answer, Citation, Hit, Span

MARGIN = 0.2
NOT_COVERED = "The articles in the knowledge base do not cover this question."


@dataclass
class Candidate:
    hit: Hit
    span: Span


def candidates(hits: list[Hit]) -> list[Candidate]:
    """Answer-worthy sentences of the passages, with offsets in their source document."""
    out, seen = [], set()
    for hit in hits:
        c = hit.chunk
        for s, e in sentence_spans(c.text, offset=c.char_start):
            text = c.text[s - c.char_start : e - c.char_start]
            while text and (text[0] in BULLETS or text[0].isspace()):
                text, s = text[1:], s + 1
            plain = text.rstrip("+").strip()
            if len(plain) < 25 or plain.endswith(("?", ":")) or _heading_shaped(text):
                continue
            key = (c.doc_id, s)
            if key not in seen:
                seen.add(key)
                out.append(Candidate(hit, Span(text, s, s + len(text), 0.0)))
    return out


def score(cands: list[Candidate], qvec: np.ndarray, embedder: Embedder) -> list[float]:
    if not cands:
        return []
    sims = embedder.embed([c.span.text for c in cands]) @ qvec
    return [float(s) for s in sims]


def _sentence(text: str, n: int) -> str:
    body = text.rstrip()
    end = body[-1] if body[-1] in ".!?" else "."
    return f"{body.rstrip('.!?').rstrip()} [{n}]{end}"


def extractive_answer(
    question: str, qvec: np.ndarray, hits: list[Hit], embedder: Embedder, min_score: float, n_sentences: int
) -> Answer:
    cands = candidates(hits)
    sims = score(cands, qvec, embedder)
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
