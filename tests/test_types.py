"""What gets embedded for a chunk and its sentences (kb/types.py)."""

from kb.types import Chunk


def chunk(kind):
    return Chunk("c", "d", "pg_dump", "Options", "Dump only the schema. Not data.", 0, 31, kind=kind)


def test_sentences_are_embedded_after_their_title_and_section_except_in_plain_text():
    assert chunk("html").sentence_text(0, 21) == "pg_dump > Options: Dump only the schema."
    assert chunk("txt").sentence_text(0, 21) == "Dump only the schema."  # guessed headings stay out
    assert chunk("pdf").embedding_text() == "pg_dump > Options\nDump only the schema. Not data."
