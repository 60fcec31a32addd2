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


def test_sentences_are_embedded_after_their_title_and_section_except_in_plain_text():
    from kb.text.sentences import embedded_sentence
    from kb.types import Chunk

    def chunk(kind):
        return Chunk("c", "d", "pg_dump", "Options", "Dump only the schema. Not data.", 0, 31, kind=kind)

    assert embedded_sentence(chunk("html"), 0, 21) == "pg_dump > Options: Dump only the schema."
    assert embedded_sentence(chunk("txt"), 0, 21) == "Dump only the schema."  # guessed headings stay out


def test_a_table_row_is_embedded_with_its_header_even_when_the_table_began_in_an_earlier_chunk():
    from kb.text.chunker import chunk_document
    from kb.text.sentences import answer_spans, embedded_sentence
    from kb.types import Document

    rows = "\n".join(f"| type{i} | {i} bytes | a type of {i} bytes for numbers |" for i in range(40))
    text = f"# Types\n\nThe integer types:\n\n| Name | Storage Size | Description |\n{rows}\n\nDone."
    chunks = chunk_document(Document("t.md", "Types", text, "h", "md"), size=300, overlap=0)
    inside = [c for c in chunks if c.text.startswith("| type")]
    assert len(inside) >= 2 and all(c.table_head == "| Name | Storage Size | Description |" for c in inside)
    first, later = chunks[0], inside[-1]
    assert first.table_head == ""  # the header is in the chunk itself
    got = [embedded_sentence(c, s, e) for c in (first, later) for s, e in answer_spans(c.text)]
    assert "Types: Name: type0; Storage Size: 0 bytes; Description: a type of 0 bytes for numbers" in got
    assert "Types: Name: type39; Storage Size: 39 bytes; Description: a type of 39 bytes for numbers" in got
    assert "Types: | Name | Storage Size | Description |" in got  # the header row is itself a row


def test_a_sentence_announcing_what_follows_brings_its_code_and_a_closed_one_does_not():
    text = (
        "You can place it under Git revision control as follows.\n\n```\n$ cd project\n$ git init\n```\n\n"
        "You have now stored the first version of your project.\n\n```\n$ git log\n```"
    )
    got = [text[s:e] for s, e in answer_spans(text)]
    assert got == [
        "You can place it under Git revision control as follows.\n\n```\n$ cd project\n$ git init\n```",
        "You have now stored the first version of your project.",
    ]


def test_a_caption_is_no_answer_sentence_but_a_sentence_naming_a_listing_is():
    text = (
        "Rust does let us return multiple values using a tuple, as shown in Listing 4-5.\n\n"
        "```\nfn main() {}\n```\n\nListing 4-5: Returning ownership of parameters\n\n"
        "Figure 4-1: Representation in memory of a String holding the value hello bound to s1\n\n"
        "Table 3-1 shows the built-in integer types in Rust."
    )
    assert [text[s:e] for s, e in answer_spans(text)] == [
        "Rust does let us return multiple values using a tuple, as shown in Listing 4-5.",
        "Table 3-1 shows the built-in integer types in Rust.",
    ]
