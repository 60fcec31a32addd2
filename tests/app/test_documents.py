"""The Documents page under AppTest: list, add, replace, re-ingest one, delete; changes locked
when the chat listens on a network."""

import pytest
from streamlit import config

from kb.index.store import Store
from kb.ingest.pipeline import ingest
from tests.app.conftest import open_app
from tests.conftest import DOC_A, DOC_B

pytestmark = pytest.mark.slow


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_documents_are_listed_with_size_chunks_and_status(app):
    ingest(app)
    at = open_app("documents.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert sorted(table["document"]) == [DOC_A, DOC_B]
    assert set(table["status"]) == {"ok"} and (table["chunks"] > 0).all() and (table["size (KB)"] > 1).all()


def test_reingest_the_folder_shows_the_summary(app):
    ingest(app)
    (app.corpus_dir / "new.md").write_text("# Go\n\nGo compiles to one static binary.\n")
    at = open_app("documents.py")
    button(at, "Re-ingest the folder").click().run()
    assert not at.exception
    assert "1 added" in at.success[0].value


def test_upload_adds_a_document_and_ingests_it(app):
    ingest(app)
    at = open_app("documents.py")
    at.file_uploader(key="upload-").set_value(
        ("go.md", b"# Go APIs\n\nGo compiles to one static binary.\n", "text/markdown")
    )
    at.run()
    button(at, "Add to the corpus and ingest").click().run()
    assert not at.exception
    assert (app.corpus_dir / "go.md").exists()
    assert "1 added" in at.success[0].value


def test_bad_upload_is_an_error_and_the_corpus_is_unchanged(app):
    ingest(app)
    before = sorted(p.name for p in app.corpus_dir.iterdir())
    at = open_app("documents.py")
    at.file_uploader(key="upload-").set_value(("../evil.md", b"\x00\x01binary\x00", "text/markdown"))
    at.run()
    button(at, "Add to the corpus and ingest").click().run()
    assert not at.exception
    assert "binary" in at.error[0].value
    assert sorted(p.name for p in app.corpus_dir.iterdir()) == before
    assert not (app.corpus_dir.parent / "evil.md").exists()


def test_delete_asks_first_then_removes_the_file_and_its_chunks(app):
    ingest(app)
    at = open_app("documents.py")
    at.selectbox[0].set_value(DOC_B).run()
    assert (app.corpus_dir / DOC_B).exists()  # nothing happens before "Yes, delete it"
    button(at, "Yes, delete it").click().run()
    assert not at.exception and "1 removed" in at.success[0].value
    assert not (app.corpus_dir / DOC_B).exists()
    assert set(Store(app).doc_records()) == {DOC_A}


def test_reingest_one_document_embeds_it_again(app):
    ingest(app)
    at = open_app("documents.py")
    at.selectbox[0].set_value(DOC_A).run()
    button(at, "Re-ingest this document").click().run()
    assert "1 updated" in at.success[0].value and "1 unchanged" in at.success[0].value


def test_replace_puts_a_new_version_in_place_and_ingests_it(app):
    ingest(app)
    at = open_app("documents.py")
    at.selectbox[0].set_value(DOC_A).run()
    at.file_uploader(key=f"upload-{DOC_A}").set_value(
        (DOC_A, b"Zebras eat quinoa on the farm.\n", "text/plain")
    )
    at.run()
    button(at, "Replace and ingest").click().run()
    assert not at.exception and "1 updated" in at.success[0].value
    assert (app.corpus_dir / DOC_A).read_text() == "Zebras eat quinoa on the farm.\n"


@pytest.fixture
def on_a_network():
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", "127.0.0.1")


def test_changes_need_the_token_when_the_chat_listens_on_a_network(app, monkeypatch, on_a_network):
    ingest(app)
    at = open_app("documents.py")
    assert "KB_ADMIN_TOKEN is not set" in at.caption[1].value
    assert button(at, "Re-ingest this document").disabled and not at.file_uploader

    monkeypatch.setenv("KB_ADMIN_TOKEN", "s3cret")
    at = open_app("documents.py")
    assert button(at, "Re-ingest this document").disabled
    at.text_input[0].set_value("wrong").run()
    assert "not the one set in KB_ADMIN_TOKEN" in at.error[0].value
    at.text_input[0].set_value("s3cret").run()
    assert not button(at, "Re-ingest this document").disabled and at.file_uploader
