"""The CI quality gate (kb/eval/gate.py): bounds from thresholds.yaml checked against a run's totals."""

import pytest

from kb.errors import EvalFileError
from kb.eval.gate import THRESHOLDS, load_thresholds, violations

SETS = ["golden", "postgresql", "sqlite", "sphinx", "pdf", "pip", "git", "celery", "texpdf", "valgrind"]
SETS += ["drf", "typer", "rustbook", "rustc"]  # MkDocs and mdBook sites
SETS += ["doxygen", "glfw", "gobject", "glib"]  # Doxygen and gtk-doc sites


@pytest.mark.parametrize("name", SETS)
def test_shipped_thresholds_parse_and_bind(name):
    bounds = load_thresholds(THRESHOLDS, name)
    assert bounds["min"]["hit@3"] > 0.5
    assert violations({**{m: 1.0 for m in bounds["min"]}, **{m: 0.0 for m in bounds["max"]}}, bounds) == []


def test_both_bounds_are_reported_and_unknown_metrics_are_errors(tmp_path):
    bounds = {"min": {"hit@3": 0.9}, "max": {"false_refusal_rate": 0.05}}
    assert violations({"hit@3": 0.8, "false_refusal_rate": 0.1}, bounds) == [
        "hit@3 = 0.800, below the minimum 0.900",
        "false_refusal_rate = 0.100, above the maximum 0.050",
    ]
    with pytest.raises(EvalFileError, match="unknown metric 'recall'"):
        violations({"hit@3": 1.0}, {"min": {"recall": 0.5}})
    bad = tmp_path / "t.yaml"
    bad.write_text("mine:\n  minimum:\n    hit@3: 0.9\n")
    with pytest.raises(EvalFileError, match="expected 'min:'"):
        load_thresholds(bad, "mine")
    with pytest.raises(EvalFileError, match="no bounds for the set 'other' \\(it has: mine\\)"):
        load_thresholds(bad, "other")
