"""Uploads into the corpus (kb/ingest/uploads.py): safe names, type and size checks, no overwrite."""

import pytest

from kb.errors import UploadError
from kb.ingest.uploads import remove_document, safe_name, save_upload

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
        (
            "print.html",
            b'<head><meta name="robots" content="noindex"></head><p>Every chapter.</p>',
            "noindex",
        ),
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


def race(corpus, name: str, contents: list[bytes]) -> dict[int, bytes | UploadError]:
    """Save the same new name with each content from its own thread, all released at once."""
    import threading

    barrier, outcome = threading.Barrier(len(contents)), {}

    def upload(i: int) -> None:
        barrier.wait()
        try:
            save_upload(name, contents[i], corpus, MB)
            outcome[i] = contents[i]
        except UploadError as e:
            outcome[i] = e

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(contents))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcome


def test_two_uploads_of_one_new_name_at_once_never_overwrite(tmp_path):
    corpus = tmp_path / "corpus"
    for n in range(40):
        name = f"notes{n}.md"
        outcome = race(corpus, name, [f"# Notes\n\nWritten by {who}.\n".encode() for who in ("ann", "bob")])
        saved = [v for v in outcome.values() if isinstance(v, bytes)]
        refused = [v for v in outcome.values() if isinstance(v, UploadError)]
        assert len(saved) == 1 and len(refused) == 1 and "already exists" in str(refused[0])
        assert (corpus / name).read_bytes() == saved[0]
    assert not list(corpus.glob(".upload-*"))  # no temporary file left behind


def test_replace_puts_a_checked_file_in_place_and_a_bad_one_changes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    save_upload("a.md", b"# A\n\nFirst.\n", corpus, MB)
    save_upload("a.md", b"# A\n\nSecond.\n", corpus, MB, replace=True)
    assert (corpus / "a.md").read_bytes() == b"# A\n\nSecond.\n"
    with pytest.raises(UploadError, match="binary"):
        save_upload("a.md", b"\x00\x01binary\x00", corpus, MB, replace=True)
    assert (corpus / "a.md").read_bytes() == b"# A\n\nSecond.\n" and len(list(corpus.iterdir())) == 1


def test_remove_deletes_inside_the_corpus_only(tmp_path):
    corpus = tmp_path / "corpus"
    save_upload("a.md", b"# A\n\nFirst.\n", corpus, MB)
    (tmp_path / "outside.md").write_text("keep")
    with pytest.raises(UploadError, match="outside the corpus"):
        remove_document("../outside.md", corpus)
    with pytest.raises(UploadError, match="no such document"):
        remove_document("b.md", corpus)
    remove_document("a.md", corpus)
    assert not (corpus / "a.md").exists() and (tmp_path / "outside.md").exists()
