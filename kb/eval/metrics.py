"""Retrieval and answer metrics: pure functions over small lists, tested by hand-computed cases."""

from __future__ import annotations

import math
import re


def normalise(text: str) -> str:
    """Case, dash style and spacing folded, so "6–8 Weeks" matches "6-8 weeks".

    >>> normalise("EUR 3,000–8,000  per\\nMVP")
    'eur 3,000-8,000 per mvp'
    """
    return re.sub(r"\s+", " ", re.sub(r"[\u2010-\u2015\u2212]", "-", text)).strip().lower()


def fact_found(variants: tuple[str, ...], answer: str) -> bool:
    """Whether any accepted variant of a fact occurs in the answer.

    >>> fact_found(("6-8 weeks", "six to eight weeks"), "An MVP takes 6–8 weeks [1].")
    True
    """
    text = normalise(answer)
    return any(normalise(v) in text for v in variants)


def fact_recall(facts: tuple[tuple[str, ...], ...], answer: str) -> float:
    """Share of expected facts present in the answer.

    >>> fact_recall((("paris",), ("lyon", "nice"), ("lille",)), "Paris and Nice")
    0.6666666666666666
    """
    return sum(fact_found(f, answer) for f in facts) / len(facts) if facts else 1.0


def hit_at(relevant: list[bool], k: int) -> float:
    """1.0 if a relevant item is in the top k.

    >>> hit_at([False, True, False], 1), hit_at([False, True, False], 3)
    (0.0, 1.0)
    """
    return float(any(relevant[:k]))


def reciprocal_rank(relevant: list[bool]) -> float:
    """1 / rank of the first relevant item, 0 when none.

    >>> reciprocal_rank([False, False, True])
    0.3333333333333333
    """
    return next((1.0 / (i + 1) for i, r in enumerate(relevant) if r), 0.0)


def ndcg_at(relevant: list[bool], n_relevant: int, k: int = 5) -> float:
    """Binary-relevance nDCG@k; the ideal ranking puts min(k, n_relevant) relevant items first.

    >>> round(ndcg_at([False, True], n_relevant=1, k=5), 4)  # (1/log2 3) / 1
    0.6309
    >>> ndcg_at([True, True, False], n_relevant=2, k=5)
    1.0
    """
    dcg = sum(1.0 / math.log2(i + 2) for i, r in enumerate(relevant[:k]) if r)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, n_relevant)))
    return dcg / ideal if ideal else 0.0


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 95)
    (2, 4)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
