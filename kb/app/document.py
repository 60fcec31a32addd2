"""The document view: a document's whole text as kb reads it, opened at a cited passage.

The text before the passage's section sits in a closed expander, so the view opens at the
passage; the sentences the conversation's answers took from it are marked.
"""

from __future__ import annotations

import streamlit as st

from kb.app import PAGES
from kb.app.render import escape_md, marked_text
from kb.app.state import history
from kb.errors import KbError
from kb.settings import Settings
from kb.text.blocks import code_spans
from kb.types import Document

CONTEXT_CHARS = 400  # of the text before the passage shown above it


def page_of(doc: Document, offset: int) -> int:
    """The 1-based page (or slide) holding an offset; 0 for documents without pages.

    >>> page_of(Document("d", "T", "abcdef", "h", "pdf", (0, 3)), 4)
    2
    """
    return sum(1 for start in doc.pages if start <= offset)


def opening(text: str, at: int) -> int:
    """Where the view starts: a line start about CONTEXT_CHARS before `at`, never inside code.

    >>> opening("x" * 500 + "\\n```\\n" + "y" * 500 + "\\n```\\nz", 1010)  # back to the fence
    501
    """
    if not at:
        return 0
    start = text.rfind("\n", 0, max(0, at - CONTEXT_CHARS)) + 1
    for a, b in code_spans(text):
        if a < start < b:
            return a
    return start


def supporting_spans(settings: Settings, conversation: int | None, doc_id: str) -> list[tuple[int, int]]:
    if conversation is None:
        return []
    answers = history(settings).answers(conversation)
    return [
        (s.char_start, s.char_end)
        for a in answers
        for c in a.citations
        if c.hit.chunk.doc_id == doc_id
        for s in c.supporting
    ]


def show_document(settings: Settings, doc_id: str, at: int | None, query: dict) -> None:
    """The document at offset `at`; `query` is the page's own URL state ("c": the conversation)."""
    # a page link stays in this tab, unlike a markdown link
    st.page_link(PAGES / "chat.py", label="Back to the conversation", icon=":material/arrow_back:",
                 query_params=query)  # fmt: skip
    conversation = int(query["c"]) if query.get("c", "").isdigit() else None
    from kb.ingest.loaders import corpus_document

    try:
        doc = corpus_document(settings.corpus_dir, doc_id, int(settings.max_file_mb * 1e6))
    except KbError as e:
        st.error(escape_md(str(e)))
        return
    st.title(escape_md(doc.title))
    at = min(max(at or 0, 0), len(doc.text))
    page = page_of(doc, at)
    where = f" · the passage is on p. {page}" if page else ""
    st.caption(escape_md(f"{doc_id} · {len(doc.text):,} characters{where}"))
    start = opening(doc.text, at)
    spans = supporting_spans(settings, conversation, doc_id)
    if start:
        with st.expander(escape_md(f"The document before this passage ({start:,} characters)")):
            _show_text(doc, 0, start, spans)
    _show_text(doc, start, len(doc.text), spans)


def page_ranges(doc: Document, start: int, end: int) -> list[tuple[int, int, int]]:
    """(page, from, to) for the text between two offsets, cut where pages begin; page 0 for
    documents without pages.

    >>> page_ranges(Document("d", "T", "abcdef", "h", "pdf", (0, 3)), 1, 6)
    [(1, 1, 3), (2, 3, 6)]
    """
    cuts = sorted({start, end} | {p for p in doc.pages if start < p < end})
    return [(page_of(doc, a), a, b) for a, b in zip(cuts, cuts[1:])]


def _show_text(doc: Document, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """The text between two offsets, the spans marked, a page caption where each page begins."""
    for page, a, b in page_ranges(doc, start, end):
        if page:
            st.caption(f"p. {page}")
        clipped = [(max(x, a), min(y, b)) for x, y in spans if x < b and y > a]  # a sentence across pages
        st.markdown(marked_text(doc.text[a:b], a, clipped))
