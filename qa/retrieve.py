"""Dense, BM25 and hybrid retrieval, chosen by name.

Hybrid fuses the two ranked lists with reciprocal rank fusion (score = sum of 1/(60 + rank)),
which needs no score calibration between cosine and BM25. Each retriever looks at `POOL`
candidates so fusion has something to work with. Every hit also gets its cosine similarity to
the question (from the stored vector), which the answer step uses to decide whether the corpus
covers the question at all.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kb.types import Hit
from qa.index import Index

POOL = 20
RRF_K = 60


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


def _hybrid(index: Index, question: str, qvec: np.ndarray, n: int) -> list[Hit]:
    fused: dict[str, Hit] = {}
    for name, part in (
        ("dense", _dense(index, question, qvec, n)),
        ("bm25", _bm25(index, question, qvec, n)),
    ):
        for hit in part:
            cid = hit.chunk.chunk_id
            rank = hit.ranks[name]
            if cid not in fused:
                fused[cid] = Hit(hit.chunk, 0.0, hit.similarity, {})
            fused[cid].ranks[name] = rank
            fused[cid].score += 1.0 / (RRF_K + rank)
    return sorted(fused.values(), key=lambda h: -h.score)


RETRIEVERS: dict[str, Callable[[Index, str, np.ndarray, int], list[Hit]]] = {
    "dense": _dense,
    "bm25": _bm25,
    "hybrid": _hybrid,
}


def retrieve(index: Index, question: str, qvec: np.ndarray, k: int, retriever: str) -> list[Hit]:
    """The k best passages for a question."""
    return RETRIEVERS[retriever](index, question, qvec, max(k, POOL))[:k]
