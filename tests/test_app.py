"""The Streamlit chat driven by streamlit's AppTest, on a real index of the real corpus."""

import pytest
from streamlit.testing.v1 import AppTest

from ingest.pipeline import ingest
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
    assert at.expander[0].label.startswith("[1] Python vs Node.js for Backend Development")
    assert ":orange-background[" in at.expander[0].markdown[0].value  # supporting sentence highlighted


def test_unanswerable_question_shows_the_not_covered_state(app):
    ingest(app)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.chat_input[0].set_value("Who won the 2022 FIFA World Cup?").run()
    assert "do not cover" in at.chat_message[1].warning[0].value
    assert len(at.expander) == 0


def test_missing_index_is_an_error_message_not_a_traceback(app):
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
