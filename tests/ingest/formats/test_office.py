"""Word and PowerPoint files (kb/ingest/formats/office.py), built by python-docx and python-pptx."""

from kb.ingest.loaders import load_document
from kb.text.chunker import chunk_document
from tests.documents import docx_file, pptx_file


def test_docx_headings_lists_and_tables(tmp_path):
    doc, _ = load_document(docx_file(tmp_path / "ops.docx"), "ops.docx", 10**6)
    assert doc.title == "Operations handbook" and doc.kind == "docx"
    assert "## Backups\n\nNightly backups run at 02:00" in doc.text
    assert "- Test a restore every quarter" in doc.text and "| gold | 90 days |" in doc.text
    sections = {c.section for c in chunk_document(doc)}
    assert "Backups > Restores" in sections


def test_pptx_slide_numbers_are_pages(tmp_path):
    doc, _ = load_document(pptx_file(tmp_path / "review.pptx"), "review.pptx", 10**6)
    assert doc.title == "Quarterly review" and len(doc.pages) == 3
    chunks = chunk_document(doc)
    where = {c.section: c.page for c in chunks}
    assert where == {"Revenue": 1, "Hiring": 2, "Risks": 3}
    risks = next(c for c in chunks if c.page == 3)
    assert "| data-centre move | Ops |" in risks.text
    assert "Mention the EMEA deal." in next(c for c in chunks if c.page == 1).text
