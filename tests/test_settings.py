"""The one settings object (kb/settings.py): KB_ variables, validated, names from the enums."""

import pytest
from pydantic import ValidationError

from kb.settings import LLMBackend, RetrieverName, Settings


def test_environment_variables_set_fields(monkeypatch):
    monkeypatch.setenv("KB_RETRIEVER", "bm25")
    monkeypatch.setenv("KB_LLM", "ollama")
    monkeypatch.setenv("KB_K", "7")
    s = Settings()
    assert (s.retriever, s.llm, s.k) == (RetrieverName.BM25, LLMBackend.OLLAMA, 7)
    assert s.retriever == "bm25" and f"{s.llm}" == "ollama"  # the enums are their names


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"retriever": "sparse"}, "retriever"),
        ({"llm": "gpt"}, "llm"),
        ({"collection": "has space"}, "collection"),
        ({"chunk_size": 500, "chunk_overlap": 500}, "KB_CHUNK_OVERLAP"),
    ],
)
def test_bad_values_are_refused_naming_the_field(kw, field):
    with pytest.raises(ValidationError, match=field):
        Settings(**kw)
