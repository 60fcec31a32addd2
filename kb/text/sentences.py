"""Sentences of a text, and which of them can answer a question.

A line is always its own unit (bullets and table rows never merge into one sentence), and so is a
fenced code block. Answer sentences leave out headings, questions, code and lead-ins ending in
":"; they are what extractive answers are made of and what ingest stores a vector for, so
changing them changes CHUNKER_VERSION.
"""

from __future__ import annotations

import re

from kb.text.blocks import code_spans
from kb.text.sections import BULLETS, MD_HEADING, heading_shaped

# "curveLow", "maturity30+", "readable)Low": where flattening dropped the space between cells
_GLUED = re.compile(r"\b[a-z]{2,}[A-Z0-9]|\)[A-Za-z0-9]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9•])")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence, each line being at least its own unit, each code block one.

    >>> t = "Node is fast. Python wins at ML.\\n  • FastAPI handles 10k req/s\\n```\\na = 1. b = 2\\n```"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Node is fast.', 'Python wins at ML.', '• FastAPI handles 10k req/s', '```\\na = 1. b = 2\\n```']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for s, e in [*code_spans(text), (len(text), len(text))]:
        spans.extend(_prose_spans(text[pos:s], offset + pos))
        if e > s:
            spans.append((offset + s, offset + e))
        pos = e
    return spans


def _prose_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line)]
        for a, b in zip(cuts, cuts[1:]):
            piece = line[a:b]
            stripped = piece.strip()
            if stripped:
                s = a + piece.index(stripped[0])
                spans.append((offset + pos + s, offset + pos + s + len(stripped)))
        pos += len(line) + 1
    return spans


def answer_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a passage that can answer a question: no headings, questions, lead-ins or code.

    Bullet markers are left out of the span. These are what extractive answers are made of, and
    what ingest stores a vector for.

    >>> t = "Costs\\n  • Django MVP: EUR 3,000-8,000 in total.\\nWhat about NestJS?"
    >>> [t[s:e] for s, e in answer_spans(t)]
    ['Django MVP: EUR 3,000-8,000 in total.']
    """
    out = []
    for s, e in sentence_spans(text):
        if text.startswith(("```", "~~~"), s) or MD_HEADING.match(text[s:e]):
            continue
        bullet = text[s] in BULLETS
        while s < e and (text[s] in BULLETS or text[s].isspace()):
            s += 1
        piece = text[s:e]
        plain = piece.rstrip("+").strip()
        if len(plain) < 25 or plain.endswith(":"):
            continue
        if not bullet and (plain.endswith("?") or heading_shaped(piece) and not table_row(piece)):
            continue
        out.append((s, e))
    return out


def table_row(line: str) -> bool:
    """A row of a table: cells split by "|" or tabs, or glued together by flattening.

    >>> table_row("Learning curveLow (clean syntax)Low-medium"), table_row("JavaScript Frameworks")
    (True, False)
    """
    return "|" in line or "\t" in line or bool(_GLUED.search(line))


_LEANS_BACK = re.compile(
    r"(This|These|That|Those|It|They|Such|However|Therefore|Thus|Hence|Otherwise|Instead|But|"
    r"As a result|In this case|In that case|For this reason)\b"
)


def leans_back(sentence: str) -> bool:
    """Does the sentence's meaning depend on the one before it?

    >>> leans_back("This happens because the closure reads x late."), leans_back("Thistle grows.")
    (True, False)
    """
    return bool(_LEANS_BACK.match(sentence.lstrip("•-*· ")))


def with_context(text: str, spans: list[tuple[int, int]], i: int) -> tuple[int, int]:
    """Span `i`, widened to start at the sentence before it on the same line when it leans back.

    >>> t = "Closures read x late. This is why all lambdas return 4.\\nThis line stands alone."
    >>> spans = sentence_spans(t)
    >>> [t[slice(*with_context(t, spans, i))] for i in (1, 2)]
    ['Closures read x late. This is why all lambdas return 4.', 'This line stands alone.']
    """
    s, e = spans[i]
    if i and leans_back(text[s:e]) and "\n" not in text[spans[i - 1][0] : s]:
        return spans[i - 1][0], e
    return s, e
