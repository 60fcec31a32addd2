"""The grounding check measured on the labelled sets (kb/eval/grounding.py), with the real model."""

import pytest

from kb.errors import EvalFileError
from kb.eval import grounding
from kb.index.embedder import get_embedder
from kb.qa.grounding import Checker
from kb.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return Checker(get_embedder(Settings(data_dir=tmp_path_factory.mktemp("g"))))


def test_sets_have_every_kind_and_enough_sentences():
    for name, least in (("dev", 120), ("heldout", 120)):
        items = grounding.load(name)
        assert len(items) >= least
        assert {i.kind for i in items} == set(grounding.FAITHFUL + grounding.UNFAITHFUL)


def test_held_out_figures_do_not_regress(checker):
    """The figures docs/design.md quotes (98 % kept, 73 % dropped), with a sentence of slack each."""
    result = grounding.confusion(checker, grounding.load("heldout"))
    assert result["faithful_kept"] >= 56 and result["unfaithful_dropped"] >= 45, grounding.table(result)
    assert result["kinds"]["wrong_figure"]["kept"] == 0 and result["kinds"]["wrong_cite"]["kept"] <= 1


def test_a_bad_set_names_the_file_and_entry(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text(
        "- question: q\n  passages: [p]\n  sentences:\n"
        "    - {cite: [3], ok: true, kind: paraphrase, text: t}\n"
    )
    with pytest.raises(EvalFileError, match=r"mine.yaml: entry 1: bad kind or citation"):
        grounding.load(str(bad))
    bad.write_text("- question: q\n  sentences: []\n")
    with pytest.raises(EvalFileError, match=r"mine.yaml: entry 1: missing or malformed field \('passages'\)"):
        grounding.load(str(bad))
    with pytest.raises(EvalFileError, match="no such grounding set"):
        grounding.load("nope")
