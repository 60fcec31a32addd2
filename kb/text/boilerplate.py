"""Boilerplate: lines a site or a document repeats at the edges of most of its pages.

One rule at two scales: a line at the top or bottom of most pages of a PDF is a running header
or footer (formats/pdf.py); a line among the first or last three of most documents of one kind
is a site's banner or footer that its extractor kept (SQLite's "This page last modified on …").
Lines compare by shape (lower case, digits ignored). The text keeps such lines, so offsets stay
exact; chunks cover only a document's body. Trade-offs: titles (`# ` headings) and code never
count, plain text and PDF keep their start, and a line on fewer than half of 3 or more
documents stays. docs/design.md, "Reading documents".
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


Edges = tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]


def edges(text: str) -> Edges:
    """(shape, start, end) of the first and of the last `EDGE` non-empty lines, outermost first.
    A line of a code block has no shape (a closing fence ends many pages and is never a footer),
    nor has a title at the head (a `# ` heading: titles differing by a number share a shape)."""
    found = list(_LINE.finditer(text))
    code = code_spans(text) if found else []

    def row(m: re.Match, head: bool) -> tuple[str, int, int]:
        blank = any(a <= m.start() < b for a, b in code) or (head and m.group().startswith("# "))
        return ("" if blank else shape(m.group())), m.start(), m.end()

    return [row(m, True) for m in found[:EDGE]], [row(m, False) for m in found[-EDGE:][::-1]]


def body(text: str, head: set[str], tail: set[str]) -> tuple[int, int]:
    """Where a text's body starts and ends: without the boilerplate lines (shapes `head` at its
    start, `tail` at its end) around it.

    >>> text = "Navigation\\n# Title\\nReal text.\\n\\nPart of the suite\\nLast modified 2024\\n"
    >>> start, end = body(text, {"navigation"}, {"part of the suite", "last modified #"})
    >>> text[start:end]
    '# Title\\nReal text.'
    """
    return _cut(text, edges(text), head, tail)


def _cut(text: str, edged: Edges, head: set[str], tail: set[str]) -> tuple[int, int]:
    first, last = edged
    start, end = 0, len(text)
    for sh, _, e in first:
        if not sh or sh not in head:
            break
        start = e
    for sh, s, _ in last:
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
        edged = [edges(d.text) for d in group]
        tail = repeated({sh for sh, _, _ in last if sh} for _, last in edged)
        head = (
            set()
            if kind in SHAPED_KINDS
            else repeated({sh for sh, _, _ in first if sh} for first, _ in edged)
        )
        for d, e in zip(group, edged) if head or tail else ():
            start, end = _cut(d.text, e, head, tail)
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
