"""The question path (kb/qa/ask.py): offsets into the source, the JSON shape, bad input."""

import pytest

from kb.errors import ConfigError
from kb.qa.ask import answer_to_dict, ask

pytestmark = pytest.mark.slow


def test_citation_offsets_point_into_the_source_file(real_index):
    answer = ask(real_index, "How much faster is Node for raw HTTP throughput?")
    for c in answer.citations:
        source = (real_index.settings.corpus_dir / c.hit.chunk.doc_id).read_text(encoding="utf-8")
        assert source[c.hit.chunk.char_start : c.hit.chunk.char_end] == c.hit.chunk.text
        for span in c.supporting:
            assert source[span.char_start : span.char_end] == span.text


def test_json_shape(real_index):
    data = answer_to_dict(ask(real_index, "Python for serverless?"))
    assert set(data) >= {"question", "answer", "found", "citations"}
    c = data["citations"][0]
    assert set(c) >= {"n", "title", "doc_id", "section", "text", "char_start", "char_end", "score"}


def test_empty_or_unknown_inputs_are_clear_errors(real_index):
    with pytest.raises(ConfigError, match="empty"):
        ask(real_index, "   ")
    with pytest.raises(ConfigError, match="unknown retriever 'sparse'"):
        ask(real_index, "x y z", retriever="sparse")
