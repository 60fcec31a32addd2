"""Real document files built by tests: PDFs (by hand and by headless chromium), .docx, .pptx, .epub."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


CODE = "\x00"  # a line of `pdf_from_lines` starting with this is set in Courier


def pdf_from_lines(pages: list[list[str]]) -> bytes:
    """A PDF whose page n shows pages[n]'s lines top to bottom, in Helvetica (Courier for a line
    that starts with `CODE`)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font = 3 + 2 * len(pages)
    for lines in pages:
        ops = " ".join(
            f"/F{2 if x.startswith(CODE) else 1} 11 Tf 1 0 0 1 72 {740 - 16 * i} Tm ({x.lstrip(CODE)}) Tj"
            for i, x in enumerate(lines)
        )
        stream = f"BT /F1 11 Tf {ops} ET".encode()
        kids.append(len(objects) + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>" % (len(objects) + 2, font, font + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(pages),
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def print_to_pdf(html: Path, pdf: Path) -> Path:
    """Print an HTML file to PDF with headless chromium, its running header and footer included."""
    if not shutil.which(CHROMIUM):
        raise RuntimeError("chromium is needed: apt-get install chromium")
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", html.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


def _fill(table, rows: list[tuple[str, ...]]) -> None:
    """Write rows into a python-docx or python-pptx table (both have .cell(r, c).text)."""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def docx_file(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = "Operations handbook"
    d.add_heading("Backups", level=1)
    d.add_paragraph("Nightly backups run at 02:00 and are kept for 35 days.")
    d.add_paragraph("Test a restore every quarter", style="List Bullet")
    d.add_heading("Restores", level=2)
    d.add_paragraph("A full restore of the main database takes about 40 minutes.")
    _fill(d.add_table(rows=2, cols=2), [("Tier", "Retention"), ("gold", "90 days")])
    d.save(path)
    return path


def pptx_file(path: Path) -> Path:
    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    deck.core_properties.title = "Quarterly review"
    for title, body, notes in [
        ("Revenue", "Revenue grew 18 percent over the quarter.", "Mention the EMEA deal."),
        ("Hiring", "We hired 12 engineers, 4 of them in Lisbon.", ""),
        ("Risks", "The main risk is the data-centre move in March.", ""),
    ]:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text_frame.text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    table = deck.slides[2].shapes.add_table(2, 2, Inches(1), Inches(4), Inches(6), Inches(1)).table
    _fill(table, [("Risk", "Owner"), ("data-centre move", "Ops")])
    deck.save(path)
    return path


def epub_file(path: Path) -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("kb-test-book")
    book.set_title("The Lighthouse Keeper")
    book.set_language("en")
    chapters = []
    for n, (head, body) in enumerate(
        [
            ("The island", "<p>The lighthouse stands on a granite island two miles offshore.</p>"),
            (
                "The lamp",
                "<p>The lamp burns paraffin.</p><pre>lamp.start()\nlamp.turn()</pre>",
            ),
        ],
        start=1,
    ):
        ch = epub.EpubHtml(title=head, file_name=f"ch{n}.xhtml", lang="en")
        ch.content = f"<html><body><h1>{head}</h1>{body}</body></html>"
        book.add_item(ch)
        chapters.append(ch)
    book.toc = chapters
    book.spine = ["nav", *chapters]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    epub.write_epub(str(path), book)
    return path
