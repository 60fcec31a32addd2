"""Read corpus files into `Document`s: one reader per file type, picked from a dict.

Each reader returns the document text that chunk offsets point into: the file's own text for
.txt, kb's clean text (kb/text/blocks.py) for every other format, read by kb/ingest/formats.
Problems with one file raise `SkipFile`, which the pipeline reports as a warning naming the
file, and the rest of the corpus goes on.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from html import unescape
from pathlib import Path

from kb.errors import CorpusError
from kb.ingest.formats.epub import epub_blocks
from kb.ingest.formats.html import asks_not_to_be_indexed, html_blocks
from kb.ingest.formats.html_title import without_site_name
from kb.ingest.formats.markdown import markdown_blocks, page_key, page_title
from kb.ingest.formats.mediawiki import is_export, mediawiki_blocks
from kb.ingest.formats.notebook import notebook_blocks
from kb.ingest.formats.office import docx_blocks, pptx_blocks
from kb.ingest.formats.pdf import pdf_blocks
from kb.ingest.formats.rst import rst_blocks
from kb.text.blocks import CONTROL, Block, drop_controls, render
from kb.text.sections import manual_title, split_sections
from kb.types import Document


class SkipFile(Exception):
    """This file is left out of the index; the message says why."""


class AsksNotToBeIndexed(SkipFile):
    """A page that asks not to be indexed (robots noindex), read: the ingest decides (pipeline.py)."""

    def __init__(self, document: Document, note: str | None) -> None:
        super().__init__('asks not to be indexed (<meta name="robots" content="noindex">)')
        self.document, self.note = document, note


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]  # fmt: skip


def _decode(raw: bytes, path: Path) -> tuple[str, str | None]:
    """Text of a file and, when it was not UTF-8, a note saying how it was decoded."""
    for bom, enc in _BOMS:  # UTF-32 first: its little-endian mark starts with UTF-16's
        if raw.startswith(bom):
            try:
                return raw.decode(enc), None if enc == "utf-8-sig" else f"decoded as {enc} (byte order mark)"
            except UnicodeDecodeError as e:
                raise SkipFile(f"has a {enc} byte order mark but is not {enc} (byte {e.start})") from e
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


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    return len(CONTROL.findall(sample)) / max(1, len(sample))


def read_text(path: Path) -> tuple[str, str | None]:
    """A text file's text, control characters (a stray NUL, terminal escapes) removed."""
    text, note = _decode(path.read_bytes(), path)
    if _control_ratio(text) > 0.05:
        raise SkipFile("looks binary (many control characters)")
    return drop_controls(text), note


@dataclass(frozen=True)
class Loaded:
    """What a reader makes of a file: the text offsets point into, and what it knows besides."""

    text: str
    note: str | None = None  # e.g. how a file that was not UTF-8 was decoded
    pages: tuple[int, ...] = ()  # offset where each page or slide starts
    title: str = ""  # "" lets the first heading (or first line) be the title
    noindex: bool = False  # the page asks not to be indexed


def _rendered(blocks: list[Block], title: str, note: str | None = None) -> Loaded:
    text, pages = render(blocks)
    return Loaded(text, note, pages, title)


def _read_plain(path: Path) -> Loaded:
    return Loaded(*read_text(path))


def _read_markdown(path: Path) -> Loaded:
    text, note = read_text(path)
    pages = _wiki_pages(path.parent, _mtime(path.parent)) if "[[" in text else frozenset()
    blocks, title = markdown_blocks(text, pages)
    if not title and not any(b.kind == "heading" for b in blocks):
        title = page_title(path.stem)  # a wiki's or a notes app's page: its name is its title
    return _rendered(blocks, title, note)


def _mtime(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=8)
def _wiki_pages(folder: Path, mtime: int) -> frozenset[str]:
    """The names of the Markdown pages in a folder, as its wiki links name them (`page_key`)."""
    try:
        names = [p.name for p in folder.iterdir() if READERS.get(p.suffix.lower(), ("",))[0] == "md"]
    except OSError:
        return frozenset()
    return frozenset(map(page_key, names))


def _read_notebook(path: Path) -> Loaded:
    text, note = read_text(path)
    return _rendered(*notebook_blocks(text), note)


def _read_rst(path: Path) -> Loaded:
    text, note = read_text(path)
    return _rendered(*rst_blocks(text), note)


def _read_html(path: Path) -> Loaded:
    text, note = read_text(path)
    blocks, title = html_blocks(text)
    return replace(_rendered(blocks, title, note), noindex=asks_not_to_be_indexed(text))


def file_head(path: Path, n: int) -> bytes:
    """The first n bytes of a file: enough to tell its format without reading all of it."""
    with path.open("rb") as f:
        return f.read(n)


def _read_mediawiki(path: Path) -> Loaded:
    if not is_export(file_head(path, 4096)):
        raise SkipFile("is not a MediaWiki export (no <mediawiki> element)")
    return _rendered(*mediawiki_blocks(path))


def _read_pdf(path: Path) -> Loaded:
    if not file_head(path, 1024).lstrip().startswith(b"%PDF-"):
        raise SkipFile("is not a PDF file (no %PDF header)")
    return _rendered(*pdf_blocks(path))


def _zip_reader(read: Callable[[Path], tuple[list[Block], str]]) -> Callable[[Path], Loaded]:
    def reader(path: Path) -> Loaded:
        if file_head(path, 2) != b"PK":
            raise SkipFile(f"is not a {path.suffix} file (not a zip container)")
        return _rendered(*read(path))

    return reader


READERS: dict[str, tuple[str, Callable[[Path], Loaded]]] = {
    ".txt": ("txt", _read_plain),
    ".md": ("md", _read_markdown),
    ".markdown": ("md", _read_markdown),
    ".mdx": ("md", _read_markdown),
    ".rst": ("rst", _read_rst),
    ".ipynb": ("ipynb", _read_notebook),
    ".html": ("html", _read_html),
    ".htm": ("html", _read_html),
    ".pdf": ("pdf", _read_pdf),
    ".docx": ("docx", _zip_reader(docx_blocks)),
    ".pptx": ("pptx", _zip_reader(pptx_blocks)),
    ".epub": ("epub", _zip_reader(epub_blocks)),
    ".xml": ("wiki", _read_mediawiki),  # a MediaWiki export; other XML is not listed (files.py)
}


def _format_errors() -> tuple[type[BaseException], ...]:
    """What the format libraries raise for a damaged file (evaluated only when one is raised)."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from docx.opc.exceptions import PackageNotFoundError as DocxMissing
    from ebooklib.epub import EpubException
    from lxml.etree import LxmlError
    from pptx.exc import PackageNotFoundError as PptxMissing
    from pypdf.errors import PyPdfError

    return (PyPdfError, zipfile.BadZipFile, DocxMissing, PptxMissing, EpubException, LxmlError,
            ParseError, ValueError, KeyError, AttributeError)  # fmt: skip


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
SITE_SAMPLE = 200  # pages whose <title>s tell a site's name


@lru_cache(maxsize=4)
def _site_titles(root: Path) -> tuple[str, ...]:
    """The <title>s of a corpus's first HTML pages (by path): what its site's name is told by."""
    titles = []
    pages = sorted(p for p in root.rglob("*.htm*") if p.suffix.lower() in (".html", ".htm"))
    for page in pages[:SITE_SAMPLE]:
        try:
            m = _TITLE.search(file_head(page, 8192))
        except OSError:
            continue
        if m:
            titles.append(" ".join(unescape(m.group(1).decode("utf-8", "replace")).split()))
    return tuple(titles)


def _site_named(got: Loaded, root: Path) -> Loaded:
    """A page titled by its <title> without its site's name ("Authentication", not "Authentication
    - Django REST framework"), in its top heading too."""
    title = without_site_name(got.title, _site_titles(root))
    if title == got.title:
        return got
    text = got.text
    if text.startswith(f"# {got.title}\n"):
        text = f"# {title}{text[len(got.title) + 2 :]}"
    return replace(got, title=title, text=text)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_document(path: Path, doc_id: str, max_bytes: int) -> tuple[Document, str | None]:
    """Read one file; raises SkipFile with the reason when it can't be indexed."""
    kind, reader = READERS[path.suffix.lower()]
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = f"the {max_bytes / 1e6:.0f} MB limit (KB_MAX_FILE_MB)"
            raise SkipFile(f"is {size / 1e6:.1f} MB, over {limit}")
        got = reader(path)
        if kind == "html" and got.title:
            got = _site_named(got, Path(*path.parts[: len(path.parts) - len(Path(doc_id).parts)]))
    except FileNotFoundError as e:
        raise SkipFile("disappeared while it was being read") from e
    except OSError as e:
        raise SkipFile(f"cannot be read ({e.strerror or e})") from e
    except _format_errors() as e:
        raise SkipFile(f"unreadable {kind} file ({type(e).__name__}: {e})") from e
    except SkipFile:
        raise
    except Exception as e:  # noqa: BLE001 - a format library's surprise is this file's problem only
        raise SkipFile(f"unreadable {kind} file (unexpected {type(e).__name__}: {e})") from e
    if not got.text.strip():
        raise SkipFile("is empty" if size == 0 or not path.read_bytes().strip() else "has no text")
    title = manual_title(got.text, kind) or got.title or split_sections(got.text, kind)[0]
    doc = Document(doc_id, title or doc_id, got.text, content_hash(got.text), kind, got.pages)
    if got.noindex:
        raise AsksNotToBeIndexed(doc, got.note)
    return doc, got.note


def corpus_document(corpus: Path, doc_id: str, max_bytes: int) -> Document:
    """One document of a corpus by its id, as kb reads it; CorpusError names it when it is not
    there (or outside the corpus), not a kind kb reads, or unreadable."""
    path = (Path(corpus) / doc_id).resolve()
    if not path.is_relative_to(Path(corpus).resolve()) or not path.is_file():
        raise CorpusError(f"{doc_id}: no such document in {corpus}")
    if path.suffix.lower() not in READERS:
        raise CorpusError(f"{doc_id}: not a document kb reads (supported: {' '.join(sorted(READERS))})")
    try:
        return load_document(path, doc_id, max_bytes)[0]
    except AsksNotToBeIndexed as e:
        return e.document
    except SkipFile as e:
        raise CorpusError(f"{doc_id}: {e}") from e
