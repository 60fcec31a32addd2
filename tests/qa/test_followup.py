"""The carry-over rule for follow-up questions (kb/qa/followup.py), with the real embedding model."""

import pytest

from kb.index.embedder import vocabulary
from kb.qa.ask import ask
from kb.qa.followup import carry_over, stands_alone
from kb.settings import DEFAULT_MODEL


@pytest.fixture(scope="module")
def embed(real_index):
    return real_index.embedder.embed


@pytest.mark.parametrize(
    "question, previous, searched",
    [
        ("And with NestJS?", "How long is an MVP with Django?", "How long is an MVP with NestJS?"),
        ("And on PyPI?", "How many packages are on npm?", "How many packages are on PyPI?"),
        ("And a bigint?", "How much space does a smallint take?", "How much space does a bigint take?"),
        ("And an integer column?", "What is the largest number a smallint column can store?",
         "What is the largest number a integer column can store?"),  # by the word beside, not "number"
        ("How do I restore it?", "What makes a logical backup?", "How do I restore it? (logical backup)"),
        ("Which index type is the usual choice for full text search?", "What is GIN?",
         "Which index type is the usual choice for full text search?"),
        ("And Repeatable Read?", "What does Read Committed isolation guarantee?",
         "What does Repeatable Read isolation guarantee?"),  # a name in words for a name in words
        ("And for all databases at once?", "What tool backs up a single database?",
         "What tool backs up a all database?"),  # the new word beside "database" takes its place
        ("Should we switch to Python?", "My whole team writes TypeScript.",
         "Should we switch to Python? (whole team writes TypeScript)"),  # a statement is context
        ("How do I create an index?", "Thanks.", "How do I create an index?"),  # a word of thanks is not
    ],
)  # fmt: skip
def test_follow_ups_are_searched_with_their_context(embed, question, previous, searched):
    assert carry_over(question, previous, embed) == searched


def test_a_word_the_model_does_not_know_is_a_name_and_replaces_one(embed):
    known = vocabulary(DEFAULT_MODEL)
    previous = "How mature is the Python package ecosystem?"
    assert carry_over("And npm?", previous, embed) == "How mature is the Python npm ecosystem?"
    assert carry_over("And npm?", previous, embed, known) == "How mature is the npm package ecosystem?"


def test_a_new_topic_is_searched_as_asked():
    assert stands_alone("How many client connections does the server allow?")
    assert not stands_alone("Does that also work for UPDATE?")


def test_ask_keeps_the_question_as_asked_and_says_what_it_searched(real_index):
    first = ask(real_index, "What budget does a Django MVP need?")
    answer = ask(real_index, "And a Node.js one?", previous=first)
    assert (
        answer.question == "And a Node.js one?" and answer.searched == "What budget does a Node.js MVP need?"
    )
    assert "4,000-12,000" in answer.text  # the NestJS/Node figure, not Django's again
    alone = ask(real_index, "And a Node.js one?")
    assert alone.searched == "And a Node.js one?" and "4,000-12,000" not in alone.text
