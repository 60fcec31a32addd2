"""The runner's scoring on fake answers (logic only), and one real run on the real index."""

import math
import re

import pytest

from kb.eval.gate import violations
from kb.eval.golden import Case
from kb.eval.report import table
from kb.eval.runner import RunResult, run, score_case, totals
from kb.types import Answer, Chunk, Citation, Hit


def hit(doc, section="S", page=0):
    return Hit(Chunk("id-" + doc + section + str(page), doc, "T", section, "text", 0, 4, page), 1.0)


def case(**kw):
    base = dict(id="c", question="q?", facts=(("6-8 weeks",),), sources=("a.txt",), section=None,
                answerable=True, line=1)  # fmt: skip
    return Case(**{**base, **kw})


def test_pass_needs_facts_and_an_expected_source():
    h = hit("a.txt")
    ok = Answer("q?", "It takes 6–8 weeks [1].", True, [Citation(1, h)], hits=[h])
    r = score_case(case(), ok, n_relevant=1)
    assert r.passed and r.fact_recall == 1.0 and r.hit1 == 1.0 and r.ndcg5 == 1.0

    wrong = hit("b.txt")
    bad = Answer("q?", "Soon [1].", True, [Citation(1, wrong)], hits=[wrong, h])
    r = score_case(case(), bad, n_relevant=1)
    assert not r.passed and r.hit1 == 0.0 and r.hit3 == 1.0 and r.rr == 0.5
    assert r.reasons == ["fact missing: '6-8 weeks'", "wrong source: cited ['b.txt']"]


def test_refusals_are_scored_both_ways():
    refused = Answer("q?", "not covered", False, hits=[hit("a.txt")])
    assert score_case(case(), refused, 1).reasons == ["refused wrongly"]
    assert score_case(case(answerable=False, facts=(), sources=()), refused, 0).passed
    answered = Answer("q?", "x [1].", True, [Citation(1, hit("a.txt"))], hits=[hit("a.txt")])
    assert score_case(case(answerable=False), answered, 0).reasons == ["answered an unanswerable question"]


def test_totals_on_a_hand_computed_example():
    h_a, h_b = hit("a.txt"), hit("b.txt")
    results = [
        score_case(case(id="1"), Answer("q", "6-8 weeks [1]", True, [Citation(1, h_a)], hits=[h_a]), 1),
        score_case(
            case(id="2"),
            Answer("q", "no [1] [2]", True, [Citation(1, h_b), Citation(2, h_a)], hits=[h_b, h_a]),
            1,
        ),
        score_case(case(id="3", answerable=False), Answer("q", "none", False, hits=[h_b]), 0),
    ]
    t = totals(results)
    assert t["hit@1"] == 0.5 and t["mrr"] == 0.75 and t["fact_recall"] == 0.5
    assert (
        t["citation_precision"] == 2 / 3 and t["refusal_accuracy"] == 1.0 and t["false_refusal_rate"] == 0.0
    )
    assert t["passed"] == 2


def test_pages_a_question_names_must_be_cited_and_answer_length_is_measured():
    paged = case(sources=("m.pdf",), pages=(3, 4))
    right, wrong = hit("m.pdf", page=4), hit("m.pdf", page=7)
    ok = score_case(
        paged, Answer("q", "It takes 6-8 weeks [1].", True, [Citation(1, right)], hits=[right]), 1
    )
    bad = score_case(
        paged, Answer("q", "It takes 6-8 weeks [1].", True, [Citation(1, wrong)], hits=[wrong]), 1
    )
    assert ok.passed and ok.right_page and bad.reasons == ["wrong page: cited p. [7]"]
    t = totals([ok, bad])
    assert t["page_accuracy"] == 0.5 and t["answer_words_median"] == 4
    assert math.isnan(totals([score_case(case(), Answer("q", "x", False), 0)])["page_accuracy"])


def test_a_set_without_unanswerable_questions_has_no_refusal_score():
    h = hit("a.txt")
    t = totals([score_case(case(), Answer("q", "6-8 weeks [1]", True, [Citation(1, h)], hits=[h]), 1)])
    assert math.isnan(t["refusal_accuracy"])  # not 0.0: nothing was there to refuse
    run_ = RunResult("hybrid", t)
    assert re.search(r"refusal_accuracy +–", table([run_]))
    assert violations(t, {"min": {"refusal_accuracy": 0.9}}) == [
        "refusal_accuracy has no questions to measure it in this set"
    ]


@pytest.mark.slow
def test_real_run_goes_through_ask(real_index):
    cases = [
        case(
            id="sls",
            question="Python for serverless?",
            facts=(("cold start",),),
            sources=("001_c1f814b815e7f51f.txt",),
        ),
        case(
            id="off", question="What is the boiling point of ethanol?", facts=(), sources=(), answerable=False
        ),
    ]
    result = run(real_index, cases, "hybrid")
    assert [r.passed for r in result.cases] == [True, True]
    assert result.totals["refusal_accuracy"] == 1.0 and result.totals["latency_p50_ms"] > 0
