"""Assemble a cited answer: each sentence followed by the number of the passage that supports it.

Both answer modes end here (the extractive one with passage sentences, an LLM mode with the
model's checked sentences), so citations are numbered and shaped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.settings import EXTRACTIVE
from kb.types import Answer, Citation, Hit, Span


@dataclass(frozen=True)
class Pick:
    """One answer sentence, the passage it comes from, and the passage sentence that supports it."""

    text: str
    hit: Hit
    support: Span


def with_citation(sentence: str, n: int) -> str:
    """The sentence with " [n]" before its final punctuation (a full stop when it has none).

    >>> with_citation("Django ships an admin", 1), with_citation("Is it fast? ", 2)
    ('Django ships an admin [1].', 'Is it fast [2]?')
    """
    body = sentence.rstrip()
    end = body[-1] if body[-1] in ".!?" else "."
    return f"{body.rstrip('.!?').rstrip()} [{n}]{end}"


def cited_answer(
    question: str, picks: list[Pick], mode: str = EXTRACTIVE, note: str = "", timings: dict | None = None
) -> Answer:
    """An answer of the picked sentences in order; passages are numbered by first use."""
    citations: dict[str, Citation] = {}  # chunk id -> its citation
    parts = []
    for p in picks:
        cit = citations.setdefault(p.hit.chunk.chunk_id, Citation(len(citations) + 1, p.hit))
        cit.supporting.append(p.support)
        parts.append(with_citation(p.text, cit.n))
    return Answer(question, " ".join(parts), True, list(citations.values()), mode=mode, note=note,
                  timings=timings or {})  # fmt: skip
