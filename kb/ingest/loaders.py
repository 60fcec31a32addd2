"""Read corpus files into `Document`s: one reader per file type, picked from a dict.

Each reader returns the document text that chunk offsets point into: the file's own text for
.txt, kb's clean text (kb/text/blocks.py) for every other format, read by kb/ingest/formats.
Problems with one file raise `SkipFile`, which the pipeline reports as a warning naming the
file, and the rest of the corpus goes on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb.ingest.formats.epub import epub_blocks
from kb.ingest.formats.html import html_blocks
from kb.ingest.formats.markdown import markdown_blocks
from kb.ingest.formats.office import docx_blocks, pptx_blocks
from kb.ingest.formats.pdf import pdf_blocks
from kb.text.blocks import Block, render
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


@dataclass(frozen=True)
class Loaded:
    """What a reader makes of a file: the text offsets point into, and what it knows besides."""

    text: str
    note: str | None = None  # e.g. how a file that was not UTF-8 was decoded
    pages: tuple[int, ...] = ()  # offset where each page or slide starts
    title: str = ""  # "" lets the first heading (or first line) be the title


def _rendered(blocks: list[Block], title: str, note: str | None = None) -> Loaded:
    text, pages = render(blocks)
    return Loaded(text, note, pages, title)


def _read_plain(path: Path) -> Loaded:
    return Loaded(*read_text(path))


def _read_markdown(path: Path) -> Loaded:
    text, note = read_text(path)
    blocks, title = markdown_blocks(text)
    return _rendered(blocks, title, note)


def _read_html(path: Path) -> Loaded:
    text, note = read_text(path)
    blocks, title = html_blocks(text)
    return _rendered(blocks, title, note)


def _head(path: Path, n: int) -> bytes:
    """The first n bytes of a file: enough to tell its format without reading all of it."""
    with path.open("rb") as f:
        return f.read(n)


def _read_pdf(path: Path) -> Loaded:
    if not _head(path, 1024).lstrip().startswith(b"%PDF-"):
        raise SkipFile("is not a PDF file (no %PDF header)")
    return _rendered(*pdf_blocks(path))


def _zip_reader(read: Callable[[Path], tuple[list[Block], str]]) -> Callable[[Path], Loaded]:
    def reader(path: Path) -> Loaded:
        if _head(path, 2) != b"PK":
            raise SkipFile(f"is not a {path.suffix} file (not a zip container)")
        return _rendered(*read(path))

    return reader


READERS: dict[str, tuple[str, Callable[[Path], Loaded]]] = {
    ".txt": ("txt", _read_plain),
    ".md": ("md", _read_markdown),
    ".markdown": ("md", _read_markdown),
    ".html": ("html", _read_html),
    ".htm": ("html", _read_html),
    ".pdf": ("pdf", _read_pdf),
    ".docx": ("docx", _zip_reader(docx_blocks)),
    ".pptx": ("pptx", _zip_reader(pptx_blocks)),
    ".epub": ("epub", _zip_reader(epub_blocks)),
}


def _format_errors() -> tuple[type[BaseException], ...]:
    """What the format libraries raise for a damaged file (evaluated only when one is raised)."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError as DocxMissing
    from ebooklib.epub import EpubException
    from lxml.etree import LxmlError
    from pptx.exc import PackageNotFoundError as PptxMissing
    from pypdf.errors import PyPdfError

    return (PyPdfError, zipfile.BadZipFile, DocxMissing, PptxMissing, EpubException, LxmlError,
            ValueError, KeyError, AttributeError)  # fmt: skip


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_document(path: Path, doc_id: str, max_bytes: int) -> tuple[Document, str | None]:
    """Read one file; raises SkipFile with the reason when it can't be indexed."""
    size = path.stat().st_size
    if size > max_bytes:
        raise SkipFile(f"is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (KB_MAX_FILE_MB)")
    kind, reader = READERS[path.suffix.lower()]
    try:
        got = reader(path)
    except OSError as e:
        raise SkipFile(f"cannot be read ({e.strerror or e})") from e
    except _format_errors() as e:
        raise SkipFile(f"unreadable {kind} file ({type(e).__name__}: {e})") from e
    if not got.text.strip():
        raise SkipFile("has no text" if kind in ("pdf", "docx", "pptx", "epub", "html") else "is empty")
    title = got.title or split_sections(got.text, kind)[0]
    return Document(doc_id, title or doc_id, got.text, content_hash(got.text), kind, got.pages), got.note


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
