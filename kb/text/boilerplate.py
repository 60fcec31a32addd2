"""Boilerplate: lines a site or a document repeats at the edges of most of its pages.

One rule at two scales. Within a PDF, a line at the top or bottom of most pages is a running
header or footer (formats/pdf.py). Across a corpus, a line among the last few of most documents
of one kind is a site's footer that its extractor kept (SQLite's "This page last modified on …",
Git's "GIT: Part of the git(1) suite"). Lines are compared by shape (lower case, digits
ignored), so a footer's date does not make it unique. The text keeps such lines, so offsets
stay exact; chunks cover only a document's body (`body`).
Trade-offs: only the end is cut (a document's first lines are its title, and titles that differ
only by a number have one shape); a corpus of fewer than 3 documents of a kind has none, and a
footer on fewer than half the pages stays. Measured: docs/design.md, "Reading documents".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from kb.text.blocks import code_spans
from kb.types import Document

EDGE = 3  # lines at the end of a document that may be its footer
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


def _tail(text: str) -> list[tuple[str, int, int]]:
    """(shape, start, end) of the last `EDGE` non-empty lines, last first; a line of a code
    block has no shape (a closing fence ends many pages and is never a footer)."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)][-EDGE:]
    code = code_spans(text)
    return [("" if any(a <= s < b for a, b in code) else shape(text[s:e]), s, e) for s, e in reversed(lines)]


def end_shapes(text: str) -> set[str]:
    """Shapes of the last `EDGE` non-empty lines of a text, code left out."""
    return {sh for sh, _, _ in _tail(text) if sh}


def body(text: str, shapes: set[str]) -> tuple[int, int]:
    """Where a text's body starts and ends: without the boilerplate lines at its end.

    >>> text = "# Title\\nReal text.\\n\\nPart of the suite\\nLast modified 2024\\n"
    >>> body(text, {"part of the suite", "last modified #"})
    (0, 18)
    """
    end = len(text)
    for sh, start, _ in _tail(text):
        if not sh or sh not in shapes:
            break
        end = start
    if end == len(text) or not text[:end].strip():  # no footer, or nothing else: keep it all
        return 0, len(text)
    return 0, len(text[:end].rstrip())


def bodies(docs: Iterable[Document]) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Each document's body (only those that end in boilerplate), and one example of each
    boilerplate line found; documents are compared with the others of their kind."""
    kinds: dict[str, list[Document]] = {}
    for d in docs:
        kinds.setdefault(d.kind, []).append(d)
    out, examples = {}, {}
    for group in kinds.values():
        shapes = repeated(end_shapes(d.text) for d in group)
        for d in group if shapes else ():
            start, end = body(d.text, shapes)
            if (start, end) != (0, len(d.text)):
                out[d.doc_id] = (start, end)
                for line in _LINE.findall(d.text[end:]):
                    examples.setdefault(shape(line), line.strip())
    return out, list(examples.values())


def footer_note(lines: list[str], documents: int) -> str:
    """What ingest says about the footer lines it left out.

    >>> footer_note(["## GIT", "Part of the git(1) suite"], 194)
    '194 documents end in footer lines, left out of their chunks: "## GIT"; "Part of the git(1) suite"'
    """
    shown = "; ".join(f'"{x[:60]}"' for x in lines[:3]) + (
        f" and {len(lines) - 3} more" if len(lines) > 3 else ""
    )
    return f"{documents} documents end in footer lines, left out of their chunks: {shown}"
