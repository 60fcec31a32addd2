"""Questions against the real corpus, real model and real Chroma."""

import re
from typing import get_args

import pytest

from kb.errors import ConfigError
from kb.settings import Retriever
from qa.ask import answer_to_dict, ask
from tests.conftest import DOC_A, DOC_B

pytestmark = pytest.mark.slow

# (question in our own words, expected document, a phrase of the passage that answers it)
PARAPHRASES = [
    ("Python for serverless?", DOC_B, "cold start times"),
    ("What does an experienced Python engineer earn yearly in America?", DOC_A, "$90,000"),
    ("Which tools help Python backends survive heavy load?", DOC_A, "PgBouncer"),
    ("How long until a Django MVP is ready compared with NestJS?", DOC_B, "6-8 weeks"),
    ("What hourly rates do European backend contractors charge?", DOC_B, "EUR 40-90/hr"),
    ("How can we test both options before committing to one?", DOC_A, "proof-of-concept"),
    ("Where is Python's library advantage biggest?", DOC_A, "decisive advantage"),
    ("Is it hard to learn each stack?", DOC_B, "Learning curve"),
    ("Should a solo builder pick Node or Python?", DOC_A, "solo founder"),
    ("Can Django and a Node service work side by side?", DOC_B, "RabbitMQ"),
    # BM25 ranks this list first, dense 16th: rank fusion lost it, score fusion keeps it (retrieve.py)
    ("Which mistakes should founders avoid when choosing?", DOC_A, "raw benchmark numbers"),
]
# found, but refused (their best sentence scores under KB_MIN_SCORE): see README "Known gaps"
REFUSED = {"Is it hard to learn each stack?", "Which mistakes should founders avoid when choosing?"}
OFF_TOPIC = [
    "Who won the 2018 Champions League final?",
    "What is the pH of hydrochloric acid?",
    "How do I set the JVM's G1 garbage collector pause target?",
]


@pytest.mark.parametrize("question, doc, phrase", PARAPHRASES)
def test_paraphrased_question_cites_the_right_passage_in_top_3(real_index, question, doc, phrase):
    answer = ask(real_index, question)
    top3 = answer.hits[:3]
    assert any(h.chunk.doc_id == doc and phrase in h.chunk.text for h in top3), [
        h.chunk.section for h in top3
    ]


# (from eval/heldout.yaml) a list's own vector is a blur of all its bullets; its best sentence is not
@pytest.mark.parametrize(
    "question, phrase",
    [
        ("Is OpenAI offering a JavaScript library a good reason to build AI features in Node?", "JS SDK"),
        ("Is an article online a good reason to change languages in the middle of a build?", "blog post"),
        ("What is the most proven way in Python to map tables to objects and evolve the schema?", "Alembic"),
        ("What should we ask ourselves about recruiting over the coming year?", "next 12 months"),
    ],
)
def test_a_question_about_one_bullet_finds_its_list_in_top_3(real_index, question, phrase):
    hits = ask(real_index, question).hits[:3]
    assert any(phrase in h.chunk.text for h in hits), [h.chunk.section for h in hits]


def test_answer_prefers_the_sentence_that_shares_the_questions_rare_words(real_index):
    # by cosine alone three sentences about "automation" outrank the one that names the tools
    answer = ask(real_index, "What tools does Python offer for background jobs and workflow orchestration?")
    assert "Celery" in answer.text


@pytest.mark.parametrize("question, doc, phrase", [p for p in PARAPHRASES if p[0] not in REFUSED])
def test_paraphrased_question_is_answered_citing_that_document(real_index, question, doc, phrase):
    answer = ask(real_index, question)
    assert answer.found and doc in {c.hit.chunk.doc_id for c in answer.citations}


def test_held_out_paraphrase_set_finds_the_right_passage(real_index):
    from eval.golden import load_golden
    from eval.runner import run
    from tests.conftest import ROOT

    totals = run(real_index, load_golden(ROOT / "eval" / "paraphrase.yaml"), "hybrid").totals
    assert totals["hit@3"] >= 0.92 and totals["mrr"] >= 0.84, totals  # measured 0.941 / 0.873
    totals = run(real_index, load_golden(ROOT / "eval" / "heldout.yaml"), "hybrid").totals
    assert totals["hit@3"] >= 0.85 and totals["mrr"] >= 0.74, totals  # measured 0.900 / 0.762


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_are_refused_without_citations(real_index, question):
    answer = ask(real_index, question)
    assert not answer.found and answer.citations == []
    assert "do not cover" in answer.text


def test_a_question_about_things_the_articles_never_name_is_refused_saying_so(real_index):
    # close enough in meaning to clear the similarity threshold (0.414), but about other stacks
    answer = ask(real_index, "Should I use Ruby on Rails or Elixir Phoenix?")
    assert not answer.found and answer.citations == []
    assert "never mention Ruby, Rails, Elixir or Phoenix" in answer.text


def test_every_answer_sentence_carries_a_citation_that_exists(real_index):
    answer = ask(real_index, "How many requests per second can FastAPI handle?")
    numbers = {c.n for c in answer.citations}
    assert re.fullmatch(r"([^\[\]]+ \[\d+\][.!?] ?)+", answer.text), answer.text  # "sentence [n]." each
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)} == numbers
    for c in answer.citations:
        assert c.supporting, "each citation names the sentence it supports"
        for span in c.supporting:
            assert c.hit.chunk.char_start <= span.char_start < span.char_end <= c.hit.chunk.char_end


def test_citation_offsets_point_into_the_source_file(real_index):
    answer = ask(real_index, "How much faster is Node for raw HTTP throughput?")
    for c in answer.citations:
        source = (real_index.settings.corpus_dir / c.hit.chunk.doc_id).read_text(encoding="utf-8")
        assert source[c.hit.chunk.char_start : c.hit.chunk.char_end] == c.hit.chunk.text
        for span in c.supporting:
            assert source[span.char_start : span.char_end] == span.text


@pytest.mark.parametrize("retriever", get_args(Retriever))
def test_each_retriever_returns_k_passages(real_index, retriever):
    answer = ask(real_index, "npm package count", k=3, retriever=retriever)
    assert len(answer.hits) == 3
    assert any("2M+" in h.chunk.text for h in answer.hits)


def test_answers_use_the_sentence_vectors_stored_at_ingest(real_index, monkeypatch):
    calls = []
    real_embed = real_index.embedder.embed
    monkeypatch.setattr(
        real_index.embedder, "embed", lambda texts: calls.append(len(texts)) or real_embed(texts)
    )
    answer = ask(real_index, "How long does a Django MVP take compared to NestJS?")
    assert answer.found and "6-8 weeks" in answer.text
    assert calls == [1]  # only the question was embedded


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
