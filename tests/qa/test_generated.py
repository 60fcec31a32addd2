"""LLM answer modes (kb/qa/generated.py) with a scripted model: what is kept, cited, or falls back."""

import pytest

import kb.qa.llm
from kb.errors import LLMUnavailableError
from kb.qa.ask import ask
from tests.conftest import DOC_B

pytestmark = pytest.mark.slow


class Scripted:
    """A stand-in model that streams a fixed text (for the logic around the real part)."""

    name = "scripted"

    def __init__(self, text: str, fail: Exception | None = None):
        self.text, self.fail, self.calls = text, fail, 0

    def stream(self, prompt, max_tokens, stop):
        self.calls += 1
        if self.fail:
            raise self.fail
        yield from (w + " " for w in self.text.split())


@pytest.fixture
def scripted(monkeypatch):
    def use(text, fail=None):
        model = Scripted(text, fail)
        monkeypatch.setattr("kb.qa.generated.get_llm", lambda settings, name: model)
        return model

    return use


def test_supported_sentences_are_kept_and_cited(real_index, scripted):
    scripted("Node.js cold start times are faster than Python on AWS Lambda [1]. The moon is cheese [9].")
    streamed = []
    answer = ask(real_index, "Python for serverless?", mode="ollama", on_token=streamed.append)
    assert answer.mode == "ollama" and answer.found
    assert answer.text == "Node.js cold start times are faster than Python on AWS Lambda [1]."
    assert answer.citations[0].hit.chunk.doc_id == DOC_B and "1 sentence(s)" in answer.note
    assert "".join(streamed).startswith("Node.js cold start")


def test_invented_numbers_fall_back_to_the_extractive_answer(real_index, scripted):
    scripted("A Django SaaS MVP takes 10-12 weeks.")
    answer = ask(real_index, "How long does a Django MVP take compared to NestJS?", mode="openai")
    assert answer.mode == "extractive" and "6-8 weeks" in answer.text
    assert "no sentence the passages support" in answer.note


def test_a_failing_server_falls_back_with_a_note(real_index, scripted):
    scripted("", fail=LLMUnavailableError("cannot reach the LLM server"))
    answer = ask(real_index, "Python for serverless?", mode="ollama")
    assert answer.found and answer.mode == "extractive" and "cannot reach" in answer.note


def test_off_topic_questions_are_refused_before_the_llm(real_index, scripted):
    model = scripted("Argentina won.")
    answer = ask(real_index, "Who won the 2022 FIFA World Cup?", mode="llama-cpp")
    assert not answer.found and model.calls == 0


def test_missing_extra_is_a_clear_error(real_index, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_llama(name, *a, **kw):
        if name == "llama_cpp":
            raise ImportError("No module named 'llama_cpp'")
        return real_import(name, *a, **kw)

    kb.qa.llm._cached.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_llama)
    with pytest.raises(LLMUnavailableError, match="bash setup.sh test llm"):
        ask(real_index, "Python for serverless?", mode="llama-cpp")
    assert "setup.sh" in kb.qa.llm.availability("llama-cpp")
    kb.qa.llm._cached.cache_clear()
