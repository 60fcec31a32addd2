"""Read corpus files into `Document`s: one reader per file type, picked from a dict.

Each reader returns the document text that chunk offsets point into: the file's own text for
.txt and .md, the visible text for .html (headings written as `#` lines, scripts, styles and
navigation dropped), the extracted text for .pdf. Problems with one file raise `SkipFile`,
which the pipeline reports as a warning naming the file, and the rest of the corpus goes on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from kb.text.sections import split_sections
from kb.types import Document


class SkipFile(Exception):
    """This file is left out of the index; the message says why."""


def _decode(raw: bytes, path: Path) -> tuple[str, str | None]:
    """Text of a file and, when it was not UTF-8, a note saying how it was decoded."""
    if b"\x00" in raw[:8192]:
        raise SkipFile("looks binary (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        where = f"byte {e.start}"
    for enc in ("cp1252", "latin-1"):
        try:
            return raw.decode(enc), f"not valid UTF-8 ({where}); decoded as {enc}"
        except UnicodeDecodeError:
            continue
    raise SkipFile("cannot be decoded")  # unreachable: latin-1 decodes anything


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below space, but not \t \n \f \r


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))


def read_text(path: Path) -> tuple[str, str | None]:
    text, note = _decode(path.read_bytes(), path)
    if _control_ratio(text) > 0.05:
        raise SkipFile("looks binary (many control characters)")
    return text, note


class _VisibleText(HTMLParser):
    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg"}
    BLOCK = {"p", "div", "li", "tr", "br", "section", "article", "main", "table", "ul", "ol",
             "blockquote", "pre", "dd", "dt", "figcaption"}  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n")
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Visible text of an HTML page with headings as `#` lines.

    >>> html_to_text("<nav>Menu</nav><h1>Guide</h1><p>Hello <b>there</b>.</p><script>x()</script>")
    '# Guide\\n\\nHello there.'
    """
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _read_pdf(path: Path) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not path.read_bytes()[:1024].lstrip().startswith(b"%PDF-"):
        raise SkipFile("is not a PDF file (no %PDF header)")
    try:
        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    except (PdfReadError, ValueError, KeyError) as e:
        raise SkipFile(f"unreadable PDF ({e})") from e
    return "\n\n".join(p.strip() for p in pages), None


def _read_html(path: Path) -> tuple[str, str | None]:
    text, note = read_text(path)
    return html_to_text(text), note


READERS: dict[str, tuple[str, Callable[[Path], tuple[str, str | None]]]] = {
    ".txt": ("txt", read_text),
    ".md": ("md", read_text),
    ".markdown": ("md", read_text),
    ".html": ("html", _read_html),
    ".htm": ("html", _read_html),
    ".pdf": ("pdf", _read_pdf),
}


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_document(path: Path, doc_id: str, max_bytes: int) -> tuple[Document, str | None]:
    """Read one file; raises SkipFile with the reason when it can't be indexed."""
    size = path.stat().st_size
    if size > max_bytes:
        raise SkipFile(f"is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (KB_MAX_FILE_MB)")
    kind, reader = READERS[path.suffix.lower()]
    try:
        text, note = reader(path)
    except OSError as e:
        raise SkipFile(f"cannot be read ({e.strerror or e})") from e
    if not text.strip():
        raise SkipFile("is empty")
    title, _ = split_sections(text, kind)
    return Document(doc_id, title or doc_id, text, content_hash(text), kind), note


def corpus_files(corpus: Path) -> list[tuple[Path, str]]:
    """(path, doc id) of every supported file under the corpus, sorted, hidden files skipped."""
    out = []
    for p in sorted(corpus.rglob("*")):
        rel = p.relative_to(corpus)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        if p.suffix.lower() in READERS:
            out.append((p, rel.as_posix()))
    return out
