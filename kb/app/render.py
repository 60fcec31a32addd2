"""How answers and documents are shown: everything from the documents escaped, never HTML.

The supporting sentences are marked in bold on an orange background: the weight carries the
mark for readers who cannot see the faint colour (WCAG 1.4.1, colour is not the only cue).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

from kb.text.blocks import closed, segments
from kb.types import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$@])")
# GitHub-flavoured markdown links bare URLs, www. names and e-mail addresses after escapes are
# resolved, so escaping cannot stop it: an invisible WORD JOINER (U+2060) breaks each pattern
_AUTOLINK = re.compile(r"(?=://)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
_CITE = re.compile(r"\\\[(\d+)\\\]")


def escape_md(text: str) -> str:
    """Text shown literally by st.markdown (no markdown, no HTML, no automatic links).

    >>> escape_md("**x** [a](b)")
    '\\\\*\\\\*x\\\\*\\\\* \\\\[a\\\\]\\\\(b\\\\)'
    >>> [escape_md(t).count("\\u2060") for t in ("www.a.io", "http://b", "me@b.io")]
    [1, 1, 1]
    """
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub("\u2060", text))


def mark(text: str) -> str:
    """Escaped text marked as a supporting sentence (bold on orange).

    >>> mark("a*b")
    ':orange-background[**a\\\\*b**]'
    """
    return f":orange-background[**{escape_md(text)}**]"


def document_link(query: dict, c: Citation) -> str:
    """The chat's own URL that opens the cited document at the passage (kb builds it, not the text);
    `query` holds the page's own parameters (conversation, collection).

    >>> from kb.types import Chunk, Hit
    >>> document_link({"c": 3}, Citation(1, Hit(Chunk("", "a b.md", "T", "", "x", 10, 11), 1.0)))
    '?c=3&doc=a+b.md&at=10'
    """
    return "?" + urlencode({**query, "doc": c.hit.chunk.doc_id, "at": c.hit.chunk.char_start})


def answer_markdown(answer: Answer, query: dict) -> str:
    """The answer escaped, each [n] a link to its document view, code blocks shown as code."""
    links = {str(c.n): document_link(query, c) for c in answer.citations}

    def link(m: re.Match) -> str:
        n = m.group(1)
        return f"[\\[{n}\\]]({links[n]})" if n in links else m.group(0)

    return "".join(
        f"\n\n{piece}\n\n" if code else _CITE.sub(link, escape_md(piece))
        for code, piece in segments(answer.text)
    )


def marked_text(text: str, offset: int, spans: list[tuple[int, int]], code_open: bool = False) -> str:
    """Text starting at document offset `offset`, escaped, code as code, the spans marked
    (`code_open`: the text starts inside a code block)."""
    out, pos = [], offset
    for code, piece in segments(text, code_open):
        if code:  # fenced by kb with a fence longer than any backtick run inside: shown verbatim
            out.append(f"\n\n{closed(piece)}\n\n")
        else:
            out.append(_marked(piece, pos, spans).replace("\n", "  \n"))
        pos += len(piece)
    return "".join(out)


def highlighted(c: Citation) -> str:
    """The cited passage, escaped, with its supporting sentences marked and code shown as code."""
    chunk = c.hit.chunk
    spans = [(s.char_start, s.char_end) for s in c.supporting]
    return marked_text(chunk.text, chunk.char_start, spans, chunk.code_open)


def _marked(piece: str, pos: int, spans: list[tuple[int, int]]) -> str:
    """Prose escaped, the spans (document offsets) inside it marked; `pos` is the piece's offset."""
    out, at = [], 0
    for a, b in sorted(spans):  # a span reaching into a code block is marked up to the code
        a, b = max(a - pos, at), min(b - pos, len(piece.rstrip()))
        if a >= b:
            continue
        out += [escape_md(piece[at:a]), mark(piece[a:b])]
        at = b
    out.append(escape_md(piece[at:]))
    return "".join(out)


def show_answer(answer: Answer, query: dict) -> None:
    if not answer.found:
        st.warning(escape_md(answer.text), icon=":material/search_off:")
        return
    if answer.searched and answer.searched != answer.question:
        st.caption(escape_md(f"Searched for: {answer.searched}"))
    st.markdown(answer_markdown(answer, query))
    with st.popover("Copy", icon=":material/content_copy:"):
        st.code(answer.text, language=None, wrap_lines=True)  # the code block's own copy button
    if answer.timings:
        t = answer.timings
        st.caption(
            escape_md(f"{answer.mode}: first token {t['first_token_s']} s, {t['tokens_per_s']} tokens/s")
        )
    if answer.note:
        st.caption(escape_md(answer.note))
    for c in answer.citations:
        h = c.hit.chunk
        where = f" › {h.section}" if h.section else ""
        page = f" · p. {h.page}" if h.page else ""
        with st.expander(escape_md(f"[{c.n}] {h.title}{where}{page}")):
            where = f"{h.doc_id}{page} · chars {h.char_start}–{h.char_end} · score {c.hit.score:.4f}"
            st.caption(escape_md(where))
            st.markdown(highlighted(c))
            st.markdown(f"[Open the document at this passage]({document_link(query, c)})")
