"""Sentences and answer sentences (kb/text/sentences.py) on the real articles."""

from kb.text.chunker import chunk_document
from kb.text.sentences import answer_spans, sentence_spans
from tests.conftest import DOC_A, DOC_B
from tests.text.test_chunker import doc


def test_answer_sentences_keep_bullets_and_table_rows_but_not_headings():
    text = (
        "Python ecosystem strengths\n"
        "  • SQLAlchemy, Alembic: the most battle-tested ORM and migration tooling\n"
        "  • Evaluate your hiring plan: which language has better talent availability?\n"
        "Learning curveLow (clean syntax, readable)Low-medium (async patterns can be tricky)\n"
        "Is FastAPI as fast as Node.js Express?+\n"
        "Designing Scalable Backend Architectures With Python\n"
        "Here is my decision framework:\n"
        "FastAPI's async performance is comparable to Express for most workloads."
    )
    got = [text[s:e] for s, e in answer_spans(text)]
    assert got == [
        "SQLAlchemy, Alembic: the most battle-tested ORM and migration tooling",  # heading-shaped bullet
        "Evaluate your hiring plan: which language has better talent availability?",  # a bullet, not an FAQ
        "Learning curveLow (clean syntax, readable)Low-medium (async patterns can be tricky)",
        "FastAPI's async performance is comparable to Express for most workloads.",
    ]


def test_every_bullet_of_the_articles_is_an_answer_sentence():
    missing, bullets = [], 0
    for name in (DOC_A, DOC_B):
        d = doc(name)
        spans = {
            d.text[c.char_start + s : c.char_start + e]
            for c in chunk_document(d)
            for s, e in answer_spans(c.text)
        }
        for line in d.text.splitlines():
            if line.strip().startswith("•"):
                bullets += 1
                s, e = sentence_spans(line.strip().lstrip("• "))[0]  # a bullet's first sentence
                first = line.strip().lstrip("• ")[s:e]
                if len(first) >= 25 and first not in spans:
                    missing.append(first)
    assert bullets > 40 and missing == []
