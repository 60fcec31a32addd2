"""Split a document into passages that follow its structure.

Sections come from `sections.split_sections`; inside a section the text is cut into units
(sentences, and every line on its own, so bullets and table rows never merge) and units are
packed greedily up to `size` characters, the next chunk starting with the last units of the
previous one that fit in `overlap` characters. A unit longer than `size` is cut at spaces.
Chunks never cross a section boundary, so a short section is one chunk: retrieval sees whole
FAQ answers and whole bullet lists rather than halves of two. Every chunk records the exact
`char_start`/`char_end` of its text in the document. Changing anything here changes
CHUNKER_VERSION, which makes the next ingest re-chunk every document.
"""

from __future__ import annotations

import hashlib
import re

from ingest.sections import BULLETS, _heading_shaped, split_sections
from kb.types import Chunk, Document

CHUNKER_VERSION = "3"  # 3: bullets and table rows are answer sentences too (2: sentence vectors stored)
# "curveLow", "maturity30+", "readable)Low": where flattening dropped the space between cells
_GLUED = re.compile(r"\b[a-z]{2,}[A-Z0-9]|\)[A-Za-z0-9]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9•])")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence, each line being at least its own unit.

    >>> t = "Node is fast. Python wins at ML.\\n  • FastAPI handles 10k req/s"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Node is fast.', 'Python wins at ML.', '• FastAPI handles 10k req/s']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line)]
        for a, b in zip(cuts, cuts[1:]):
            piece = line[a:b]
            stripped = piece.strip()
            if stripped:
                s = a + piece.index(stripped[0])
                spans.append((offset + pos + s, offset + pos + s + len(stripped)))
        pos += len(line) + 1
    return spans


def answer_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a passage that can answer a question: no headings, questions or lead-ins.

    Bullet markers are left out of the span. These are what extractive answers are made of, and
    what ingest stores a vector for.

    >>> t = "Costs\\n  • Django MVP: EUR 3,000-8,000 in total.\\nWhat about NestJS?"
    >>> [t[s:e] for s, e in answer_spans(t)]
    ['Django MVP: EUR 3,000-8,000 in total.']
    """
    out = []
    for s, e in sentence_spans(text):
        bullet = text[s] in BULLETS
        while s < e and (text[s] in BULLETS or text[s].isspace()):
            s += 1
        piece = text[s:e]
        plain = piece.rstrip("+").strip()
        if len(plain) < 25 or plain.endswith(":"):
            continue
        if not bullet and (plain.endswith("?") or _heading_shaped(piece) and not _table_row(piece)):
            continue
        out.append((s, e))
    return out


def _table_row(line: str) -> bool:
    """A row of a table: cells split by "|" or tabs, or glued together by flattening.

    >>> _table_row("Learning curveLow (clean syntax)Low-medium"), _table_row("JavaScript Frameworks")
    (True, False)
    """
    return "|" in line or "\t" in line or bool(_GLUED.search(line))


def _hard_split(start: int, end: int, text: str, size: int) -> list[tuple[int, int]]:
    """Cut one over-long unit at spaces into pieces of at most `size` characters."""
    out = []
    while end - start > size:
        cut = text.rfind(" ", start + 1, start + size)
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


def chunk_document(doc: Document, size: int = 700, overlap: int = 120) -> list[Chunk]:
    """All chunks of a document, in reading order."""
    _, sections = split_sections(doc.text, doc.kind)
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for sec in sections:
        units = sentence_spans(doc.text[sec.start : sec.end], offset=sec.start)
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
                )
            )
    return chunks
