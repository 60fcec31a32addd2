"""PDF files (kb/ingest/formats/pdf.py): pages on chunks, running headers and footers gone."""

import pytest

from kb.ingest.loaders import load_document
from kb.text.chunker import chunk_document
from kb.text.sentences import answer_spans
from tests.documents import CODE, pdf_from_lines, print_to_pdf

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


def test_a_books_chapter_headers_contents_and_index_pages_are_left_out(tmp_path):
    # a TeX book: the running header names the chapter and ends in the page number, so no one
    # header is on half of the pages; contents and index entries end in a dot leader
    contents = ["Table of Contents", "1 Vectors . . . . . . 3", "2 Arrays . . . . . . 5", "Index . . . . . 7"]
    pages = [
        ["Vector Book"],
        contents,
        ["3", "1 Vectors", "Vectors hold values of one type."],
        ["Chapter 1: Vectors 4", "A vector grows when you assign past its end."],
        ["5", "2 Arrays", "Arrays have a dim attribute."],
        ["Chapter 2: Arrays 6", "Arrays are filled column by column."],
        ["Index 7", "arrays . . . . . . . . 5", "dim . . . . . . . . . . 5", "vectors . . . . . . . 3"],
    ]
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf_from_lines(pages))
    doc, _ = load_document(path, "book.pdf", 10**6)
    assert "Chapter 1" not in doc.text and "Chapter 2" not in doc.text
    assert ". . ." not in doc.text and "Table of Contents" not in doc.text
    assert "A vector grows when you assign past its end." in doc.text
    assert {c.page for c in chunk_document(doc)} & {2, 7} == set()  # no contents, no index


def test_lines_in_a_typewriter_face_after_an_open_sentence_are_code_and_answer_with_it(tmp_path):
    page = [
        "To quit the R program the command is",
        CODE + "> q()",
        "If f is a factor, you can use",
        CODE + "as.numeric(as.character(f))",
        "to get the numbers back.",
        "The options are these.",
        CODE + "-a",
        CODE + "--all",
        "Dump all of the objects.",
    ]
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_from_lines([page]))
    doc, _ = load_document(path, "r.pdf", 10**6)
    assert "To quit the R program the command is\n\n```\n> q()\n```" in doc.text
    # code the sentence runs through stays in it; option terms after a full stop stay prose
    assert "you can use as.numeric(as.character(f)) to get the numbers back." in doc.text
    assert "The options are these. -a --all Dump all of the objects." in doc.text
    answers = [doc.text[s:e] for s, e in answer_spans(doc.text)]
    assert "To quit the R program the command is\n\n```\n> q()\n```" in answers
