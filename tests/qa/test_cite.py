"""Assembling a cited answer (kb/qa/cite.py): numbering by first use, one citation per passage."""

from kb.qa.cite import Pick, cited_answer
from kb.types import Chunk, Hit, Span


def hit(cid: str, text: str) -> Hit:
    return Hit(Chunk(cid, "doc.md", "Doc", "", text, 100, 100 + len(text)), 1.0)


def test_passages_are_numbered_by_first_use_and_cited_once_each():
    a, b = hit("a", "Django ships an admin. It has an ORM."), hit("b", "Node has npm")
    picks = [
        Pick("Node has npm", b, Span("Node has npm", 100, 112, 0.9)),
        Pick("Django ships an admin.", a, Span("Django ships an admin.", 100, 122, 0.8)),
        Pick("It has an ORM.", a, Span("It has an ORM.", 123, 137, 0.7)),
    ]
    answer = cited_answer("q?", picks, mode="ollama", note="n", timings={"tokens": 3})
    assert answer.text == "Node has npm [1]. Django ships an admin [2]. It has an ORM [2]."
    assert [(c.n, c.hit.chunk.chunk_id) for c in answer.citations] == [(1, "b"), (2, "a")]
    assert [s.text for s in answer.citations[1].supporting] == ["Django ships an admin.", "It has an ORM."]
    assert (answer.found, answer.mode, answer.note, answer.timings) == (True, "ollama", "n", {"tokens": 3})
