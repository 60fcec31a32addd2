"""What gets embedded for a chunk (kb/types.py); its sentences: tests/text/test_sentences.py."""

from kb.types import Chunk


def test_a_chunk_is_embedded_after_its_title_and_section():
    chunk = Chunk("c", "d", "pg_dump", "Options", "Dump only the schema. Not data.", 0, 31, kind="pdf")
    assert chunk.embedding_text() == "pg_dump > Options\nDump only the schema. Not data."
