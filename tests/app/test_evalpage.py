"""The Eval page under AppTest: the latest results shown, and a set run from the page."""

import json

import pytest

from kb.app import escape_md
from kb.ingest.pipeline import ingest
from tests.app.conftest import open_app

pytestmark = pytest.mark.slow


def test_without_results_it_says_how_to_get_them_and_runs_a_set(app, tmp_path):
    ingest(app)
    at = open_app("eval.py")
    assert "No results yet" in at.info[0].value
    at.selectbox[0].set_value("golden").run()
    next(b for b in at.button if b.label == "Run the eval").click().run()
    assert not at.exception
    data = json.loads((tmp_path / "eval" / "latest.json").read_text())
    assert data["runs"][0]["totals"]["questions"] == 63
    table = {row["metric"]: row for row in at.dataframe[0].value.to_dict("records")}
    assert float(table["hit@3"]["hybrid"]) > 0.9  # the seed articles' own set on their index
    failing = at.main.expander[0]
    assert failing.label.startswith("hybrid\\: ") and "failing questions" in failing.label
    assert (tmp_path / "eval" / "latest.png").stat().st_size > 10_000


def test_the_failing_questions_of_the_latest_run_are_listed_with_their_reasons(app, tmp_path):
    (tmp_path / "eval").mkdir()
    case = {"id": "q1", "question": "Why?", "passed": False, "reasons": ["fact missing: 'x'"]}
    run = {
        "config": "hybrid",
        "totals": {"questions": 1, "hit@3": 1.0, "refusal_accuracy": None},
        "cases": [case],
    }
    latest = {"generated_at": "2026-11-23T09:00:00+00:00", "golden": "mine.yaml", "runs": [run]}
    (tmp_path / "eval" / "latest.json").write_text(json.dumps(latest))
    at = open_app("eval.py")
    assert not at.exception
    assert at.main.expander[0].label == escape_md("hybrid: 1 failing questions")
    assert at.main.expander[0].caption[0].value == escape_md("fact missing: 'x'")
    rows = at.dataframe[0].value.to_dict("records")
    assert {r["metric"]: r["hybrid"] for r in rows} == {"hit@3": "1.000", "refusal_accuracy": "–"}
