"""PDF files to blocks, one page at a time, through pypdf.

Lines repeated at the top or bottom of most pages (running headers and footers, digits ignored),
or of a page nearby when they carry a number (a book's "Chapter 7: Miscellanea 37"), bare page
numbers, and the entries of tables of contents and indexes ("Vectors . . . . 12") are dropped;
a page that is mostly such entries is dropped whole. Code lines (pdf_lines.py) after an open
sentence ("To quit R, type") are a code block. A word hyphenated at a line end is joined; lines
are joined into paragraphs, a paragraph ending at a short line that ends a sentence, or before
a bullet. Trade-off: multi-column pages and tables come out in pypdf's reading order.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from kb.ingest.formats.pdf_lines import page_lines
from kb.text.blocks import Block
from kb.text.boilerplate import repeated, shape
from kb.text.sections import BULLETS, heading_shaped
from kb.text.sentences import lead_in

_PAGE_NO = re.compile(r"^\W*(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\W*$", re.I)
_ITEM = re.compile(rf"^([{re.escape(BULLETS)}]|\d{{1,2}}[.)])\s")
# a contents or index entry: a dot leader and page numbers ("Arrays . . . 20", "Setup....iv",
# "coercion . . . 3, 4, 17-19")
_PAGE_REF = r"([0-9]{1,4}|[ivxlc]{1,6})"
_LEADER = re.compile(rf"((\.\s?){{4,}}|…)\s*{_PAGE_REF}(\s*[,–-]\s*{_PAGE_REF})*$")
EDGE = 2  # lines at the top and at the bottom of a page that may be a running header or footer
NEARBY = 2  # pages apart within which numbered edge lines of one frame are a running header


def frame(line: str) -> str:
    """A numbered edge line's first word and number, its other words left out ("" for others):
    the chapters of a book share the frame of their running header.

    >>> frame("Chapter 7: R Miscellanea 37"), frame("Chapter 2: Vectors 9"), frame("See page 4.")
    ('chapter … #', 'chapter … #', '')
    """
    words = shape(line).split()
    if len(words) < 3 or words[-1] != "#" or len(re.findall(r"[a-z]{2,}", line.lower())) < 2:
        return ""
    return f"{words[0]} … #"


def _title_like(line: str) -> bool:
    """Two words or more and no digits: "Memcheck: a memory error detector", not "Step 2 done"."""
    return not any(c.isdigit() for c in line) and len(re.findall(r"[a-z]{2,}", line.lower())) >= 2


def running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of lines found at a page edge on at least half of the pages (3 pages or more);
    frames of numbered lines found at an edge of two pages at most `NEARBY` apart: a chapter's
    running header with its page number ("Chapter 1: Intro 2" … "Chapter 2: Vectors 4"); and
    lines of two words or more and no digits heading three pages of any five: a chapter's title
    as its header.

    >>> pages = [["Guide", f"Body {c}.", "More.", f"End {c}.", f"Page {n}"] for n, c in enumerate("abcd")]
    >>> sorted(running_lines(pages))
    ['guide', 'page #']
    >>> book = [["Intro", "Text a."], ["Chapter 1: Intro 2", "Text b."], ["3", "Text c."],
    ...         ["Chapter 2: Vectors 4", "Text d."], ["12 apples", "Text e."], ["12 pears", "Text f."]]
    >>> sorted(running_lines(book))
    ['chapter … #']
    >>> heads = ["Memcheck: a tool"] * 2 + ["Intro", "Memcheck: a tool"] + [f"Step {n} done" for n in "123"]
    >>> found = running_lines([[t, f"Text {n}."] for n, t in enumerate(heads + ["Massif tool"] * 2)])
    >>> "memcheck: a tool" in found, "massif tool" in found, "step # done" in found  # 3 of 5; 2; digits
    (True, False, False)
    """
    edges = [lines[:EDGE] + lines[-EDGE:] for lines in pages]
    frames = [{f for x in found if (f := frame(x))} for found in edges]
    later = [set().union(*frames[n + 1 : n + 1 + NEARBY]) for n in range(len(frames))]
    nearby = {f for found, after in zip(frames, later) for f in found & after}
    tops = [{shape(x) for x in lines[:EDGE] if _title_like(x)} for lines in pages]
    window = 2 * NEARBY + 1
    titles = {s for n, top in enumerate(tops) for s in top if sum(s in t for t in tops[n : n + window]) >= 3}
    return repeated({shape(x) for x in found} for found in edges) | nearby | titles


def dehyphenate(lines: list[str]) -> list[str]:
    """Join words split by a hyphen (or a soft hyphen, U+00AD) at a line end.

    >>> dehyphenate(["the data is replic-", "ated to standbys", "a well-", "Known case"])
    ['the data is replicated', 'to standbys', 'a well-', 'Known case']
    >>> dehyphenate(["a docu\u00ad", "ment"])
    ['a document']
    """
    out = list(lines)
    for i in range(len(out) - 1):
        m = re.search(r"([a-z]+)[-\u00ad]$", out[i])
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
    return shape(line) in running or frame(line) in running or bool(_PAGE_NO.match(line))


INLINE_LINES = 2  # display code this short, with the sentence going on after it, stays in the sentence
_CODE_SIGN = re.compile(r"[\s()\[\]{}=<>;$\"']")  # code has spaces or signs; a term is one bare word


def code_runs(lines: list[tuple[str, bool, bool]], before: str = "") -> list[tuple[bool, list[str]]]:
    """Lines as (text, typewriter, indented) grouped as (is code, lines). A run of typewriter lines
    is code when the line before leaves its sentence open ("You can use", "as follows:") or when
    it is indented (a listing); after a finished sentence, at the margin, its lines are the terms
    of a definition list ("-a", "--data-only") and stay with the prose, as do bare words and
    options ("p", "plain"; "-h host") and a line or two the sentence goes on after ("you can use
    / as.numeric(f) / to get them").

    >>> runs = code_runs([("You could use", False, 0), ("x <- 1", True, 1), ("It sets x.", False, 0),
    ...                   ("-a", True, 0), ("--all", True, 0), ("Dumps all.", False, 1),
    ...                   ("f <- function(x) {", True, 1), ("x + 1", True, 1), ("}", True, 0)])
    >>> [(code, run[0]) for code, run in runs]
    [(False, 'You could use'), (True, 'x <- 1'), (False, 'It sets x.'), (True, 'f <- function(x) {')]
    >>> code_runs([("You can use", False, 0), ("as.numeric(f)", True, 1), ("to get them.", False, 0)])
    [(False, ['You can use', 'as.numeric(f)', 'to get them.'])]
    >>> code_runs([("One of:", False, 0), ("p", True, 0), ("plain", True, 0), ("Plain SQL.", False, 1)])
    [(False, ['One of:', 'p', 'plain', 'Plain SQL.'])]
    """
    out: list[tuple[bool, list[str]]] = []
    was_mono = False
    for text, mono, indented in lines:
        opens = (lead_in(before) or indented) and not was_mono  # a term's second line stays a term
        code = mono and (bool(out) and out[-1][0] and was_mono or opens)
        if out and out[-1][0] == code:
            out[-1][1].append(text)
        else:
            out.append((code, [text]))
        before, was_mono = text, mono
    merged: list[tuple[bool, list[str]]] = []
    for k, (code, run) in enumerate(out):
        after = out[k + 1][1][0].lstrip()[:1] if k + 1 < len(out) else ""
        code = (
            code
            and any(_CODE_SIGN.search(x.strip()) for x in run)
            and not all(x.lstrip()[:1] == "-" for x in run)
            and not (len(run) <= INLINE_LINES and after.islower())
        )
        if merged and merged[-1][0] == code:
            merged[-1][1].extend(run)
        else:
            merged.append((code, run))
    return merged


def pdf_blocks(path: Path) -> tuple[list[Block], str]:
    """Blocks of a PDF, each with its page number, and the document's title ("" when none)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):  # an empty user password opens many
        raise FileNotDecryptedError("the PDF is encrypted with a password")
    pages = [page_lines(p) for p in reader.pages]
    texts = [[x for x, _, _ in lines] for lines in pages]
    running = running_lines(texts)
    blocks: list[Block] = []
    before = "."
    for n, lines in enumerate(pages, start=1):
        edge = set(range(EDGE)) | set(range(len(lines) - EDGE, len(lines)))
        body = [x for i, x in enumerate(lines) if i not in edge or not _running(x[0], running)]
        entries = sum(bool(_LEADER.search(x.strip())) for x, _, _ in body)
        if entries and entries >= len(body) / 2:  # a page of contents or of an index
            continue
        body = [x for x in body if not _LEADER.search(x[0].strip())]
        for code, run in code_runs(body, before):
            if code:
                blocks.append(Block("code", textwrap.dedent("\n".join(x.rstrip() for x in run)), page=n))
                continue
            for para in paragraphs(dehyphenate(run)):
                item = _ITEM.match(para)
                kind, text = ("item", para[item.end() :]) if item else ("para", para)
                blocks.append(Block(kind, text, page=n))
        before = body[-1][0] if body else before
    meta = reader.metadata
    title = str(meta.title).strip() if meta and meta.title else ""
    return blocks, title or title_line(texts[0] if texts else [])


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
