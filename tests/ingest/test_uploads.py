"""Uploads into the corpus (kb/ingest/uploads.py): safe names, type and size checks, no overwrite."""

import pytest

from kb.errors import UploadError
from kb.ingest.uploads import safe_name, save_upload

MB = 1_000_000


@pytest.mark.parametrize(
    "name, expected",
    [
        ("notes.md", "notes.md"),
        ("../../../etc/cron.d/evil.txt", "evil.txt"),
        ("..\\..\\Windows\\win.ini.TXT", "win.ini.txt"),
        ("/abs/path/page.html", "page.html"),
        ("...hidden.md", "hidden.md"),
        ("a<b>|c?.md", "a_b_c_.md"),
    ],
)
def test_safe_name_strips_folders_and_odd_characters(name, expected):
    assert safe_name(name) == expected


def test_saved_inside_the_corpus_only(tmp_path):
    corpus = tmp_path / "corpus"
    path = save_upload("../../outside.md", b"# Hi\n\nHello there.\n", corpus, MB)
    assert path == (corpus / "outside.md").resolve() and path.read_text().startswith("# Hi")
    assert not (tmp_path / "outside.md").exists()


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("tool.exe", b"MZ\x00\x00", "unsupported file type .exe"),
        ("noext", b"text", "unsupported file type"),
        ("big.txt", b"x" * (MB + 1), "over the 1 MB limit"),
        ("blob.txt", b"\x00\x01" * 100, "binary"),
        ("fake.pdf", b"hello", "not a PDF"),
        ("empty.md", b"   ", "is empty"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_written(tmp_path, name, data, reason):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(UploadError, match=reason):
        save_upload(name, data, corpus, MB)
    assert list(corpus.iterdir()) == []


def test_existing_article_is_never_overwritten(tmp_path):
    corpus = tmp_path / "corpus"
    save_upload("a.md", b"# A\n\nFirst.\n", corpus, MB)
    save_upload("a.md", b"# A\n\nFirst.\n", corpus, MB)  # same bytes: fine
    with pytest.raises(UploadError, match="already exists"):
        save_upload("a.md", b"# A\n\nSecond.\n", corpus, MB)
    assert (corpus / "a.md").read_bytes() == b"# A\n\nFirst.\n"
