"""The grounding check (kb/qa/grounding.py, kb/qa/figures.py) on single sentences, words only."""

from kb.qa.figures import figures_bound, numbers
from kb.qa.grounding import Checker, Evidence, flipped
from kb.types import Chunk, Hit

PASSAGE = (
    "Cost advantage: Django SaaS MVP: EUR 3,000-8,000. Equivalent NestJS MVP: EUR 4,000-12,000. "
    "A Django SaaS MVP takes 6-8 weeks vs 8-12 weeks for equivalent Node.js/NestJS."
)


def hits(*texts):
    return [Hit(Chunk(f"c{i}", "d", "T", "", t, 0, len(t)), 1.0) for i, t in enumerate(texts)]


def test_a_figure_on_the_wrong_subject_is_not_bound():
    units = Evidence.of([PASSAGE]).units
    assert figures_bound("A Django SaaS MVP costs EUR 3,000-8,000.", units)
    assert not figures_bound("A Django SaaS MVP costs EUR 4,000-12,000.", units)
    assert not figures_bound("A NestJS MVP takes 6-8 weeks.", units)


def test_only_the_cited_passage_counts():
    checker = Checker()
    text = "A Django SaaS MVP takes 6-8 weeks [1]. A Django SaaS MVP takes 6-8 weeks vs 8-12 weeks [2]."
    kept, dropped = checker.grounded(text, hits(PASSAGE, "Paris is in France."))
    assert kept == [("A Django SaaS MVP takes 6-8 weeks.", 0)] and dropped == 1


def test_a_sentence_citing_nothing_may_use_any_passage():
    kept, _ = Checker().grounded("A Django SaaS MVP takes 6-8 weeks.", hits("Paris is in France.", PASSAGE))
    assert kept == [("A Django SaaS MVP takes 6-8 weeks.", 1)]


def test_negation_and_swapped_comparison_are_flips():
    window = "A regular CREATE INDEX can run in a transaction block, but CREATE INDEX CONCURRENTLY cannot."
    assert flipped("CREATE INDEX CONCURRENTLY can run in a transaction block.", window)
    assert not flipped("CREATE INDEX CONCURRENTLY cannot run in a transaction block.", window)
    assert flipped("Python starts faster than Node.js.", "Node.js starts faster than Python.")


def test_number_words_count_but_not_the_pronoun_kind():
    assert numbers("It scans the table two times; the two of them") == ["2"]
