"""EPUB books (kb/ingest/formats/epub.py), built by ebooklib."""

from kb.ingest.loaders import load_document
from kb.text.chunker import chunk_document
from tests.documents import epub_file


def test_epub_chapters_in_order_with_code(tmp_path):
    doc, _ = load_document(epub_file(tmp_path / "book.epub"), "book.epub", 10**6)
    assert doc.title == "The Lighthouse Keeper"
    assert doc.text.index("granite island") < doc.text.index("burns paraffin")
    assert "```\nlamp.start()\nlamp.turn()\n```" in doc.text
    sections = {c.section for c in chunk_document(doc)}
    assert {"The island", "The lamp"} <= sections
