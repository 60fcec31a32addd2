"""The Streamlit chat driven by streamlit's AppTest, on a real index of the real corpus."""

import pytest
from streamlit.testing.v1 import AppTest

from kb.app import escape_md, highlighted
from kb.ingest.pipeline import ingest
from kb.types import Chunk, Citation, Hit, Span
from tests.conftest import ROOT, copy_corpus, make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def app(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    monkeypatch.setenv("KB_CORPUS_DIR", str(s.corpus_dir))
    monkeypatch.setenv("KB_DATA_DIR", str(s.data_dir))
    return s


def test_question_answer_and_citations_render(app):
    ingest(app)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    at.chat_input[0].set_value("Python for serverless?").run()
    assert not at.exception
    answer = at.chat_message[1].markdown[0].value
    assert "cold start" in answer and "[1]" in answer
    assert at.expander[0].label.startswith(escape_md("[1] Python vs Node.js for Backend Development"))
    assert ":orange-background[" in at.expander[0].markdown[0].value  # supporting sentence highlighted
    at.chat_input[0].set_value("How long does a Django MVP take?").run()
    assert [m.markdown[0].value for m in at.chat_message[::2]] == [
        "Python for serverless?",
        "How long does a Django MVP take?",
    ]
    assert len(at.chat_message) == 4 and "6\\-8 weeks" in at.chat_message[3].markdown[0].value
    assert len(at.help) == 0 and not [m for m in at.markdown if m.value == "None"]  # no stray magic output


def test_a_citation_shows_code_as_code_and_escapes_the_prose_around_it():
    text = "Dump it *now*:\n```\npg_dump -Fc db > [x](y)\n```\nIt writes a custom archive."
    chunk = Chunk("c", "d.html", "T", "", text, 100, 100 + len(text), page=3)
    support = Span("It writes a custom archive.", 100 + text.index("It"), 100 + len(text), 0.9)
    shown = highlighted(Citation(1, Hit(chunk, 1.0), [support]))
    assert shown.startswith("Dump it \\*now\\*\\:")  # prose escaped: no emphasis, no links
    assert "\n\n```\npg_dump -Fc db > [x](y)\n```\n\n" in shown  # code verbatim inside its fence
    assert shown.endswith(":orange-background[It writes a custom archive\\.]")


def test_unanswerable_question_shows_the_not_covered_state(app):
    ingest(app)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.chat_input[0].set_value("Who won the 2022 FIFA World Cup?").run()
    assert "do not cover" in at.chat_message[1].warning[0].value
    assert len(at.expander) == 0


def test_missing_index_is_an_error_message_not_a_traceback(app):
    import shutil

    shutil.rmtree(app.corpus_dir)  # nothing to ingest either
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert "kb ingest" in at.sidebar.error[0].value


def test_reingest_button_shows_the_summary(app):
    ingest(app)
    (app.corpus_dir / "new.md").write_text("# Go\n\nGo compiles to one static binary.\n")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert "1 added" in at.sidebar.success[0].value


def test_upload_adds_an_article_and_ingests_it(app):
    ingest(app)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.file_uploader[0].set_value(
        ("go.md", b"# Go APIs\n\nGo compiles to one static binary.\n", "text/markdown")
    )
    at.run()
    at.sidebar.button[1].click().run()
    assert not at.exception
    assert (app.corpus_dir / "go.md").exists()
    assert "1 added" in at.sidebar.success[0].value


def test_bad_upload_is_an_error_and_the_corpus_is_unchanged(app):
    ingest(app)
    before = sorted(p.name for p in app.corpus_dir.iterdir())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.file_uploader[0].set_value(("../evil.md", b"\x00\x01binary\x00", "text/markdown"))
    at.run()
    at.sidebar.button[1].click().run()
    assert not at.exception
    assert "binary" in at.sidebar.error[0].value
    assert sorted(p.name for p in app.corpus_dir.iterdir()) == before
    assert not (app.corpus_dir.parent / "evil.md").exists()


def test_first_start_without_an_index_ingests_the_corpus(app):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception
    assert "2 added" in at.success[0].value
    at.chat_input[0].set_value("Python for serverless?").run()
    assert "cold start" in at.chat_message[1].markdown[0].value


def test_an_index_from_an_older_chunker_is_brought_up_to_date_first(app):
    from kb.index.store import Store

    ingest(app)
    Store(app).set_info(chunker="2")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception
    assert "out of date" in at.info[0].value
    at.chat_input[0].set_value("Python for serverless?").run()
    assert "cold start" in at.chat_message[1].markdown[0].value


def test_llm_mode_streams_and_cites(app, gguf, monkeypatch):
    monkeypatch.setenv("KB_LLM_MODEL_PATH", str(gguf))
    ingest(app)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    captions = " ".join(c.value.replace("\\", "") for c in at.sidebar.caption)  # undo markdown escaping
    assert "ollama: unavailable (set KB_LLM_BASE_URL" in captions
    at.sidebar.radio[0].set_value("llama-cpp").run()
    at.chat_input[0].set_value("What do senior Python developers cost in the US?").run()
    assert not at.exception
    reply = at.chat_message[1]
    assert "90,000" in reply.markdown[0].value and "[1]" in reply.markdown[0].value
    assert reply.caption[0].value.replace("\\", "").startswith("llama-cpp: first token")


def test_a_running_chat_follows_an_ingest_from_the_command_line(app):
    from tests.conftest import DOC_A, DOC_B
    from tests.index.test_reader import ZEBRA, cli_ingest

    ingest(app)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.chat_input[0].set_value("Python for serverless?").run()
    assert "cold start" in at.chat_message[1].markdown[0].value
    (app.corpus_dir / "zebra.txt").write_text(ZEBRA)
    a = app.corpus_dir / DOC_A
    a.write_text(a.read_text().replace("Python", "Pythonic"))
    (app.corpus_dir / DOC_B).unlink()
    cli_ingest(app)  # a real `kb ingest` process while the chat holds the index open
    at.chat_input[0].set_value("What do zebras eat on the farm?").run()
    assert not at.exception
    assert "quinoa" in at.chat_message[3].markdown[0].value  # not "the articles do not cover this"
    at.chat_input[0].set_value("How long does a Django MVP take compared to NestJS?").run()
    assert not at.exception and len(at.chat_message) == 6  # before: TypeError on deleted chunks
    at.chat_input[0].set_value("How many requests per second does FastAPI handle?").run()
    assert "10,000" in at.chat_message[7].markdown[0].value  # from the document the ingest changed
    labels = [e.label for e in at.chat_message[7].expander]
    assert labels and not [x for x in labels if "Backend Development" in x]  # the deleted one is gone
