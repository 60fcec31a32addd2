"""Assemble a cited answer: each sentence followed by the number of the passage that supports it.

Both answer modes end here (the extractive one with passage sentences, an LLM mode with the
model's checked sentences), so citations are numbered and shaped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.settings import EXTRACTIVE
from kb.text.sentences import prose_end
from kb.types import Answer, Citation, Hit, Span


@dataclass(frozen=True)
class Pick:
    """One answer sentence, the passage it comes from, and the passage sentence that supports it."""

    text: str
    hit: Hit
    support: Span


def with_citation(sentence: str, n: int) -> str:
    """The sentence with " [n]" before its final punctuation (a full stop when it has none); a
    lead-in with its code block is cited at the lead-in, the code after it as its own paragraph.

    >>> with_citation("Django ships an admin", 1), with_citation("Is it fast? ", 2)
    ('Django ships an admin [1].', 'Is it fast [2]?')
    >>> with_citation("Dump it:\\n```\\npg_dump db\\n```", 3)
    'Dump it [3]:\\n\\n```\\npg_dump db\\n```'
    """
    body = sentence.rstrip()
    if (cut := prose_end(body, 0, len(body))) < len(body):
        code = body[cut:].lstrip()
        return f"{with_citation(body[:cut], n)}\n\n{code}" if cut else code
    end = body[-1] if body[-1] in ".!?:" else "."
    return f"{body.rstrip('.!?:').rstrip()} [{n}]{end}"


def joined(parts: list[str]) -> str:
    """Answer sentences in one paragraph, but for code blocks, which stand on their own lines.

    >>> joined(["A [1].", "Run [1]:\\n\\n```\\nkb\\n```", "B [2]."])
    'A [1]. Run [1]:\\n\\n```\\nkb\\n```\\n\\nB [2].'
    """
    out = ""
    for part in parts:
        out += ("\n\n" if out.endswith(("```", "~~~")) else " " if out else "") + part
    return out


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
    return Answer(question, joined(parts), True, list(citations.values()), mode=mode, note=note,
                  timings=timings or {})  # fmt: skip
