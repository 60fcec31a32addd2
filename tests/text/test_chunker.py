"""Chunking (kb/text/chunker.py) on the real articles: exact offsets, sections respected, overlap."""

from kb.ingest.loaders import content_hash
from kb.text.chunker import chunk_document, pack
from kb.text.sections import split_sections
from kb.text.sentences import sentence_spans
from kb.types import Document
from tests.conftest import CORPUS, DOC_A, DOC_B


def doc(name, kind="txt"):
    text = (CORPUS / name).read_text(encoding="utf-8")
    return Document(name, split_sections(text, kind)[0], text, content_hash(text), kind)


def test_offsets_are_exact_and_chunks_respect_the_size():
    for name in (DOC_A, DOC_B):
        d = doc(name)
        chunks = chunk_document(d, size=700, overlap=120)
        assert len(chunks) > 10
        for c in chunks:
            assert d.text[c.char_start : c.char_end] == c.text
            assert len(c.text) <= 700 * 3 // 2
        assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_every_non_blank_character_is_in_some_chunk():
    d = doc(DOC_A)
    covered = set()
    for c in chunk_document(d, size=400, overlap=60):
        covered.update(range(c.char_start, c.char_end))
    missing = [i for i, ch in enumerate(d.text) if not ch.isspace() and i not in covered]
    assert missing == []


def test_chunks_stay_inside_their_section_and_carry_its_path():
    chunks = chunk_document(doc(DOC_A))
    faq = [c for c in chunks if c.section.startswith("Frequently Asked Questions > Can Python")]
    assert len(faq) == 1 and "Instagram, Pinterest" in faq[0].text
    assert all(c.title.startswith("Python vs Node.js for SaaS") for c in chunks)


def test_overlap_repeats_the_tail_of_the_previous_chunk():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    spans = pack(sentence_spans(text), text, size=200, overlap=60)
    assert len(spans) > 3
    for (s1, e1), (s2, _) in zip(spans, spans[1:]):
        assert s1 < s2 < e1  # the next chunk starts inside the previous one


def test_over_long_sentence_is_cut_at_spaces():
    text = "word " * 500
    spans = pack(sentence_spans(text), text, size=300, overlap=0)
    assert all(e - s <= 300 for s, e in spans[:-1])
    assert spans[-1][1] - spans[-1][0] <= 450  # a short tail is folded into the last chunk
    assert spans[-1][1] == len(text.rstrip())
    assert all(text[s] != " " for s, _ in spans)


def test_chunk_ids_depend_on_document_and_text_only():
    d = doc(DOC_B)
    a = chunk_document(d)
    moved = Document("other/" + d.doc_id, d.title, d.text, d.content_hash, d.kind)
    assert [c.chunk_id for c in chunk_document(d)] == [c.chunk_id for c in a]
    assert not {c.chunk_id for c in chunk_document(moved)} & {c.chunk_id for c in a}


def test_a_chunk_cut_from_a_long_code_block_knows_it_starts_in_code_and_its_lines_answer_nothing():
    from kb.text.sentences import answer_spans

    listing = "\n".join(f"set total_{i} [db one {{SELECT count(*) FROM log_{i}}}]" for i in range(60))
    text = "Keep an undo log of every change you make.\n\nThe whole script:\n\n"
    text += f"```\n{listing}\n```\n\nIt is short enough to read."
    chunks = chunk_document(Document("undo.md", "Undo", text, content_hash(text), "md"), size=700)
    assert chunks[0].text.startswith("Keep") and not chunks[0].code_open
    cut = [c for c in chunks if c.code_open]
    assert len(cut) >= 2 and all(not c.text.startswith("```") for c in cut)
    assert "\n```\nset total_0" in chunks[1].text and not chunks[1].code_open  # the first piece
    assert [c.code_open for c in chunks] == [False, False] + [True] * len(cut)  # every later one
    answers = [c.text[s:e] for c in chunks for s, e in answer_spans(c.text, c.code_open)]
    assert answers == [
        "Keep an undo log of every change you make.",
        "It is short enough to read.",
    ]  # no code line, no lead-in
    without_flag = [c.text[s:e] for c in cut for s, e in answer_spans(c.text)]
    assert any(a.startswith("set total_") for a in without_flag)  # what the flag prevents
