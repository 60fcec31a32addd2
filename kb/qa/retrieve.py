"""Dense, BM25, hybrid and RRF retrieval, picked by name (`RETRIEVERS`).

Hybrid scores each candidate of the dense and BM25 pools (each with its own BM25 score) as

    max(cosine(question, passage), cosine(question, best answer sentence) - SENTENCE_DISCOUNT)
    + BM25_WEIGHT * bm25 / ideal_bm25 + PAGE_SUPPORT * (best other candidate of its page)

so one bullet of a blurred list can win, one stray shared word earns little, and a page with
several good passages counts. Trade-off: the sentence term re-scores only the `RESCORE` best
candidates (fetching their vectors is the costly part of a query) and never adds a passage
neither pool found. Why and measured: docs/design.md.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kb.index.reader import Index
from kb.qa.releases import searched_passages
from kb.settings import RetrieverName
from kb.text.sentences import answer_spans
from kb.types import Hit

POOL = 20
RRF_K = 60
BM25_WEIGHT = 0.2
SENTENCE_DISCOUNT = 0.075
RESCORE = 20  # candidates (best by cosine + BM25) whose sentence vectors are fetched
PAGE_SUPPORT = 0.05


def _dense(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    rows = index.dense(qvec, n)
    return [Hit(c, sim, sim, {"dense": r}) for r, (c, sim) in enumerate(rows, 1)]


def _bm25(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    ranked = index.bm25.search(question, n)
    found = index.store.get([i for i, _ in ranked])
    hits = []
    for r, (cid, score) in enumerate(ranked, 1):
        if cid in found:
            chunk, vec = found[cid]
            hits.append(Hit(chunk, score, float(vec @ qvec), {"bm25": r}))
    return hits


def _merge(index: Index, question: str, qvec: np.ndarray, n: int) -> tuple[dict[str, Hit], list[Hit]]:
    """Dense and BM25 candidates by chunk id (score 0, ranks from both), and the BM25 list."""
    bm25 = _bm25(index, question, qvec, n)
    merged: dict[str, Hit] = {}
    for hit in _dense(index, question, qvec, n) + bm25:
        cid = hit.chunk.chunk_id
        if cid not in merged:
            merged[cid] = Hit(hit.chunk, 0.0, hit.similarity, {})
        merged[cid].ranks.update(hit.ranks)
    return merged, bm25


def _best_sentences(index: Index, hits: list[Hit], qvec: np.ndarray) -> dict[str, float]:
    """Each passage's best stored answer-sentence cosine with the question (absent when it has none).

    The vectors stay on the hits, so the answer step does not fetch them again.
    """
    keys = [
        (h.chunk.chunk_id, i) for h in hits for i in range(len(answer_spans(h.chunk.text, h.chunk.code_open)))
    ]
    by_id = {h.chunk.chunk_id: h for h in hits}
    best: dict[str, float] = {}
    for (cid, i), vec in index.store.sentence_vectors(keys).items():
        by_id[cid].sentence_vectors[i] = vec
        best[cid] = max(best.get(cid, -1.0), float(vec @ qvec))
    return best


def _hybrid(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    merged, bm25 = _merge(index, question, qvec, n)
    ideal = index.bm25.ideal_score(question) or 1.0
    bm25_score = {h.chunk.chunk_id: h.score for h in bm25}  # and each dense candidate's, below
    bm25_score |= index.bm25.scores(question, [c for c in merged if c not in bm25_score])
    for cid, hit in merged.items():
        hit.score = hit.similarity + BM25_WEIGHT * bm25_score.get(cid, 0.0) / ideal
    ranked = sorted(merged.values(), key=lambda h: -h.score)
    best = _best_sentences(index, ranked[:RESCORE], qvec)
    for hit in ranked[:RESCORE]:
        lift = best.get(hit.chunk.chunk_id, -1.0) - SENTENCE_DISCOUNT - hit.similarity
        hit.score += max(0.0, lift)
    return page_supported(ranked)


def page_supported(hits: list[Hit]) -> list[Hit]:
    """The hits, each plus PAGE_SUPPORT x the score of the best other hit of its document, best first.

    >>> from kb.types import Chunk
    >>> hits = [Hit(Chunk(i, d, "", "", "", 0, 0), s) for i, d, s in [("a", "x", 0.6), ("b", "y", 0.58),
    ...  ("c", "y", 0.5)]]
    >>> [(h.chunk.chunk_id, round(h.score, 3)) for h in page_supported(hits)]
    [('b', 0.605), ('a', 0.6), ('c', 0.529)]
    """
    scores: dict[str, list[float]] = {}
    for hit in hits:
        scores.setdefault(hit.chunk.doc_id, []).append(hit.score)
    top = {doc: sorted(s, reverse=True)[:2] + [0.0] for doc, s in scores.items()}
    for hit in hits:
        first, second = top[hit.chunk.doc_id][:2]
        hit.score += PAGE_SUPPORT * (second if hit.score == first else first)
    return sorted(hits, key=lambda h: -h.score)


def _rrf(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    merged, _ = _merge(index, question, qvec, n)
    for hit in merged.values():
        hit.score = sum(1.0 / (RRF_K + rank) for rank in hit.ranks.values())
    return sorted(merged.values(), key=lambda h: -h.score)


RETRIEVERS: dict[RetrieverName, Callable[[Index, str, np.ndarray, int], list[Hit]]] = {
    RetrieverName.DENSE: _dense,
    RetrieverName.BM25: _bm25,
    RetrieverName.HYBRID: _hybrid,
    RetrieverName.RRF: _rrf,
}


def retrieve(index: Index, question: str, qvec: np.ndarray, k: int, retriever: str) -> list[Hit]:
    """The k best passages for a question, each text once, release notes only for a question
    about releases (kb/qa/releases.py)."""
    hits = distinct(RETRIEVERS[retriever](index, question, qvec, max(k, POOL)))
    return searched_passages(hits, question)[:k]


def distinct(hits: list[Hit]) -> list[Hit]:
    """The hits without a passage whose text a better one already has: a fragment that several
    pages include, or a footer that every page repeats, takes one place, not five."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if (key := " ".join(hit.chunk.text.split())) not in seen:
            seen.add(key)
            out.append(hit)
    return out
