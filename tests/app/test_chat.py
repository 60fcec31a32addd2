"""The Chat page driven by streamlit's AppTest, on a real index of the real corpus."""

import pytest

from kb.app import escape_md
from kb.ingest.pipeline import ingest
from tests.app.conftest import open_app

pytestmark = pytest.mark.slow


def test_question_answer_and_citations_render(app):
    ingest(app)
    at = open_app()
    assert not at.exception
    at.chat_input[0].set_value("Python for serverless?").run()
    assert not at.exception
    answer = at.chat_message[1].markdown[0].value
    assert "cold start" in answer and "[\\[1\\]](?c=1&doc=001_c1f814b815e7f51f.txt&at=" in answer  # [1] links
    assert at.expander[0].label.startswith(escape_md("[1] Python vs Node.js for Backend Development"))
    assert ":orange-background[**" in at.expander[0].markdown[0].value  # supporting sentence marked
    at.chat_input[0].set_value("How long does a Django MVP take?").run()
    assert [m.markdown[0].value for m in at.chat_message[::2]] == [
        "Python for serverless?",
        "How long does a Django MVP take?",
    ]
    assert len(at.chat_message) == 4 and "6\\-8 weeks" in at.chat_message[3].markdown[0].value
    assert len(at.help) == 0 and not [m for m in at.markdown if m.value == "None"]  # no stray magic output


def test_unanswerable_question_shows_the_not_covered_state(app):
    ingest(app)
    at = open_app()
    at.chat_input[0].set_value("Who won the 2022 FIFA World Cup?").run()
    assert "do not cover" in at.chat_message[1].warning[0].value
    assert len(at.chat_message[1].expander) == 0  # no citations


def test_missing_index_is_an_error_message_not_a_traceback(app):
    import shutil

    shutil.rmtree(app.corpus_dir)  # nothing to ingest either
    at = open_app()
    assert not at.exception
    assert "does not exist \\(set KB\\_CORPUS\\_DIR" in at.error[0].value
    assert [s.label for s in at.sidebar.selectbox] == ["Collection", "Retriever"]  # the sidebar is drawn


def test_first_start_without_an_index_ingests_the_corpus(app):
    at = open_app(timeout=180)
    assert not at.exception
    assert "2 added" in at.success[0].value
    at.chat_input[0].set_value("Python for serverless?").run()
    assert "cold start" in at.chat_message[1].markdown[0].value


def test_an_index_from_an_older_chunker_is_brought_up_to_date_first(app):
    from kb.index.store import Store

    ingest(app)
    Store(app).set_info(chunker="2")
    at = open_app(timeout=180)
    assert not at.exception
    assert "out of date" in at.info[0].value
    at.chat_input[0].set_value("Python for serverless?").run()
    assert "cold start" in at.chat_message[1].markdown[0].value


def test_llm_mode_streams_and_cites(app, gguf, monkeypatch):
    monkeypatch.setenv("KB_LLM_MODEL_PATH", str(gguf))
    ingest(app)
    at = open_app(timeout=180)
    captions = " ".join(c.value.replace("\\", "") for c in at.sidebar.caption)  # undo markdown escaping
    assert "Not available: ollama (set KB_LLM_BASE_URL" in captions
    at.sidebar.radio[0].set_value("llama-cpp").run()  # in the closed "Answer settings" expander
    at.chat_input[0].set_value("What do senior Python developers cost in the US?").run()
    assert not at.exception
    reply = at.chat_message[1]
    assert "90,000" in reply.markdown[0].value and "[\\[1\\]](" in reply.markdown[0].value
    assert reply.caption[0].value.replace("\\", "").startswith("llama-cpp: first token")


def test_a_running_chat_follows_an_ingest_from_the_command_line(app):
    from tests.conftest import DOC_A, DOC_B
    from tests.index.test_reader import ZEBRA, cli_ingest

    ingest(app)
    at = open_app()
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


def test_a_follow_up_is_read_in_the_conversation_and_a_reload_keeps_it(app):
    ingest(app)
    at = open_app()
    at.chat_input[0].set_value("How long does a Django MVP take?").run()
    at.chat_input[0].set_value("And with NestJS?").run()
    assert not at.exception
    follow_up = at.chat_message[3]
    assert follow_up.caption[0].value == escape_md("Searched for: How long does a NestJS MVP take?")
    assert "8\\-12 weeks" in follow_up.markdown[0].value
    assert at.query_params["c"] == "1"

    reloaded = open_app(c="1")  # a new session on the same URL: the conversation is back
    assert [m.markdown[0].value for m in reloaded.chat_message[::2]] == [
        "How long does a Django MVP take?",
        "And with NestJS?",
    ]
    reloaded.chat_input[0].set_value("And what budget does it need?").run()  # still in context
    assert len(reloaded.chat_message) == 6 and not reloaded.exception


def test_saved_conversations_are_listed_opened_renamed_and_deleted(app):
    ingest(app)
    at = open_app()
    at.chat_input[0].set_value("Python for serverless?").run()
    at.sidebar.button(key="conv-1")  # listed under its first question
    fresh = open_app()  # a new session without the URL: an empty chat, the conversation listed
    assert len(fresh.chat_message) == 0
    fresh.sidebar.button(key="conv-1").click().run()
    assert "cold start" in fresh.chat_message[1].markdown[0].value
    next(t for t in fresh.sidebar.text_input if t.label == "Title").set_value("Serverless").run()
    next(b for b in fresh.sidebar.button if b.label == "Rename").click().run()
    assert fresh.sidebar.button(key="conv-1").label == "Serverless"
    next(b for b in fresh.sidebar.button if b.label == "Delete this conversation").click().run()
    assert not [b for b in fresh.sidebar.button if b.key == "conv-1"] and len(fresh.chat_message) == 0


def test_thumbs_are_saved_with_the_answer(app):
    from kb.app.state import history

    ingest(app)
    at = open_app()
    at.chat_input[0].set_value("Python for serverless?").run()
    at.feedback[0].set_value(0).run()  # thumbs down
    assert not at.exception
    assert [a.question for a in history(app).thumbs_down()] == ["Python for serverless?"]
    assert open_app(c="1").feedback[0].value == 0  # shown again after a reload

    from kb.cli import main

    assert main(["eval-drafts", "--out", str(app.data_dir / "drafts.yaml")]) == 0
    drafted = (app.data_dir / "drafts.yaml").read_text()
    assert "question: Python for serverless?" in drafted and "sources: [001_c1f814b815e7f51f.txt]" in drafted
    assert "# kb answered: For serverless-first architectures" in drafted


def test_a_citation_link_opens_the_whole_document_at_the_passage(app):
    ingest(app)
    at = open_app()
    at.chat_input[0].set_value("Python for serverless?").run()
    link = at.chat_message[1].markdown[0].value
    query = link[link.index("](?") + 3 : link.index(")", link.index("](?"))]
    params = dict(pair.split("=") for pair in query.split("&"))
    doc = open_app(**params)
    assert not doc.exception
    assert doc.title[0].value == escape_md("Python vs Node.js for Backend Development")
    text = " ".join(m.value for m in doc.markdown)
    assert "AWS Lambda" in text and ":orange-background[**" in text  # the supporting sentence marked
    assert "before this passage" in doc.expander[0].label  # the view opens at the passage


def test_collections_are_added_and_switched_each_with_its_own_conversations(app, tmp_path):
    ingest(app)
    other = tmp_path / "go-docs"
    other.mkdir()
    (other / "go.md").write_text("# Go\n\nGo compiles to one static binary with no runtime to install.\n")
    at = open_app()
    at.chat_input[0].set_value("Python for serverless?").run()
    next(t for t in at.sidebar.text_input if t.label == "Name").set_value("go").run()
    next(t for t in at.sidebar.text_input if t.label == "Corpus folder").set_value(str(other)).run()
    next(b for b in at.sidebar.button if b.label == "Add").click().run()
    assert not at.exception and at.sidebar.selectbox[0].value == "go"
    assert [t.value for t in at.sidebar.text_input if t.label in ("Name", "Corpus folder")] == ["", ""]
    assert len(at.chat_message) == 0  # the new collection's own (empty) conversations
    assert "1 added" in at.success[0].value  # its first ingest
    at.chat_input[0].set_value("What does Go compile to?").run()
    assert "static binary" in at.chat_message[1].markdown[0].value
    assert dict(at.query_params) == {"collection": "go", "c": "2"}
    reloaded = open_app(collection="go", c="2")  # a reload, or a [n] link in a new tab: same collection
    assert (
        reloaded.sidebar.selectbox[0].value == "go"
        and "static binary" in reloaded.chat_message[1].markdown[0].value
    )
    link = reloaded.chat_message[1].markdown[0].value
    assert "](?collection=go&c=2&doc=go.md&at=" in link
    at.sidebar.selectbox[0].set_value("kb").run()
    assert [b.label for b in at.sidebar.button if (b.key or "").startswith("conv-")] == [
        "Python for serverless?"
    ]
