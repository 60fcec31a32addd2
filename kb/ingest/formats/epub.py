"""EPUB books to blocks, through ebooklib: each chapter's XHTML, in spine order, read as HTML.

Every chapter is book content, so nothing is filtered as boilerplate (see formats/html.py);
headings keep their levels under the book's title.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kb.ingest.formats.html import html_blocks
from kb.text.blocks import Block, squash


def epub_blocks(path: Path) -> tuple[list[Block], str]:
    """Blocks of the book's chapters and its title (Dublin Core metadata, else the file name)."""
    import ebooklib
    from ebooklib import epub

    book = epub.read_epub(str(path), options={"ignore_ncx": True})
    found = book.get_metadata("DC", "title")
    title = squash(found[0][0]) if found else path.stem
    blocks: list[Block] = [Block("heading", title, 1)]
    for item_id, _ in book.spine:
        item = book.get_item_with_id(item_id)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        chapter, _ = html_blocks(item.get_content().decode("utf-8", "replace"), main_only=False)
        blocks += [replace(b, level=min(b.level + 1, 6)) if b.kind == "heading" else b for b in chapter]
    return blocks, title
