"""The BM25 index on its own: a real bm25s index over hand-made chunks."""

import pytest

from kb.index.lexical import Bm25Index
from kb.types import Chunk


def chunks(*texts):
    return [Chunk(f"c{i}", "doc.txt", "", "", t, 0, len(t)) for i, t in enumerate(texts)]


def test_ideal_score_is_what_a_chunk_with_every_query_term_once_scores():
    # four chunks of equal length, so each is of average length
    index = Bm25Index.build(chunks("django lambda", "django celery", "express prisma", "lambda prisma"))
    ideal = index.ideal_score("django prisma?")
    assert ideal > 0
    scores = dict(index.search("django prisma?", 4))
    # no chunk holds both terms: each scores one term's share of the ideal (both are in 2 of 4)
    assert scores["c0"] == pytest.approx(ideal / 2, rel=1e-4)
    both = Bm25Index.build(chunks("django prisma", "django celery", "express prisma", "lambda kafka"))
    assert dict(both.search("django prisma", 4))["c0"] == pytest.approx(
        both.ideal_score("django prisma"), rel=1e-4
    )


def test_ideal_score_ignores_words_the_corpus_never_uses():
    index = Bm25Index.build(chunks("django lambda", "express prisma"))
    assert index.ideal_score("zebra quasar") == 0.0
    assert index.ideal_score("django zebra") == index.ideal_score("django")
