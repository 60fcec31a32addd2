"""Golden-set files (kb/eval/golden.py): the shipped sets are valid; bad entries name line and field."""

import pytest

from kb.errors import EvalFileError
from kb.eval.golden import load_golden, shipped_sets


def test_shipped_golden_set_is_valid_and_big_enough():
    cases = load_golden("golden")
    answerable = [c for c in cases if c.answerable]
    assert len(answerable) >= 40
    assert len([c for c in cases if not c.answerable]) >= 8
    assert len([c for c in answerable if len(c.sources) == 2]) >= 5


@pytest.mark.parametrize(
    "body, where",
    [
        (
            "- id: a\n  question: q?\n  facts: [x]\n  sources: [d]\n"
            "- id: b\n  question: q?\n  facts: 3\n  sources: [d]\n",
            "line 5: field 'facts'",
        ),
        ("- id: a\n  question: ''\n", "line 1: field 'question'"),
        ("- id: a\n  question: q?\n  facts: [x]\n  sources: [d]\n  colour: red\n", "field 'colour': unknown"),
        ("- id: a\n  question: q?\n  answerable: maybe\n", "field 'answerable'"),
        (
            "- id: a\n  question: q?\n  facts: [x]\n  sources: [d]\n"
            "- id: a\n  question: r?\n  answerable: false\n",
            "line 5: field 'id': duplicate id 'a' (first on line 1)",
        ),
        ("- id: a\n  question: q?\n", "field 'facts': an answerable question needs facts and sources"),
        (
            "- id: a\n  question: q?\n  facts: [x]\n  sources: [d]\n  pages: [0]\n",
            "field 'pages': must be a list",
        ),
    ],
)
def test_malformed_entries_name_line_and_field(tmp_path, body, where):
    p = tmp_path / "g.yaml"
    p.write_text(body)
    with pytest.raises(EvalFileError, match=where.replace("(", r"\(").replace(")", r"\)")):
        load_golden(p)


def test_jsonl_is_accepted_and_bad_json_names_the_line(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text('{"id": "a", "question": "q?", "answerable": false}\n\n{"id": "b", "question": oops}\n')
    with pytest.raises(EvalFileError, match="line 3: not valid JSON"):
        load_golden(p)
    p.write_text(
        '{"id": "a", "question": "q?", "facts": [["6-8 weeks", "6–8 weeks"]], "sources": ["d.txt"]}\n'
    )
    (case,) = load_golden(p)
    assert case.facts == (("6-8 weeks", "6–8 weeks"),) and case.sources == ("d.txt",)


@pytest.mark.parametrize("name", shipped_sets())
def test_every_shipped_set_loads(name):
    cases = load_golden(name)
    assert len(cases) >= 30 and all(c.sources for c in cases if c.answerable)


REAL = ["postgresql", "sqlite", "git", "celery", "texpdf", "valgrind", "drf", "typer", "rustbook", "rustc"]
REAL += ["doxygen", "glfw", "gobject", "glib"]


@pytest.mark.parametrize("name", REAL)
def test_a_real_documentation_set_has_enough_questions_of_both_kinds(name):
    cases = load_golden(name)
    assert sum(c.answerable for c in cases) >= 40 and sum(not c.answerable for c in cases) >= 8


@pytest.mark.parametrize("name", ["pdf", "texpdf", "valgrind"])
def test_the_pdf_sets_check_a_page_for_every_answerable_question(name):
    cases = load_golden(name)
    assert all(c.pages for c in cases if c.answerable) and sum(not c.answerable for c in cases) >= 8
