"""PDF files to blocks, one page at a time, through pypdf.

Lines repeated at the top or bottom of most pages (running headers and footers, digits ignored)
and bare page numbers are dropped; ligature glyphs ("ﬁ") become letters and TeX's separate
accents ("M¨oller") join their letter; a word hyphenated at a line end is joined; lines are joined
into paragraphs, a paragraph ending at a short line that ends a sentence, or before a bullet.
Trade-off: multi-column pages and tables come out in pypdf's reading order.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kb.text.blocks import Block
from kb.text.boilerplate import repeated, shape
from kb.text.sections import BULLETS, heading_shaped

_PAGE_NO = re.compile(r"^\W*(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\W*$", re.I)
_ITEM = re.compile(rf"^([{re.escape(BULLETS)}]|\d{{1,2}}[.)])\s")
EDGE = 2  # lines at the top and at the bottom of a page that may be a running header or footer


def running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of lines found at a page edge on at least half of the pages (3 pages or more).

    >>> pages = [["Guide", f"Body {c}.", "More.", f"End {c}.", f"Page {n}"] for n, c in enumerate("abcd")]
    >>> sorted(running_lines(pages))
    ['guide', 'page #']
    """
    return repeated({shape(x) for x in lines[:EDGE] + lines[-EDGE:]} for lines in pages)


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})  # fmt: skip
# TeX sets an accent as its own glyph before the letter: pypdf reads "M¨oller", "d´ej`a"
_ACCENTS = {"\u00a8": "\u0308", "\u00b4": "\u0301", "\u02c6": "\u0302", "\u02dc": "\u0303",
            "\u00b8": "\u0327", "\u02d8": "\u0306", "\u02c7": "\u030c", "\u02da": "\u030a"}  # fmt: skip
_SPACING_ACCENT = re.compile(f"([{''.join(_ACCENTS)}])([A-Za-z])")


def glyphs_to_letters(line: str) -> str:
    """Ligature glyphs as their letters and a TeX accent joined to its letter, so words match.

    >>> glyphs_to_letters("Font con\ufb01guration \ufb01les by Niels M\u00a8oller")
    'Font configuration files by Niels Möller'
    """
    line = line.translate(_LIGATURES)
    return _SPACING_ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), line)


def dehyphenate(lines: list[str]) -> list[str]:
    """Join words split by a hyphen at a line end.

    >>> dehyphenate(["the data is replic-", "ated to standbys", "a well-", "Known case"])
    ['the data is replicated', 'to standbys', 'a well-', 'Known case']
    """
    out = list(lines)
    for i in range(len(out) - 1):
        m = re.search(r"([a-z]+)-$", out[i])
        nxt = out[i + 1].lstrip()
        if m and nxt[:1].islower():
            word, _, rest = nxt.partition(" ")
            out[i] = out[i][:-1] + word
            out[i + 1] = rest
    return [x for x in out if x.strip()]


def paragraphs(lines: list[str]) -> list[str]:
    """Lines joined into paragraphs and list items.

    >>> paragraphs(["Backups matter. Take them every", "day.", "• Test restores", "Setup", "Run it now."])
    ['Backups matter. Take them every day.', '• Test restores', 'Setup', 'Run it now.']
    """
    width = sorted(len(x) for x in lines)[int(len(lines) * 0.8)] if lines else 0
    out: list[str] = []
    open_ = False
    for line in (x.strip() for x in lines):
        starts_new = not open_ or _ITEM.match(line) or heading_shaped(line) and len(line) < 0.7 * width
        if starts_new:
            out.append(line)
        else:
            out[-1] += " " + line
        short = len(line) < 0.7 * width
        open_ = not (short and (line[-1:] in ".!?:" or heading_shaped(line)))
    return out


def _running(line: str, running: set[str]) -> bool:
    return shape(line) in running or bool(_PAGE_NO.match(line))


def pdf_blocks(path: Path) -> tuple[list[Block], str]:
    """Blocks of a PDF, each with its page number, and the document's title ("" when none)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):  # an empty user password opens many
        raise FileNotDecryptedError("the PDF is encrypted with a password")
    pages = [
        [glyphs_to_letters(x) for x in (p.extract_text() or "").split("\n") if x.strip()]
        for p in reader.pages
    ]
    running = running_lines(pages)
    blocks: list[Block] = []
    for n, lines in enumerate(pages, start=1):
        edge = set(range(EDGE)) | set(range(len(lines) - EDGE, len(lines)))
        body = [x for i, x in enumerate(lines) if i not in edge or not _running(x, running)]
        for para in paragraphs(dehyphenate(body)):
            item = _ITEM.match(para)
            blocks.append(Block("item", para[item.end() :], page=n) if item else Block("para", para, page=n))
    meta = reader.metadata
    title = str(meta.title).strip() if meta and meta.title else ""
    return blocks, title or title_line(pages[0] if pages else [])


def title_line(lines: list[str]) -> str:
    """A PDF's title when its metadata has none (TeX sets none): the first line of its first
    page (often also its running header), page numbers aside, if it reads like a title; else ""
    (the first heading then is the title).

    >>> title_line(["1", "Nettle Manual", "Niels Möller"])
    'Nettle Manual'
    >>> title_line(["Run the tool on each file before you commit."])
    ''
    """
    first = next((x.strip() for x in lines if not _PAGE_NO.match(x)), "")
    return first if 2 <= len(first) <= 100 and len(first.split()) <= 14 and first[-1] not in ".,;:!?" else ""
