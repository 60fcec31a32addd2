"""kb's clean text: what every structured format is turned into, and what offsets point into.

Readers for HTML, Markdown, PDF, Word, PowerPoint and EPUB produce `Block`s; `render` writes them
as a small Markdown subset: `#` headings, one paragraph per line, `- ` list items, `| a | b |`
table rows and fenced code blocks kept exactly. Plain text files are stored as they are. Trade-off:
inline markup (links, emphasis, inline code) is reduced to its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # tab, newlines and form feed are not
# marks that only say where a word may break or join (soft hyphen, zero-width space, word joiner,
# a BOM inside the text): invisible on the page, yet they split "pg_stat_\u200bactivity" in two
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def drop_controls(text: str) -> str:
    """Text without control characters (NUL, the ESC of terminal escape sequences, C1 codes) and
    invisible break marks (Javadoc writes "assertEquals\\u200b(", HTML "docu&shy;mentation").

    >>> drop_controls("a\\x00b\\x1b[2Jc\\td"), drop_controls("docu\\xadmentation assertEquals\\u200b(x)")
    ('ab[2Jc\\td', 'documentation assertEquals(x)')
    """
    return INVISIBLE.sub("", CONTROL.sub("", text))


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "para", "item", "row" or "code"
    text: str
    level: int = 0  # heading level
    page: int = 0  # 1-based page or slide; 0 when the format has none


def squash(text: str) -> str:
    """Whitespace runs to one space.

    >>> squash("  a\\n  b  ")
    'a b'
    """
    return " ".join(text.split())


def _fence(code: str) -> str:
    """A backtick fence longer than any backtick run inside the code."""
    longest = max((len(m.group(0)) for m in re.finditer(r"`{3,}", code)), default=2)
    return "`" * max(3, longest + 1)


def _fenced(code: str) -> str:
    fence = _fence(code)
    return f"{fence}\n{code}\n{fence}"


def _written(b: Block) -> str:
    if b.kind == "code":
        code = drop_controls(b.text)
        return _fenced("\n".join(line.rstrip() for line in code.strip("\n").split("\n")))
    text = squash(drop_controls(b.text))
    if b.kind == "heading":
        return "#" * min(max(b.level, 1), 6) + " " + text
    return f"- {text}" if b.kind == "item" else text


def render(blocks: list[Block]) -> tuple[str, tuple[int, ...]]:
    """The clean text of `blocks` and, for paged formats, the offset where each page starts.

    >>> text, pages = render([Block("heading", "Guide", 1, 1), Block("para", "Hi  there.", page=1),
    ...                       Block("item", "one", page=2), Block("item", "two", page=2)])
    >>> text, pages
    ('# Guide\\n\\nHi there.\\n\\n- one\\n- two', (0, 20))
    """
    parts: list[str] = []
    pages: list[int] = []
    pos, prev, page = 0, None, 0
    for b in blocks:
        out = _written(b)
        if not out.strip("#- `|"):
            continue
        if prev is not None:
            same_list = prev.kind == b.kind in ("item", "row") and b.page == prev.page
            sep = "\n" if same_list else "\n\n"
            parts.append(sep)
            pos += len(sep)
        while page < b.page:
            page += 1
            pages.append(pos)
        parts.append(out)
        pos += len(out)
        prev = b
    return "".join(parts), tuple(pages)


def code_spans(text: str, code_open: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each fenced code block, fences included; an unclosed fence runs to the end.
    `code_open`: the text starts inside a block (a passage cut from a long one), which runs to the
    first fence line, or to the end when there is none.

    >>> t = "Run:\\n```\\n# not a heading\\n```\\nDone."
    >>> [t[s:e] for s, e in code_spans(t)]
    ['```\\n# not a heading\\n```']
    >>> t = "x = 1\\n```\\nDone.\\n```\\ny = 2"
    >>> [t[s:e] for s, e in code_spans(t, code_open=True)]
    ['x = 1\\n```', '```\\ny = 2']
    """
    out, pos, opened = [], 0, (0, "") if code_open else None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if opened is None and m:
            opened = (pos, m.group(1))
        elif (
            opened is not None
            and m
            and (not opened[1] or m.group(1)[0] == opened[1][0] and len(m.group(1)) >= len(opened[1]))
        ):
            if not line.strip().strip(m.group(1)[0]):
                out.append((opened[0], pos + len(line)))
                opened = None
        pos += len(line) + 1
    if opened is not None:
        out.append((opened[0], len(text)))
    return out


def closed(code: str) -> str:
    """A code piece as a whole fenced block: a passage cut from a long block lacks a fence.

    >>> closed("x = 1\\n```"), closed("```\\nx = 1"), closed("```\\nx\\n```")
    ('```\\nx = 1\\n```', '```\\nx = 1\\n```', '```\\nx\\n```')
    """
    lines = code.split("\n")
    first = _FENCE.match(lines[0])
    last = _FENCE.match(lines[-1]) if len(lines) > 1 or not first else None
    fence = _fence(code)
    if not first:
        code = (last.group(1) if last else fence) + "\n" + code
    if not last or lines[-1].strip().strip(last.group(1)[0]):
        code += "\n" + (first.group(1) if first else fence)
    return code


def page_of(pages: tuple[int, ...], offset: int) -> int:
    """1-based page holding `offset`, or 0 when the document has no pages.

    >>> page_of((0, 22), 21), page_of((0, 22), 22), page_of((), 5)
    (1, 2, 0)
    """
    from bisect import bisect_right

    return bisect_right(pages, offset) if pages else 0


def segments(text: str, code_open: bool = False) -> list[tuple[bool, str]]:
    """The text cut into (is_code, piece) runs, for showing code as code (`code_open`: as in
    `code_spans`).

    >>> segments("Run:\\n```\\nkb ask\\n```\\nDone.")
    [(False, 'Run:\\n'), (True, '```\\nkb ask\\n```'), (False, '\\nDone.')]
    """
    out, pos = [], 0
    for s, e in code_spans(text, code_open):
        if s > pos:
            out.append((False, text[pos:s]))
        out.append((True, text[s:e]))
        pos = e
    if pos < len(text):
        out.append((False, text[pos:]))
    return out
