"""Which blocks of an HTML page are its main content: those whose words trafilatura's main text
holds, and what lies between them (kb/ingest/formats/html.py walks the page for the blocks).
"""

from __future__ import annotations

import re

from kb.ingest.formats.html_title import only_top
from kb.text.blocks import INVISIBLE, Block

_WORDS = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """A text's words, lower-cased: what blocks are compared by ("docu&shy;mentation" is one word,
    however trafilatura writes it).

    >>> words_of("The docu\u00admentation of pg_stat_\u200bactivity")
    ['the', 'documentation', 'of', 'pg_stat_activity']
    """
    return _WORDS.findall(INVISIBLE.sub("", text).lower())


def main_blocks(blocks: list[Block], main: str) -> list[Block]:
    """The blocks whose words trafilatura's main text holds, every block between the first and the
    last of those, and the headings of their sections. A block of under three words (or none, like
    a code block of operators) needs its neighbours kept. The page's only top heading, when it
    comes first, opens the main content: what trafilatura drops between it and the first block it
    keeps stays (a manual page's "NAME" line, in asciidoc's header `div`)."""
    words = words_of(main)
    grams = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
    joined = f" {' '.join(words)} "

    def kept(w: list[str]) -> bool:
        own = [tuple(w[i : i + 3]) for i in range(len(w) - 2)]
        return sum(g in grams for g in own) >= 0.5 * len(own)

    bodies = [(i, words_of(b.text)) for i, b in enumerate(blocks) if b.kind != "heading"]
    keep = [False] * len(blocks)
    for i, w in bodies:
        keep[i] = len(w) >= 3 and kept(w)
    for n, (i, w) in enumerate(bodies):
        if len(w) < 3 and (not w or f" {' '.join(w)} " in joined):
            before = [j for j, v in reversed(bodies[:n]) if len(v) >= 3][:1]
            after = [j for j, v in bodies[n + 1 :] if len(v) >= 3][:1]
            keep[i] = bool(before + after) and all(keep[j] for j in before + after)
    inside = [i for i, _ in bodies if keep[i]]
    if inside and (top := only_top(blocks)) is not None and top < inside[0]:
        inside.insert(0, top)
    for i, _ in bodies:  # trafilatura sometimes drops a whole section inside the main content
        keep[i] = keep[i] or bool(inside) and inside[0] < i < inside[-1]
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            end = next((j for j in range(i + 1, len(blocks)) if blocks[j].kind == "heading"
                        and blocks[j].level <= b.level), len(blocks))  # fmt: skip
            keep[i] = any(keep[i + 1 : end])
    return [b for b, k in zip(blocks, keep) if k]
