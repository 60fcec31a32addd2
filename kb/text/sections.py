"""Find a document's title and sections (heading paths with exact offsets).

Markdown, and every format the loaders turn into kb's clean text (kb/text/blocks.py), uses its
`#` headings, never inside code blocks. Flattened web text has none, so headings are recognised
by shape: short lines without closing punctuation that stand alone, open a block of bullets or
sentences, or follow a finished sentence (FAQ questions too). An admonition's title ("Note")
opens no section in any format, nor does a line shaped like code ("[ IF EXISTS ]") in flattened
text. Trade-off: a short one-line paragraph without a full stop becomes a heading; nothing is
lost, since every line stays inside some section. docs/design.md has the details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.text.blocks import code_spans

BULLETS = "•-*·–—▪◦●"
SHAPED_KINDS = ("txt", "pdf")  # no heading markup: headings recognised by shape
MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
# an admonition's title ("Note", "Warning:") labels a paragraph; it never opens a section
ADMONITIONS = {"note", "tip", "hint", "warning", "caution", "important", "danger", "attention"}


@dataclass(frozen=True)
class Line:
    text: str  # without the newline
    start: int
    end: int  # end of the text, excluding the newline


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]
    start: int
    end: int


def lines_of(text: str) -> list[Line]:
    """Split text into lines with offsets.

    >>> [(ln.text, ln.start, ln.end) for ln in lines_of("ab\\n\\ncd")]
    [('ab', 0, 2), ('', 3, 3), ('cd', 4, 6)]
    """
    out, pos = [], 0
    for raw in text.split("\n"):
        body = raw.rstrip("\r")
        out.append(Line(body, pos, pos + len(body)))
        pos += len(raw) + 1
    return out


_INNER_END = re.compile(r"[a-z]{2}[.!?] [A-Z]")  # a sentence ends inside the line


def heading_shaped(s: str) -> bool:
    """Short, no closing punctuation, no sentence ending inside, starts with a capital: could be a
    heading ("Most commands print nothing. The command" is a paragraph cut short by code).

    >>> heading_shaped("Common Mistakes to Avoid"), heading_shaped("Django ships an admin.")
    (True, False)
    >>> heading_shaped("Chapter 8. Data Types"), heading_shaped("Most print nothing. The command")
    (True, False)
    """
    s = s.strip()
    if not (2 <= len(s) <= 100) or s[0] in BULLETS or len(s.split()) > 14 or _INNER_END.search(s):
        return False
    first_alpha = next((c for c in s if c.isalpha()), "")
    return s[-1] not in ".,;:!" and first_alpha.isupper()


_MARK = re.compile(r"[ \t]*(?:[•·▪◦●][ \t]*|[-*–—][ \t]+)?")


def after_mark(text: str, start: int = 0) -> int:
    """Where a line's words start: after its indent and bullet mark, if it has one. A dash with no
    space after it is no mark: it is the option's own ("-v").

    >>> [after_mark(t) for t in ("- -v --verbose: more", "-v: more", "  • Django", "*args")]
    [2, 0, 4, 0]
    """
    return _MARK.match(text, start).end()


# a synopsis line ("[ IF EXISTS ] name", "SET { LOGGED | UNLOGGED }") or a code comment
# ("; Archive created at …") that lost its code block when a PDF was printed is no heading
_CODE_MARKS = re.compile(r"[\[\]{}|<>=]|^\W")


def admonition(line: str) -> bool:
    """Is the line an admonition's title, a label rather than a heading?

    >>> admonition("Note"), admonition("Warning:"), admonition("Notes")
    (True, True, False)
    """
    return line.strip().rstrip(":").lower() in ADMONITIONS


def _bullet(s: str) -> bool:
    s = s.strip()
    return bool(s) and s[0] in BULLETS


def _sentence_end(s: str) -> bool:
    s = s.strip()
    return len(s) > 100 or (bool(s) and s[-1] in ".!:?")


def _question(s: str) -> bool:
    return s.strip().rstrip("+").endswith("?") or s.strip().endswith("+")


# a numbered heading: "7.16 Why is …", "3.3.1 Lexical scoping", "A.2 Files", "Chapter 8. Types"
_NUMBERED = re.compile(r"^(?:(?:Chapter|Appendix|Part)\s+)?(\d{1,2}|[A-Z](?=\.\d))((?:\.\d{1,2})*)\.?\s+\S")


def numbered_level(line: str) -> int:
    """The depth of a heading's number (0 when it has none).

    >>> [numbered_level(s) for s in ("7 Misc", "7.16 Why is it?", "A.1.2 Files", "A sample", "Preface")]
    [1, 2, 3, 0, 0]
    """
    m = _NUMBERED.match(line.strip())
    return 1 + m.group(2).count(".") if m else 0


def unnumbered(heading: str) -> str:
    """The heading without its number.

    >>> unnumbered("8.3. Character Types"), unnumbered("Chapter 19. Server Setup"), unnumbered("2xx codes")
    ('Character Types', 'Server Setup', '2xx codes')
    """
    m = _NUMBERED.match(heading.strip())
    return heading.strip()[m.end() - 1 :] if m else heading.strip()


def _by_numbers(lines: list[Line], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """When a document numbers its headings (three or more, two of them "n.m"), only the numbered
    ones are headings, at their number's depth: the others are lead-ins to code, list terms and
    table rows that happen to be short ("You can use", "R-announce")."""
    depth = [(i, numbered_level(lines[i].text)) for i, _ in found]
    numbered = [(i, d) for i, d in depth if d]
    return numbered if len(numbered) >= 3 and sum(d > 1 for _, d in numbered) >= 2 else found


def _text_headings(lines: list[Line], text: str) -> list[tuple[int, int]]:
    """(line index, level) of the heading-like lines of flattened text, outside code blocks."""
    found: list[tuple[int, int]] = []
    blocks: list[list[int]] = []
    code = code_spans(text)
    for i, ln in enumerate(lines):
        if ln.text.strip() and not any(s <= ln.start < e for s, e in code):
            if blocks and blocks[-1][-1] == i - 1:
                blocks[-1].append(i)
            else:
                blocks.append([i])
    for block in blocks:
        for pos, i in enumerate(block):
            s = lines[i].text
            if not heading_shaped(s) or admonition(s) or _CODE_MARKS.search(s.strip()):
                continue
            nxt = lines[block[pos + 1]].text if pos + 1 < len(block) else None
            if len(block) == 1:
                found.append((i, 2 if _question(s) else 1))
            elif pos == 0:
                if _bullet(nxt) or _sentence_end(nxt):
                    found.append((i, 2))
            else:
                prev = lines[block[pos - 1]].text
                prev_done = _sentence_end(prev) or _bullet(prev)
                if prev_done and (nxt is None or _bullet(nxt) or _sentence_end(nxt)):
                    found.append((i, 2))
    return _by_numbers(lines, found)


def _md_headings(lines: list[Line], text: str) -> list[tuple[int, int]]:
    code = code_spans(text)
    out = []
    for i, ln in enumerate(lines):
        m = MD_HEADING.match(ln.text)
        if m and not admonition(m.group(2)) and not any(s <= ln.start < e for s, e in code):
            out.append((i, len(m.group(1))))
    return out


def heading_text(line: str) -> str:
    """The words of a heading line, markers removed.

    >>> heading_text("## Costs and timelines ##")
    'Costs and timelines'
    >>> heading_text("Can Python handle high traffic?+")
    'Can Python handle high traffic?'
    """
    m = MD_HEADING.match(line)
    s = m.group(2) if m else line.strip()
    return s.rstrip("+").strip() if s.endswith("?+") else s


def _title_index(lines: list[Line], heads: list[tuple[int, int]], markdown: bool) -> int | None:
    if not heads:
        return None
    if markdown:
        top = min(level for _, level in heads)
        return next(i for i, level in heads if level == top)
    for i, _ in heads:  # the first heading followed by a body paragraph
        nxt = next((ln.text for ln in lines[i + 1 :] if ln.text.strip()), "")
        if nxt and not heading_shaped(nxt):
            return i
    return heads[0][0]


def split_sections(text: str, kind: str) -> tuple[str, list[Section]]:
    """Title and sections (covering all of `text`, in order) of a document.

    >>> title, secs = split_sections("Guide\\n\\nIntro text here.\\n\\nCosts\\n\\nIt costs a lot.\\n", "txt")
    >>> title, [(s.path, s.start, s.end) for s in secs]
    ('Guide', [((), 0, 25), (('Costs',), 25, 48)])
    """
    lines = lines_of(text)
    markdown = kind not in SHAPED_KINDS
    heads = _md_headings(lines, text) if markdown else _text_headings(lines, text)
    t_idx = _title_index(lines, heads, markdown)
    first = next((ln.text.strip() for ln in lines if ln.text.strip()), "")
    title = heading_text(lines[t_idx].text) if t_idx is not None else first[:120]

    starts: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    stack: list[tuple[int, str]] = []
    title_level = dict(heads).get(t_idx, 0) if t_idx is not None else 0
    for i, level in heads:
        if i == t_idx:
            stack = []
            path: tuple[str, ...] = ()
        else:
            if markdown and level <= title_level:
                level = title_level + 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading_text(lines[i].text)))
            path = tuple(name for _, name in stack)
        starts.append((lines[i].start, path))

    sections: list[Section] = []
    for n, (start, path) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        if end > start or (start == 0 and end == 0 and not text):
            sections.append(Section(path, start, end))
    return title, _merge_empty(text, sections)


def _merge_empty(text: str, sections: list[Section]) -> list[Section]:
    """Fold a section with no body (a heading straight before another) into the next one."""
    out: list[Section] = []
    carry: int | None = None
    for n, sec in enumerate(sections):
        start = carry if carry is not None else sec.start
        body = text[sec.start : sec.end].split("\n", 1)
        empty = len(body) < 2 or not body[1].strip()
        if empty and n + 1 < len(sections):
            carry = start
            continue
        carry = None
        out.append(Section(sec.path, start, sec.end))
    return [s for s in out if text[s.start : s.end].strip()] or out[:1]


_NAME_LINE = re.compile(r"(\S.{0,80}?) +[-–—] +(\S.{0,150})")


def manual_title(text: str, kind: str) -> str:
    """A manual page's one-line summary ("git-stash - Stash the changes …", "CREATE INDEX — define
    a new index"): the only line of an early section headed "NAME", or headed (or, first, titled) by
    the name the line starts with; else "". It says what the page is about where the page's own title
    ("git-stash(1) Manual Page") does not. Formats with heading markup only.

    >>> manual_title("# git-stash(1)\\n\\n## NAME\\n\\ngit-stash - Stash the changes away\\n", "md")
    'git-stash - Stash the changes away'
    >>> manual_title("# CREATE INDEX\\n\\n## CREATE INDEX\\n\\nCREATE INDEX — define a new index\\n", "html")
    'CREATE INDEX — define a new index'
    >>> manual_title("# Guide\\n\\n## Name\\n\\nPick a name for your project.\\n", "md")
    ''
    >>> manual_title("# Signals\\n\\nSignals — a notification mechanism\\n\\n## API\\n", "html")  # gtk-doc
    'Signals — a notification mechanism'
    """
    if kind in SHAPED_KINDS:
        return ""
    title, sections = split_sections(text, kind)
    for sec in sections[:3]:
        head = (sec.path[-1] if sec.path else title).strip()
        body = [
            ln.strip()
            for ln in text[sec.start : sec.end].split("\n")
            if ln.strip() and not MD_HEADING.match(ln)
        ]
        if head and len(body) == 1 and (m := _NAME_LINE.fullmatch(body[0])):
            if head.lower() == "name" or m[1].lower().startswith(head.lower()):
                return body[0]
    return ""
