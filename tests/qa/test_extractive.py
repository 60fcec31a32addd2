"""Extractive answers (kb/qa/extractive.py) on the real corpus: cited sentences, or a refusal."""

import re

import pytest

from kb.qa.ask import ask
from tests.qa.test_retrieve import PARAPHRASES

pytestmark = pytest.mark.slow

# found, but refused (their best sentence scores under KB_MIN_SCORE): see README "Known gaps"
REFUSED = {"Is it hard to learn each stack?", "Which mistakes should founders avoid when choosing?"}
OFF_TOPIC = [
    "Who won the 2018 Champions League final?",
    "What is the pH of hydrochloric acid?",
    "How do I set the JVM's G1 garbage collector pause target?",
]


def test_answer_prefers_the_sentence_that_shares_the_questions_rare_words(real_index):
    # by cosine alone three sentences about "automation" outrank the one that names the tools
    answer = ask(real_index, "What tools does Python offer for background jobs and workflow orchestration?")
    assert "Celery" in answer.text


@pytest.mark.parametrize("question, doc, phrase", [p for p in PARAPHRASES if p[0] not in REFUSED])
def test_paraphrased_question_is_answered_citing_that_document(real_index, question, doc, phrase):
    answer = ask(real_index, question)
    assert answer.found and doc in {c.hit.chunk.doc_id for c in answer.citations}


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_are_refused_without_citations(real_index, question):
    answer = ask(real_index, question)
    assert not answer.found and answer.citations == []
    assert "do not cover" in answer.text


def test_a_question_about_things_the_articles_never_name_is_refused_saying_so(real_index):
    # close enough in meaning to clear the similarity threshold (0.414), but about other stacks
    answer = ask(real_index, "Should I use Ruby on Rails or Elixir Phoenix?")
    assert not answer.found and answer.citations == []
    assert "never mention Ruby, Rails or Elixir Phoenix" in answer.text
    # a name of several words is known only when the articles have each: they say "Python", not "Quart"
    answer = ask(real_index, "Is Python Quart a good choice for my backend?")
    assert not answer.found and "never mention Python Quart" in answer.text


def test_every_answer_sentence_carries_a_citation_that_exists(real_index):
    answer = ask(real_index, "How many requests per second can FastAPI handle?")
    numbers = {c.n for c in answer.citations}
    assert re.fullmatch(r"([^\[\]]+ \[\d+\][.!?] ?)+", answer.text), answer.text  # "sentence [n]." each
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)} == numbers
    for c in answer.citations:
        assert c.supporting, "each citation names the sentence it supports"
        for span in c.supporting:
            assert c.hit.chunk.char_start <= span.char_start < span.char_end <= c.hit.chunk.char_end


def test_answers_use_the_sentence_vectors_stored_at_ingest(real_index, monkeypatch):
    calls = []
    real_embed = real_index.embedder.embed
    monkeypatch.setattr(
        real_index.embedder, "embed", lambda texts: calls.append(len(texts)) or real_embed(texts)
    )
    answer = ask(real_index, "How long does a Django MVP take compared to NestJS?")
    assert answer.found and "6-8 weeks" in answer.text
    assert calls == [1]  # only the question was embedded


def test_answers_stay_within_the_word_budget_but_keep_their_best_sentence(real_index):
    settings = real_index.settings

    def answer(budget):
        real_index.settings = settings.model_copy(update={"answer_words": budget})
        try:
            return ask(real_index, "Python for serverless?")
        finally:
            real_index.settings = settings

    full, short = answer(500), answer(10)
    words = lambda a: len(re.sub(r" ?\[\d+\]", "", a.text).split())  # noqa: E731
    assert sum(len(c.supporting) for c in full.citations) >= 2 and words(full) > 10
    assert sum(len(c.supporting) for c in short.citations) == 1
    assert full.text.startswith(short.text[: short.text.index(" [")])  # the best sentence, alone


HOWTO = """# Columns

## Changing a column's data type

Columns keep the type they were created with until you change it.
To convert a column to a different data type, use a command like:

```
ALTER TABLE products ALTER COLUMN price TYPE numeric(10,2);
```

This succeeds only if each existing entry can be converted to the new type.

## A long example

To rebuild every table of the shop from scratch after a schema change, run this script:

```
{script}
```
"""


def test_a_how_to_answer_brings_the_short_code_block_its_lead_in_introduces(tmp_path):
    from kb.index.reader import open_index
    from kb.ingest.loaders import load_document
    from kb.ingest.pipeline import ingest
    from tests.conftest import make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    script = "\n".join(f"DROP TABLE shop_table_{i}; CREATE TABLE shop_table_{i} (id int);" for i in range(14))
    text = HOWTO.format(script=script)
    (corpus / "columns.md").write_text(text)
    settings = make_settings(tmp_path, corpus)
    ingest(settings)
    index = open_index(settings)

    answer = ask(index, "How do I change the type of a column?")
    lead = "To convert a column to a different data type, use a command like"
    assert answer.found and f"{lead} [1]:\n\n```\nALTER TABLE products ALTER COLUMN price TYPE" in answer.text
    span = next(s for c in answer.citations for s in c.supporting if "ALTER TABLE" in s.text)
    assert span.text.startswith(lead) and span.text.endswith("```")
    clean, _ = load_document(corpus / "columns.md", "columns.md", 10**8)  # what offsets point into
    assert clean.text[span.char_start : span.char_end] == span.text
    # a code block longer than an answer can show is never brought along
    rebuilt = ask(index, "How do I rebuild every table of the shop after a schema change?")
    assert "DROP TABLE" not in rebuilt.text


def test_a_sentence_two_documents_share_is_answered_once_and_a_long_one_leaves_its_place():
    from kb.qa.extractive import Candidate, within_words
    from kb.types import Chunk, Hit, Span

    def cand(doc, text):
        chunk = Chunk(doc, doc, "T", "", text, 0, len(text))
        return Candidate(Hit(chunk, 1.0), Span(text, 0, len(text), 0.0), 0, 0, len(text))

    shared = "Run ANALYZE after a bulk load."
    long = "A long sentence " + "that goes on " * 20 + "."
    texts = [
        ("a", f"STATS_TARGET. {shared}"),  # with its label here, alone on the other page
        ("b", shared),
        ("c", long),
        ("d", "VACUUM reclaims space."),
        ("e", "Stats guide it."),
    ]
    ranked = [(1.0 - i / 10, cand(doc, text)) for i, (doc, text) in enumerate(texts)]
    picked = [c.hit.chunk.doc_id for _, c in within_words(ranked, budget=20, most=3)]
    assert picked == ["a", "d", "e"]


def test_lines_of_a_listing_too_long_for_one_chunk_never_become_answer_sentences(tmp_path):
    from kb.index.reader import open_index
    from kb.index.store import Store
    from kb.ingest.pipeline import ingest
    from tests.conftest import assert_consistent, make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    listing = "\n".join(f"set total_{i} [db one {{SELECT count(*) FROM undo_log_{i}}}]" for i in range(80))
    (corpus / "undo.md").write_text(
        "# Undo\n\nAn undo log records every change so that it can be reversed later.\n\n"
        f"The whole script:\n\n```\n{listing}\n```\n\nThe script keeps one counter per log table.\n"
    )
    settings = make_settings(tmp_path, corpus)
    ingest(settings)
    assert_consistent(settings)  # one stored vector per answer sentence, the flag counted
    writer, reader = Store(settings), Store(settings, read_only=True)  # chromadb's client, the bindings
    for store in (writer, reader):
        got = store.get([c.chunk_id for c in writer.all_chunks()])
        assert sum(chunk.code_open for chunk, _ in got.values()) >= 2
    answer = ask(open_index(settings), "Which counter does the script set from undo_log_42?")
    assert answer.found and "set total_" not in answer.text


def test_a_list_item_answers_without_its_bullet_mark_and_a_leaning_one_brings_its_context():
    from kb.qa.extractive import candidates
    from kb.types import Chunk, Hit

    text = (
        "Options:\n\n- map: Allows for mapping between system and database user names.\n"
        "- This is why peer needs a map. It is used by most local setups."
    )
    hit = Hit(Chunk("c", "d", "T", "", text, 100, 100 + len(text)), 1.0)
    shown = [(c.text(), c.start) for c in candidates([hit])]
    assert shown[0] == ("map: Allows for mapping between system and database user names.", 112)
    assert shown[1][0] == "This is why peer needs a map."  # leans on nothing before it on its line
    assert shown[2][0] == "This is why peer needs a map. It is used by most local setups."


def test_a_sentence_pointing_back_mid_sentence_brings_the_definition_it_points_at():
    from kb.qa.extractive import candidates
    from kb.types import Chunk, Hit

    text = (
        "- ACCESS SHARE: Conflicts with ACCESS EXCLUSIVE only. "
        "The SELECT command acquires a lock of this mode on referenced tables."
    )
    hit = Hit(Chunk("c", "d", "T", "", text, 0, len(text)), 1.0)
    shown = [c.text() for c in candidates([hit])]
    assert shown[1] == (
        "ACCESS SHARE: Conflicts with ACCESS EXCLUSIVE only. "
        "The SELECT command acquires a lock of this mode on referenced tables."
    )


def test_a_sentence_brings_the_next_one_when_that_one_points_back_at_it():
    from kb.qa.extractive import candidates
    from kb.types import Chunk, Hit

    text = (
        "Spreadsheet exports often omit the empty fields at the end of a line. "
        "To read such files set fill = TRUE. Tools such as awk can pad them too.\n"
        "Blank lines are skipped."
    )
    hit = Hit(Chunk("c", "d", "T", "", text, 0, len(text)), 1.0)
    shown = {c.span.text: c.text() for c in candidates([hit])}
    assert shown["Spreadsheet exports often omit the empty fields at the end of a line."] == (
        "Spreadsheet exports often omit the empty fields at the end of a line. "
        "To read such files set fill = TRUE."
    )
    # "such as" points at nothing before it; a new line is a new paragraph
    assert shown["To read such files set fill = TRUE."].endswith("fill = TRUE.")
    assert shown["Tools such as awk can pad them too."] == "Tools such as awk can pad them too."


def test_a_sentence_opening_the_first_passage_comes_from_the_overlapping_one_that_holds_its_context():
    from kb.qa.extractive import candidates
    from kb.types import Chunk, Hit

    alone = "Older client libraries cannot use this method at all."
    text = f"It is a challenge-response scheme. This is the most secure method. {alone}"
    cut = text.index("This")
    first = Hit(Chunk("d#2", "d", "T", "", text[cut:], cut, len(text)), 0.9)
    second = Hit(Chunk("d#1", "d", "T", "", text[: text.index(" Older")], 0, text.index(" Older")), 0.8)
    got = {c.span.text: (c.text(), c.hit.chunk.chunk_id) for c in candidates([first, second])}
    assert got["This is the most secure method."] == (
        "It is a challenge-response scheme. This is the most secure method.",
        "d#1",
    )
    assert got[alone][1] == "d#2"  # a sentence with no context stays where it first was
    assert len(got) == 3


def test_a_row_of_a_long_table_answers_with_the_header_it_was_embedded_with(tmp_path):
    from kb.index.reader import open_index
    from kb.index.store import Store
    from kb.ingest.pipeline import ingest
    from kb.text.sentences import answer_spans
    from tests.conftest import make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = "\n".join(
        f"| decimal{i} | {i} bytes | fixed precision number {i} | up to {i}0 digits |" for i in range(12)
    )
    (corpus / "types.md").write_text(
        "# Numeric Types\n\nThe numeric types of the database.\n\n"
        f"| Name | Storage Size | Description | Range |\n|---|---|---|---|\n{filler}\n"
        "| smallint | 2 bytes | small-range integer | -32768 to +32767 |\n"
        "| bigint | 8 bytes | large-range integer | -9223372036854775808 to +9223372036854775807 |\n"
    )
    settings = make_settings(tmp_path, corpus)
    ingest(settings)
    writer, reader = Store(settings), Store(settings, read_only=True)  # chromadb's client, the bindings
    for store in (writer, reader):
        chunks = [chunk for chunk, _ in store.get([c.chunk_id for c in writer.all_chunks()]).values()]
        assert {c.table_head for c in chunks} == {"", "| Name | Storage Size | Description | Range |"}
    index = open_index(settings)
    row = next(c for c in writer.all_chunks() if "| smallint" in c.text and c.table_head)
    n = next(i for i, (s, e) in enumerate(answer_spans(row.text)) if row.text[s:e].startswith("| smallint"))
    stored = writer.sentence_vectors([(row.chunk_id, n)])[(row.chunk_id, n)]
    labelled = "Numeric Types: Name: smallint; Storage Size: 2 bytes; Description: small-range integer; "
    expected = index.embedder.embed([labelled + "Range: -32768 to +32767"])[0]
    assert float(stored @ expected) > 0.999
    answer = ask(index, "What is the largest value a smallint column can hold?")
    assert answer.found and answer.text.startswith("| smallint | 2 bytes")


def test_a_sentence_leaning_on_nothing_on_its_line_shows_after_its_heading_but_cites_only_itself():
    from kb.qa.extractive import candidates
    from kb.types import Chunk, Hit

    second, third = "It works much like the SimpleRouter.", "It also lists every route it registers."
    text = f"## DefaultRouter\n\nThis router adds a root view. {second}\n{third}"
    html = Chunk("c", "d", "Routers", "API Guide > DefaultRouter", text, 40, 40 + len(text), kind="html")
    got = {c.span.text: c for c in candidates([Hit(html, 1.0)])}
    first = got["This router adds a root view."]
    assert first.shown() == "DefaultRouter: This router adds a root view."
    assert first.start == first.span.char_start == 40 + text.index("This")  # cited: the sentence only
    # one leaning on the sentence before it on its line brings that sentence, not the heading
    assert got[second].shown() == f"This router adds a root view. {second}"
    assert got[third].shown() == f"DefaultRouter: {third}"
    plain = Chunk("p", "d", "Routers", "DefaultRouter", text, 0, len(text), kind="txt")  # guessed headings
    assert "DefaultRouter:" not in " ".join(c.shown() for c in candidates([Hit(plain, 1.0)]))
