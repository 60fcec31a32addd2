"""PDF files to blocks, one page at a time, through pypdf.

Lines repeated at the top or bottom of most pages (running headers and footers, digits ignored)
and bare page numbers are dropped; a word hyphenated at a line end is joined; lines are joined
into paragraphs, a paragraph ending at a short line that ends a sentence, or before a bullet.
Trade-off: multi-column pages and tables come out in pypdf's reading order.
"""

from __future__ import annotations

import re
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
    pages = [[x for x in (p.extract_text() or "").split("\n") if x.strip()] for p in reader.pages]
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
    return blocks, title
