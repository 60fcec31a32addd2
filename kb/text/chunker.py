"""Split a document into passages that follow its structure, with exact offsets.

Inside each section the text is cut into units (`sentences.sentence_spans`) packed greedily up
to `size` characters, the next chunk starting with the last units of the previous one that fit
in `overlap`. Chunks never cross a section or page boundary, so a short section (an FAQ answer, a
bullet list) is one whole chunk; a code block is one unit, never split below twice `size`.
Trade-off: sections shorter than `size` make small chunks. Changing
anything here, or in what counts as an answer sentence, changes CHUNKER_VERSION, which makes the
next ingest re-chunk every document.
"""

from __future__ import annotations

import hashlib

from kb.text.blocks import code_spans, page_of
from kb.text.sections import split_sections
from kb.text.sentences import sentence_spans
from kb.text.tables import header_for
from kb.types import Chunk, Document

# 16: a sentence ending "as follows." / "like so." leads into the code after it (also in PDFs);
# 15: a name opening its line is no sentence of its own ("DEFAULT_VERSION. The value …");
# 14: an empty list item makes no item of the paragraph after it (MkDocs breadcrumbs), a heading
# after text is no page title (HTML); 13: a lead-in is any sentence left open ("For example,"), not
# a heading;
# 12: a lead-in left open ("the command is") brings its code; no heading holds a sentence end,
# numbered headings nest by their numbers;
# 11: a table row is embedded labelled by its table's header; 10: no sentence ends at "e.g.";
# 9: a code-shaped line of flattened text ("[ IF EXISTS ]") opens no section;
# 8: an admonition's title ("Note") opens no section;
# 7: an option that opens a list item keeps its dash ("- -v --verbose: …" answers "-v --verbose: …");
# 6: a chunk that starts inside a long code block knows it (its lines are no answer sentences);
# 5: a lead-in with its short code block is an answer sentence; 4: code blocks whole, pages,
# clean text of every format, sentences embedded after their title and section outside plain
# text; 3: bullets and table rows are answer sentences; 2: sentence vectors stored
CHUNKER_VERSION = "16"


def _hard_split(start: int, end: int, text: str, size: int) -> list[tuple[int, int]]:
    """Cut one over-long unit into pieces of at most `size` characters: at spaces, or for a code
    block (kept whole up to twice `size`) at line ends."""
    code = text.startswith(("```", "~~~"), start)
    if code and end - start <= 2 * size:
        return [(start, end)]
    out = []
    while end - start > size:
        cut = text.rfind("\n" if code else " ", start + 1, start + size)
        cut = cut if cut > start else start + size
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


def pack(units: list[tuple[int, int]], text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy packing of units into (start, end) spans with overlap.

    >>> t = "Aa. Bb. Cc. Dd."
    >>> [t[s:e] for s, e in pack(sentence_spans(t), t, size=7, overlap=3)]
    ['Aa. Bb.', 'Bb. Cc.', 'Cc. Dd.']
    """
    flat: list[tuple[int, int]] = []
    for s, e in units:
        flat.extend(_hard_split(s, e, text, size) if e - s > size else [(s, e)])
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(flat):
        j = i
        while j + 1 < len(flat) and flat[j + 1][1] - flat[i][0] <= size:
            j += 1
        spans.append((flat[i][0], flat[j][1]))
        if j == len(flat) - 1:
            break
        nxt = j + 1
        for cand in range(j, i, -1):
            if flat[j][1] - flat[cand][0] > overlap:
                break
            nxt = cand
        i = nxt
    if len(spans) >= 2 and spans[-1][1] - spans[-1][0] < size // 3:
        if spans[-1][1] - spans[-2][0] <= size * 3 // 2:
            spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return spans


def chunk_id(doc_id: str, text: str, seen: dict[str, int]) -> str:
    """Id from the document id and the chunk text; repeats of the same text get a suffix."""
    digest = hashlib.sha256(f"{doc_id}\0{text}".encode()).hexdigest()[:20]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def _by_page(start: int, end: int, pages: tuple[int, ...]) -> list[tuple[int, int]]:
    """The part of [start, end) on each page, so that no chunk spans two pages.

    >>> _by_page(0, 30, (0, 10, 25)), _by_page(3, 8, ())
    ([(0, 10), (10, 25), (25, 30)], [(3, 8)])
    """
    cuts = [start, *(p for p in pages if start < p < end), end]
    return list(zip(cuts, cuts[1:]))


def chunk_document(
    doc: Document, size: int = 700, overlap: int = 120, body: tuple[int, int] | None = None
) -> list[Chunk]:
    """All chunks of a document, in reading order, each on one page of a paged document; with
    `body`, only of the text between those offsets (boilerplate.py: a site's footer left out)."""
    _, sections = split_sections(doc.text, doc.kind)
    code = code_spans(doc.text)
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    lo, hi = body or (0, len(doc.text))
    parts = [
        (sec, a, b)
        for sec in sections
        for a, b in _by_page(max(sec.start, lo), min(sec.end, hi), doc.pages)
        if a < b
    ]
    for sec, start, end in parts:
        units = sentence_spans(doc.text[start:end], offset=start)
        for s, e in pack(units, doc.text, size, overlap):
            body = doc.text[s:e]
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.doc_id, body, seen),
                    doc_id=doc.doc_id,
                    title=doc.title,
                    section=" > ".join(sec.path),
                    text=body,
                    char_start=s,
                    char_end=e,
                    page=page_of(doc.pages, s),
                    kind=doc.kind,
                    code_open=any(a < s < b for a, b in code),
                    table_head=header_for(doc.text, s),
                )
            )
    return chunks
