"""PDF files (kb/ingest/formats/pdf.py): pages on chunks, running headers and footers gone."""

import pytest

from kb.ingest.loaders import load_document
from kb.text.chunker import chunk_document
from tests.documents import pdf_from_lines, print_to_pdf

PAGES = [
    ["ACME Operations Manual", "Backups run nightly and are kept for thirty-five days on the",
     "offsite store. Restores are tested every quarter by the on-call engi-", "neer.", "Page 1 of 3"],
    ["ACME Operations Manual", "Failover to the standby region takes about four minutes and is",
     "triggered by the health checker.", "Page 2 of 3"],
    ["ACME Operations Manual", "Certificates are renewed automatically thirty days before they",
     "expire.", "Page 3 of 3"],
]  # fmt: skip


def test_pages_headers_footers_and_hyphenation(tmp_path):
    p = tmp_path / "manual.pdf"
    p.write_bytes(pdf_from_lines(PAGES))
    doc, _ = load_document(p, "manual.pdf", 10**6)
    assert "ACME Operations Manual" not in doc.text and "Page 2" not in doc.text
    assert "tested every quarter by the on-call engineer." in doc.text
    assert "kept for thirty-five days on the offsite store." in doc.text  # lines joined into a paragraph
    chunks = chunk_document(doc)
    page = {c.text.split()[0]: c.page for c in chunks}
    assert page == {"Backups": 1, "Failover": 2, "Certificates": 3}
    assert all(doc.text[c.char_start : c.char_end] == c.text for c in chunks)


@pytest.mark.slow
def test_a_page_printed_by_chromium_keeps_its_page_numbers(tmp_path):
    paras = "".join(
        f"<h2>Topic {n}</h2><p>Paragraph {n} explains that setting number {n} controls the retry budget "
        f"of worker pool {n}, and that changing it needs a restart of the scheduler.</p>" * 3
        for n in range(1, 13)
    )
    html = tmp_path / "guide.html"
    html.write_text(f"<html><head><title>Scheduler guide</title></head><body><h1>Scheduler guide</h1>{paras}")
    doc, _ = load_document(print_to_pdf(html, tmp_path / "guide.pdf"), "guide.pdf", 10**7)
    assert len(doc.pages) >= 3
    assert "Scheduler guide" not in doc.text.split("\n", 1)[1]  # chromium's running title is gone
    assert "file://" not in doc.text and "/" + str(len(doc.pages)) not in doc.text
    chunks = chunk_document(doc)
    last = next(c for c in chunks if "worker pool 12," in c.text)
    assert last.page == len(doc.pages) and chunks[0].page == 1


def test_a_tex_pdf_reads_ligatures_and_accents_as_letters_and_is_titled_by_its_running_title(tmp_path):
    # TeX sets "fi" as one glyph (StandardEncoding \256) and an accent before its letter (\310: "¨");
    # it writes no title into the metadata, and its running header is the title
    pages = [
        ["Nettle Manual", "Nettle con\\256gures its own \\256les.", "Written by Niels M\\310oller."],
        ["Nettle Manual", "Hash functions take a message and return a digest.", "2"],
        ["Nettle Manual", "Ciphers encrypt and decrypt blocks of data.", "3"],
    ]
    path = tmp_path / "nettle.pdf"
    path.write_bytes(pdf_from_lines(pages))
    doc, _ = load_document(path, "nettle.pdf", 10**6)
    assert "Nettle configures its own files. Written by Niels Möller." in doc.text
    assert doc.title == "Nettle Manual" and doc.text.count("Nettle Manual") == 0  # running header gone
