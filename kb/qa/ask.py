"""`kb ask`: the one code path from a question to a cited answer (CLI, chat and eval use it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kb.errors import ConfigError
from kb.index.embedder import vocabulary
from kb.index.reader import Index
from kb.qa.answerers import ANSWERERS
from kb.qa.followup import carry_over
from kb.qa.generated import CUSTOM, Generated
from kb.qa.retrieve import RETRIEVERS, retrieve
from kb.settings import EXTRACTIVE
from kb.text.blocks import drop_controls
from kb.types import Answer, Chunk, Citation, Hit, Span

MAX_QUESTION = 2000


def ask(
    index: Index,
    question: str,
    k: int | None = None,
    retriever: str | None = None,
    on_token: Callable[[str], None] | None = None,
    mode: str | None = None,
    llm: Any = None,
    previous: Answer | None = None,
) -> Answer:
    """Answer a question from the index, citing the passages used.

    `llm`: any LlamaIndex `LLM` object writes the answer (mode "llm"), checked like a backend's.
    `previous`: the conversation's previous answer; a follow-up question is searched with its
    context (kb/qa/followup.py).
    """
    settings = index.settings
    question = " ".join(_valid_text(question).split())
    if not question:
        raise ConfigError("the question is empty")
    if len(question) > MAX_QUESTION:
        raise ConfigError(f"the question is {len(question)} characters; the limit is {MAX_QUESTION}")
    retriever = retriever or settings.retriever
    if retriever not in RETRIEVERS:
        raise ConfigError(f"unknown retriever {retriever!r}; choose one of {', '.join(RETRIEVERS)}")
    mode = mode or settings.llm or EXTRACTIVE
    if mode not in ANSWERERS:
        raise ConfigError(f"unknown answer mode {mode!r}; choose one of {', '.join(ANSWERERS)}")
    t0 = time.perf_counter()
    index.refresh()  # another process may have ingested since the index was opened
    answerer = Generated(index, CUSTOM, llm) if llm is not None else ANSWERERS[mode](index)
    searched = question
    if isinstance(answerer, Generated) and previous is not None:  # a follow-up: the LLM rewrites it
        searched = answerer.standalone(question, previous)
    elif previous is not None:  # else the carry-over rule
        before = previous.searched or previous.question
        searched = carry_over(question, before, index.embedder.embed, vocabulary(settings.embed_model))
    qvec = index.embedder.embed([searched])[0]
    hits = retrieve(index, searched, qvec, k or settings.k, retriever)
    answer = answerer.answer(searched, qvec, hits, on_token)
    answer.question, answer.searched = question, searched
    answer.hits = hits
    answer.seconds = time.perf_counter() - t0
    return answer


def _valid_text(text: str) -> str:
    """A question as text: bytes that were not UTF-8 (a shell passes them through as surrogates)
    become U+FFFD, control characters go.

    >>> _valid_text("caf\\udce9 \\x1b[2Jprices")
    'caf\ufffd [2Jprices'
    """
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    return drop_controls(raw.decode("utf-8", "replace"))


def answer_to_dict(answer: Answer) -> dict:
    """The JSON shape of `kb ask --json` (documented in the README)."""
    return {
        "question": answer.question,
        "searched": answer.searched,
        "answer": answer.text,
        "found": answer.found,
        "mode": answer.mode,
        "note": answer.note,
        "seconds": round(answer.seconds, 3),
        "timings": answer.timings,
        "citations": [
            {
                "n": c.n,
                "title": c.hit.chunk.title,
                "doc_id": c.hit.chunk.doc_id,
                "section": c.hit.chunk.section,
                "text": c.hit.chunk.text,
                "char_start": c.hit.chunk.char_start,
                "char_end": c.hit.chunk.char_end,
                "page": c.hit.chunk.page or None,
                "score": round(c.hit.score, 6),
                "similarity": round(c.hit.similarity, 4),
                "supporting": [
                    {"text": s.text, "char_start": s.char_start, "char_end": s.char_end} for s in c.supporting
                ],
            }
            for c in answer.citations
        ],
    }


def answer_from_dict(d: dict) -> Answer:
    """An Answer back from `answer_to_dict`'s JSON (saved conversations): what it showed and cited."""
    citations = []
    for c in d["citations"]:
        chunk = Chunk("", c["doc_id"], c["title"], c["section"], c["text"], c["char_start"], c["char_end"],
                      page=c["page"] or 0)  # fmt: skip
        spans = [Span(s["text"], s["char_start"], s["char_end"], 0.0) for s in c["supporting"]]
        citations.append(Citation(c["n"], Hit(chunk, c["score"], c["similarity"]), spans))
    return Answer(
        d["question"], d["answer"], d["found"], citations, [c.hit for c in citations], d["mode"],
        d["note"], d["seconds"], d["timings"], d.get("searched") or d["question"],
    )  # fmt: skip
