"""LLM answer modes (kb/qa/generated.py) with a scripted model: what is kept, cited, or falls back."""

import time

import pytest
from llama_index.core.base.llms.types import CompletionResponse, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

import kb.qa.llm
from kb.errors import LLMUnavailableError
from kb.qa.ask import ask
from tests.conftest import DOC_B

pytestmark = pytest.mark.slow


class Scripted(CustomLLM):
    """A LlamaIndex LLM that streams a fixed text (for the logic around the real part)."""

    text: str = ""
    fail: Exception | None = None
    delay: float = 0.0
    calls: int = 0
    model_config = {"arbitrary_types_allowed": True}

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=True, model_name="scripted")

    @llm_completion_callback()
    def complete(self, prompt, formatted=False, **kw) -> CompletionResponse:
        return CompletionResponse(text=self.text)

    @llm_completion_callback()
    def stream_complete(self, prompt, formatted=False, **kw):
        self.calls += 1
        if self.fail:
            raise self.fail

        def gen():
            for w in self.text.split():
                time.sleep(self.delay)
                yield CompletionResponse(text="", delta=w + " ")

        return gen()


@pytest.fixture
def scripted(monkeypatch):
    def use(text, fail=None):
        model = Scripted(text=text, fail=fail)
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
    import importlib.util

    real_find = importlib.util.find_spec
    no_llama = lambda n, *a: None if n == "llama_cpp" else real_find(n, *a)  # noqa: E731
    monkeypatch.setattr(importlib.util, "find_spec", no_llama)
    kb.qa.llm._cached.cache_clear()
    with pytest.raises(LLMUnavailableError, match="bash setup.sh test llm"):
        ask(real_index, "Python for serverless?", mode="llama-cpp")
    assert "setup.sh" in kb.qa.llm.availability("llama-cpp")
    kb.qa.llm._cached.cache_clear()


def test_an_llm_object_from_python_answers_in_its_own_mode(real_index):
    model = Scripted(text="Node.js cold start times are faster than Python on AWS Lambda [1].")
    answer = ask(real_index, "Python for serverless?", llm=model)
    assert model.calls == 1 and answer.mode == "llm" and answer.text.startswith("Node.js cold start")


def test_until_stop_ends_at_a_stop_string_even_split_across_pieces():
    from kb.qa.generated import until_stop

    assert "".join(until_stop(["A [1].", "\n", "Question: B"], ["\n", "Question:"])) == "A [1]."
    # the start of a split stop string was already shown; nothing after the stop is
    assert "".join(until_stop(["A [1]. Ques", "tion: B", " C"], ["Question:"])) == "A [1]. Ques"


def test_a_model_past_the_timeout_falls_back_with_a_note(real_index):
    from kb.index.reader import Index

    index = Index(real_index.settings.model_copy(update={"llm_timeout": 0.05}), real_index.store,
                  real_index.embedder, real_index.bm25)  # fmt: skip
    model = Scripted(text="Node.js cold start times are faster than Python on AWS Lambda [1].", delay=0.03)
    answer = ask(index, "Python for serverless?", llm=model)
    assert answer.mode == "extractive" and "no answer within 0.05 s (KB_LLM_TIMEOUT)" in answer.note


def test_an_llm_mode_rewrites_a_follow_up_from_the_conversation(real_index, scripted):
    model = scripted("How long does a NestJS MVP take?")
    first = ask(real_index, "How long does a Django MVP take?")
    answer = ask(real_index, "And with NestJS?", mode="ollama", previous=first)
    assert answer.searched == "How long does a NestJS MVP take?" and answer.question == "And with NestJS?"
    assert model.calls == 2  # the rewrite, then the answer

    model.calls = 0
    ask(real_index, "How much does a Django MVP cost?", mode="ollama", previous=first)
    assert model.calls == 1  # a question that stands alone is not rewritten


def test_a_failed_or_rambling_rewrite_falls_back_to_the_carry_over_rule(real_index, scripted):
    first = ask(real_index, "How long does a Django MVP take?")
    scripted("", fail=ConnectionError("down"))
    assert ask(real_index, "And with NestJS?", mode="ollama", previous=first).searched == (
        "How long does a NestJS MVP take?"
    )
    scripted("Sure! " * 40 + "How long does a NestJS MVP take?")  # runs long: refused
    assert ask(real_index, "And with NestJS?", mode="ollama", previous=first).searched == (
        "How long does a NestJS MVP take?"
    )
