"""Dense, BM25 and hybrid retrieval, chosen by name.

Hybrid adds the two signals' scores: a passage's cosine similarity to the question plus
`BM25_WEIGHT` times its BM25 score relative to the best BM25 score for that question. Ranks alone
(reciprocal rank fusion, kept as the `rrf` retriever) throw away how sure each side is: for
"Which mistakes should founders avoid when choosing?" the dense side is nearly flat (cosines
0.23, 0.20, 0.20, ...) while BM25 puts "Common Mistakes to Avoid" far ahead (3.7 vs 2.4), yet RRF
ranked that passage below three others because dense placed it 16th. Score fusion ranks it first.
Measured: on the held-out paraphrase set (eval/paraphrase.yaml) hit@3 0.853 -> 0.912 and MRR
0.766 -> 0.804; on the golden set hit@3 and MRR unchanged (0.962, 0.912), citation precision
0.788 -> 0.800. The weight 0.2 was picked on the golden set (0.1 lost hit@3, 0.3+ lost hit@1).
Each retriever looks at `POOL` candidates so fusion has something to work with. Every hit also
gets its cosine similarity to the question (from the stored vector), which the answer step uses
to decide whether the corpus covers the question at all.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kb.types import Hit
from qa.index import Index

POOL = 20
RRF_K = 60
BM25_WEIGHT = 0.2


def _dense(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    rows = index.store.query(qvec, n)
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


def _hybrid(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    merged, bm25 = _merge(index, question, qvec, n)
    top = max((h.score for h in bm25), default=0.0) or 1.0
    bm25_score = {h.chunk.chunk_id: h.score for h in bm25}
    for cid, hit in merged.items():
        hit.score = hit.similarity + BM25_WEIGHT * bm25_score.get(cid, 0.0) / top
    return sorted(merged.values(), key=lambda h: -h.score)


def _rrf(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    merged, _ = _merge(index, question, qvec, n)
    for hit in merged.values():
        hit.score = sum(1.0 / (RRF_K + rank) for rank in hit.ranks.values())
    return sorted(merged.values(), key=lambda h: -h.score)


RETRIEVERS: dict[str, Callable[[Index, str, np.ndarray, int], list[Hit]]] = {
    "dense": _dense,
    "bm25": _bm25,
    "hybrid": _hybrid,
    "rrf": _rrf,
}


def retrieve(index: Index, question: str, qvec: np.ndarray, k: int, retriever: str) -> list[Hit]:
    """The k best passages for a question."""
    return RETRIEVERS[retriever](index, question, qvec, max(k, POOL))[:k]
