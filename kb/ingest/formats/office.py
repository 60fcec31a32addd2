"""Word (.docx) and PowerPoint (.pptx) files to blocks, through python-docx and python-pptx.

Word: paragraphs in body order with tables in place; "Heading n" and "Title" styles become
headings, list styles list items. PowerPoint: one page per slide (the slide number is the page),
the slide title as a heading, every other text frame's paragraphs, table rows, and the notes.
"""

from __future__ import annotations

from pathlib import Path

from kb.text.blocks import Block, squash


def _docx_paragraph(p) -> Block | None:
    text = squash(p.text)
    if not text:
        return None
    style = (p.style.name if p.style is not None else "") or ""
    if style == "Title":
        return Block("heading", text, 1)
    if style.startswith("Heading"):
        level = style.removeprefix("Heading").strip()
        return Block("heading", text, int(level) + 1 if level.isdigit() else 2)
    return Block("item" if style.startswith("List") else "para", text)


def _rows(table) -> list[Block]:
    out = []
    for row in table.rows:
        cells = [squash(c.text) for c in row.cells]
        if any(cells):
            out.append(Block("row", "| " + " | ".join(cells) + " |"))
    return out


def docx_blocks(path: Path) -> tuple[list[Block], str]:
    """Blocks of a Word document and its title (core properties, else the Title paragraph)."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_rows(item))
        elif b := _docx_paragraph(item):
            blocks.append(b)
    title = squash(document.core_properties.title or "")
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "")
    if title and not (blocks and blocks[0].kind == "heading" and blocks[0].text == title):
        blocks.insert(0, Block("heading", title, 1))
    return blocks, title


def pptx_blocks(path: Path) -> tuple[list[Block], str]:
    """Blocks of a presentation, each slide its own page, and its title."""
    import pptx

    deck = pptx.Presentation(str(path))
    blocks: list[Block] = []
    for n, slide in enumerate(deck.slides, start=1):
        title_shape = slide.shapes.title
        heading = squash(title_shape.text_frame.text) if title_shape is not None else ""
        blocks.append(Block("heading", heading or f"Slide {n}", 2, page=n))
        for shape in slide.shapes:
            if shape is title_shape:
                continue
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    if text := squash("".join(r.text for r in p.runs)):
                        blocks.append(Block("item" if p.level else "para", text, page=n))
            elif shape.has_table:
                blocks.extend(Block("row", b.text, page=n) for b in _rows(shape.table))
        if slide.has_notes_slide and (notes := squash(slide.notes_slide.notes_text_frame.text)):
            blocks.append(Block("para", notes, page=n))
    title = squash(deck.core_properties.title or "") or path.stem
    return [Block("heading", title, 1, page=1), *blocks], title
