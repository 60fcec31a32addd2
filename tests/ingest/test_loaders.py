"""Reading corpus files (kb/ingest/loaders.py): each type, bad files skipped with a reason."""

import codecs

import pytest

from kb.ingest.loaders import SkipFile, load_document
from tests.documents import pdf_from_lines

MB = 1_000_000


def test_text_file_keeps_its_exact_text_and_title(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Deploying Python\n\nUse containers for everything.\n", encoding="utf-8")
    doc, note = load_document(p, "a.txt", MB)
    assert doc.text == p.read_text(encoding="utf-8") and doc.title == "Deploying Python" and note is None


def test_html_drops_navigation_and_scripts_and_keeps_headings(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><style>p{}</style><script>alert(1)</script></head><body>"
        "<nav>Home | About</nav><h1>Queues</h1><p>Celery runs &amp; retries tasks.</p>"
        "<h2>Brokers</h2><p>Redis works.</p><footer>Copyright</footer></body></html>"
    )
    doc, _ = load_document(p, "page.html", MB)
    assert doc.title == "Queues" and doc.kind == "html"
    assert "Celery runs & retries tasks." in doc.text and "## Brokers" in doc.text
    for hidden in ("alert", "Home | About", "Copyright", "p{}"):
        assert hidden not in doc.text


def test_pdf_text_is_extracted(tmp_path):
    p = tmp_path / "doc.pdf"
    p.write_bytes(pdf_from_lines([["Serverless cold starts matter"]]))
    doc, _ = load_document(p, "doc.pdf", MB)
    assert "Serverless cold starts matter" in doc.text


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"  \n\n ", "is empty"),
        ("blob.txt", b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("ctrl.md", bytes(range(1, 9)) * 200, "binary"),
        ("fake.pdf", b"just text, not a pdf", "not a PDF"),
        ("fake.docx", b"just text", "not a .docx file"),
        ("broken.pptx", b"PK\x03\x04 not really a zip", "unreadable pptx file"),
        ("broken.epub", b"PK\x03\x04 not really a zip", "unreadable epub file"),
    ],
)
def test_bad_files_raise_skipfile_with_a_reason(tmp_path, name, content, reason):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(SkipFile, match=reason):
        load_document(p, name, MB)


def test_huge_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(50 * MB)
    with pytest.raises(SkipFile, match=r"50\.0 MB, over the 20 MB limit"):
        load_document(p, "huge.txt", 20 * MB)


def test_non_utf8_text_is_decoded_with_a_note(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Café prices in Zürich\n\nCoffee costs €4.".encode("cp1252"))
    doc, note = load_document(p, "latin.txt", MB)
    assert "Café" in doc.text and "€4" in doc.text
    assert "not valid UTF-8" in note and "cp1252" in note


@pytest.mark.parametrize("enc", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path, enc):
    p = tmp_path / "bom.txt"
    text = "Ferry Guide\n\nThe ferry to Åland leaves at 07:30 from pier 4."
    data = text.encode(enc)
    if enc.endswith("-be"):  # these codecs write no mark of their own
        data = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}[enc] + data
    p.write_bytes(data)
    doc, _ = load_document(p, "bom.txt", MB)
    assert doc.text == text and doc.title == "Ferry Guide"


def test_control_characters_and_late_nul_bytes_are_not_indexed(tmp_path):
    p = tmp_path / "ctl.txt"
    body = "Guide\n\n" + "Plain words here. " * 600 + "\x1b[2J\x1b[31mRed\x1b[0m and\x00 done.\tTab\r\n"
    p.write_text(body)
    doc, _ = load_document(p, "ctl.txt", MB)
    assert "\x1b" not in doc.text and "\x00" not in doc.text
    assert doc.text.endswith("[2J[31mRed[0m and done.\tTab\r\n")


def test_invisible_break_marks_do_not_split_words(tmp_path):
    page = (
        "<html><body><h1>Assert</h1><pre>public static void assertEquals\u200b(double expected)</pre>"
        "<p>Checks that the pg_stat_&#8203;activity view has the docu&shy;mentation rows.</p></body></html>"
    )
    (tmp_path / "Assert.html").write_text(page, encoding="utf-8")  # Javadoc, a wrapped identifier
    (tmp_path / "notes.txt").write_text("Notes\n\nSee the docu\u00admentation.\ufeff\n", encoding="utf-8")
    doc = load_document(tmp_path / "Assert.html", "Assert.html", MB)[0]
    assert "assertEquals(double expected)" in doc.text
    assert "the pg_stat_activity view has the documentation rows." in doc.text
    notes = load_document(tmp_path / "notes.txt", "notes.txt", MB)[0]
    assert notes.text == "Notes\n\nSee the documentation.\n"


def test_a_pages_title_leaves_out_the_site_name_its_sites_titles_share(tmp_path):
    page = "<html><head><title>{}</title></head><body><h2>Why</h2><p>{} explained here.</p><h2>How</h2>"
    page += "<p>Steps follow.</p></body></html>"
    for name in ("setup", "routers", "caching", "testing"):  # an MkDocs site: a folder per page
        (tmp_path / "site" / name).mkdir(parents=True)
        title = f"{name.title()} - Acme Docs"
        (tmp_path / "site" / name / "index.html").write_text(page.format(title, name.title()))
    (tmp_path / "notes.html").write_text(page.format("Tutorial: Part 2", "The tutorial"))
    doc = load_document(tmp_path / "site/setup/index.html", "site/setup/index.html", MB)[0]
    assert doc.title == "Setup" and doc.text.startswith("# Setup\n\n## Why\n\nSetup explained here.")
    notes = load_document(tmp_path / "notes.html", "notes.html", MB)[0]
    assert notes.title == "Tutorial: Part 2"  # no other title starts "Tutorial: "


def test_a_manual_page_is_titled_by_its_name_line(tmp_path):
    from tests.ingest.formats.test_html import MANPAGE

    (tmp_path / "git-stash.html").write_text(MANPAGE)
    doc = load_document(tmp_path / "git-stash.html", "git-stash.html", MB)[0]
    assert doc.title == "git-stash - Stash the changes in a dirty working directory away"
    assert doc.text.startswith("# git-stash(1) Manual Page\n")  # the text keeps the page's own heading
