"""Boilerplate: lines a site or a document repeats at the edges of most of its pages.

One rule at two scales. Within a PDF, a line at the top or bottom of most pages is a running
header or footer (formats/pdf.py). Across a corpus, a line among the first or last three of
most documents of one kind is a site's banner or footer that its extractor kept (SQLite's "This
page last modified on …", Git's "GIT: Part of the git(1) suite", a Sphinx theme's "Navigation"
label and "This document describes the current stable version" banner). Lines are compared by
shape (lower case, digits ignored), so a footer's date does not make it unique. The text keeps
such lines, so offsets stay exact; chunks cover only a document's body (`body`). Trade-offs: a
title (a `# ` heading) and code never count, and the start of text without heading markup
(plain text, PDF) is kept, since a title there is a line like any other; a corpus of fewer than
3 documents of a kind has none, and a line on fewer than half the pages stays. Measured:
docs/design.md, "Reading documents".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from kb.text.blocks import code_spans
from kb.text.sections import SHAPED_KINDS
from kb.types import Document

EDGE = 3  # lines at the start or end of a document that may be boilerplate
_LINE = re.compile(r"[^\n]*\S[^\n]*")


def shape(line: str) -> str:
    """A line as boilerplate is compared: stripped, lower case, each run of digits one '#'.

    >>> shape("  This page last modified on 2022-12-27 19:40:47 UTC ")
    'this page last modified on #-#-# #:#:# utc'
    """
    return re.sub(r"\d+", "#", line.strip().lower())


def repeated(edges: Iterable[set[str]]) -> set[str]:
    """Shapes found in at least half of the groups of edge lines (3 groups or more).

    >>> sorted(repeated([{"guide", "a"}, {"guide", "b"}, {"guide", "c"}, {"d"}]))
    ['guide']
    """
    groups = list(edges)
    if len(groups) < 3:
        return set()
    seen = Counter(s for g in groups for s in g)
    return {s for s, n in seen.items() if n >= max(3, len(groups) / 2) and s}


def _edge(text: str, head: bool) -> list[tuple[str, int, int]]:
    """(shape, start, end) of the first (`head`) or last `EDGE` non-empty lines, outermost first.
    A line of a code block has no shape (a closing fence ends many pages and is never a footer),
    nor has a title at the head (a `# ` heading: titles differing by a number share a shape)."""
    found = list(_LINE.finditer(text))
    lines = found[:EDGE] if head else found[-EDGE:][::-1]
    code = code_spans(text) if lines else []
    return [
        (
            ""
            if any(a <= m.start() < b for a, b in code) or (head and m.group().startswith("# "))
            else shape(m.group()),
            m.start(),
            m.end(),
        )
        for m in lines
    ]


def edge_shapes(text: str, head: bool) -> set[str]:
    """Shapes of the first (`head`) or last `EDGE` non-empty lines of a text, code left out."""
    return {sh for sh, _, _ in _edge(text, head) if sh}


def body(text: str, head: set[str], tail: set[str]) -> tuple[int, int]:
    """Where a text's body starts and ends: without the boilerplate lines (shapes `head` at its
    start, `tail` at its end) around it.

    >>> text = "Navigation\\n# Title\\nReal text.\\n\\nPart of the suite\\nLast modified 2024\\n"
    >>> start, end = body(text, {"navigation"}, {"part of the suite", "last modified #"})
    >>> text[start:end]
    '# Title\\nReal text.'
    """
    start, end = 0, len(text)
    for sh, _, e in _edge(text, True):
        if not sh or sh not in head:
            break
        start = e
    for sh, s, _ in _edge(text, False):
        if not sh or sh not in tail or s < start:
            break
        end = s
    inner = text[start:end]
    if (start, end) == (0, len(text)) or not inner.strip():  # none, or nothing else: keep it all
        return 0, len(text)
    return start + (len(inner) - len(inner.lstrip()) if start else 0), start + len(inner.rstrip())


def bodies(docs: Iterable[Document]) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Each document's body (only those with boilerplate at an edge), and one example of each
    boilerplate line found; documents are compared with the others of their kind. Text without
    heading markup (plain text, PDF) keeps its start: its title is a line like any other."""
    kinds: dict[str, list[Document]] = {}
    for d in docs:
        kinds.setdefault(d.kind, []).append(d)
    out, examples = {}, {}
    for kind, group in kinds.items():
        tail = repeated(edge_shapes(d.text, False) for d in group)
        head = set() if kind in SHAPED_KINDS else repeated(edge_shapes(d.text, True) for d in group)
        for d in group if head or tail else ():
            start, end = body(d.text, head, tail)
            if (start, end) != (0, len(d.text)):
                out[d.doc_id] = (start, end)
                for line in _LINE.findall(d.text[:start] + "\n" + d.text[end:]):
                    examples.setdefault(shape(line), line.strip())
    return out, list(examples.values())


def footer_note(lines: list[str], documents: int) -> str:
    """What ingest says about the boilerplate lines it left out.

    >>> footer_note(["## GIT", "Part of the git(1) suite"], 194)
    'left out of 194 documents, lines most pages start or end with: "## GIT"; "Part of the git(1) suite"'
    """
    shown = "; ".join(f'"{x[:60]}"' for x in lines[:3]) + (
        f" and {len(lines) - 3} more" if len(lines) > 3 else ""
    )
    return f"left out of {documents} documents, lines most pages start or end with: {shown}"
