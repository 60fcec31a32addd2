"""Sentences of a text, and which of them can answer a question.

A line is always its own unit (bullets and table rows never merge into one sentence), and so is a
fenced code block. Answer sentences leave out headings and questions, and code but for a short
block with the lead-in before it (a sentence left open: "Run:", "the command is"); they are what
extractive answers are made of and what ingest stores a vector for, so changing them changes
CHUNKER_VERSION.
"""

from __future__ import annotations

import re

from kb.text.blocks import code_spans
from kb.text.sections import MD_HEADING, after_mark, heading_shaped
from kb.text.tables import header_for, labelled
from kb.types import Chunk

# a code block longer than this is not shown inside an answer (a screenful in a chat bubble)
MAX_ANSWER_CODE_LINES = 12
PLAIN_KINDS = ("", "txt")  # plain text: its titles and sections are guesses from line shapes
# "curveLow", "maturity30+", "readable)Low": where flattening dropped the space between cells
_GLUED = re.compile(r"\b[a-z]{2,}[A-Z0-9]|\)[A-Za-z0-9]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9•])")
_NEVER_ENDS = re.compile(r"\b(?:e\.g|i\.e|vs|cf|viz)\.$", re.IGNORECASE)  # "(i.e. "a patch")"
# a name that opens its line (an item's label: "DEFAULT_VERSION. The value …") is no sentence
_LABEL = re.compile(r"\s*(?:[-•*·]\s+)?`?[A-Za-z][\w.]*?(?:_\w|[a-z0-9][A-Z])[\w.]*(?:\(\))?`?\.")


def sentence_spans(text: str, offset: int = 0, code_open: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence, each line being at least its own unit, each code block one
    (`code_open`: the text starts inside a code block, see `blocks.code_spans`).

    >>> t = "Node is fast. Python wins at ML.\\n  • FastAPI handles 10k req/s\\n```\\na = 1. b = 2\\n```"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Node is fast.', 'Python wins at ML.', '• FastAPI handles 10k req/s', '```\\na = 1. b = 2\\n```']
    >>> [t[s:e] for t in ['Reads a diff (i.e. "a patch"). Applies it.'] for s, e in sentence_spans(t)]
    ['Reads a diff (i.e. "a patch").', 'Applies it.']
    >>> t = "- DEFAULT_VERSION. The value used. Defaults to None."  # a label opens the item
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['- DEFAULT_VERSION. The value used.', 'Defaults to None.']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for s, e in [*code_spans(text, code_open), (len(text), len(text))]:
        spans.extend(_prose_spans(text[pos:s], offset + pos))
        if e > s:
            spans.append((offset + s, offset + e))
        pos = e
    return spans


def _prose_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        ends = [
            m.end()
            for m in _SENTENCE_END.finditer(line)
            if not _NEVER_ENDS.search(line, 0, m.start()) and not _LABEL.fullmatch(line, 0, m.start())
        ]
        cuts = [0, *ends, len(line)]
        for a, b in zip(cuts, cuts[1:]):
            piece = line[a:b]
            stripped = piece.strip()
            if stripped:
                s = a + piece.index(stripped[0])
                spans.append((offset + pos + s, offset + pos + s + len(stripped)))
        pos += len(line) + 1
    return spans


def answer_spans(text: str, code_open: bool = False) -> list[tuple[int, int]]:
    """Sentences of a passage that can answer a question: no headings, questions, captions or bare
    code.

    A lead-in (`lead_in`) is an answer with the code block right after it, when that block has at
    most `MAX_ANSWER_CODE_LINES` lines ("Use a command like: ALTER TABLE …"); one ending in ":" is
    none without it. Bullet
    markers are left out of the span. These are what extractive answers are made of, and what
    ingest stores a vector for. `code_open`: the passage starts inside a code block.

    >>> t = "Costs\\n  • Django MVP: EUR 3,000-8,000 in total.\\nAnd NestJS?\\nDo:\\n```\\nkb ask\\n```"
    >>> [t[s:e] for s, e in answer_spans(t)]
    ['Django MVP: EUR 3,000-8,000 in total.', 'Do:\\n```\\nkb ask\\n```']
    """
    out = []
    units = sentence_spans(text, code_open=code_open)
    code = set(code_spans(text, code_open))
    for i, (s, e) in enumerate(units):
        if (s, e) in code or MD_HEADING.match(text[s:e]):
            continue
        mark = min(after_mark(text, s), e)
        bullet, s = bool(text[s:mark].strip()), mark
        piece = text[s:e]
        plain = piece.rstrip("+").strip()
        if lead_in(plain) and (block := _code_after(text, units, i, code)):
            out.append((s, block[1]))
            continue
        if len(plain) < 25 or plain.endswith(":"):
            continue
        if not bullet and (
            plain.endswith("?") or caption(plain) or heading_shaped(piece) and not table_row(piece)
        ):
            continue
        out.append((s, e))
    return out


_ANNOUNCES = re.compile(r"\b(?:as follows|like so|like this|the following)\.$", re.IGNORECASE)


_CAPTION = re.compile(r"(?:Listing|Figure|Fig\.|Table|Example)\s+[\dA-Z][\w.-]*[:.]\s")


def caption(sentence: str) -> bool:
    """Is the sentence a caption: it names a listing, figure or table rather than saying anything?

    >>> caption("Listing 4-5: Returning ownership of parameters"), caption("Table 13.1 shows the levels.")
    (True, False)
    """
    return bool(_CAPTION.match(sentence))


def lead_in(sentence: str) -> bool:
    """Whether a sentence (or a line of one) leads into what follows it: no closing punctuation
    ("Run this:", "To quit R, the command is", "For example,") and no heading's shape (one word,
    or a last word capitalised: "Synopsis", "Costs and Benefits"), or a full stop after words
    that announce it ("… as follows.").

    >>> [lead_in(s) for s in ("Run this:", "To quit R the command is", "For example,", "Examples")]
    [True, True, True, False]
    >>> [lead_in(s) for s in ("It ends.", "the default.)", "Costs and Benefits", " ) ")]
    [False, False, False, False]
    >>> lead_in("Place it under revision control as follows."), lead_in("Pass the request, like so.")
    (True, True)
    """
    end = sentence.strip().rstrip(")]\"'”’").rstrip()
    if _ANNOUNCES.search(end):
        return True
    if not end or end[-1] in ".!?":
        return False
    words = end.split()
    return not (heading_shaped(sentence) and (len(words) == 1 or words[-1][:1].isupper()))


def _code_after(
    text: str, units: list[tuple[int, int]], i: int, code: set[tuple[int, int]]
) -> tuple[int, int] | None:
    """The code block right after unit `i`, when it is whole and short enough to show in an answer."""
    if i + 1 < len(units) and units[i + 1] in code:
        a, b = units[i + 1]
        if text.endswith(("```", "~~~"), a, b) and text.count("\n", a, b) - 1 <= MAX_ANSWER_CODE_LINES:
            return a, b
    return None


def prose_end(text: str, s: int, e: int) -> int:
    """Where the words of answer span [s, e) end: before its code block, if it has one. The
    words alone are embedded and matched against a question: code that quotes the question's
    numbers or names is not an answer to it.

    >>> t = "Dump one database:\\n```\\npg_dump db > db.sql\\n```"
    >>> t[: prose_end(t, 0, len(t))], prose_end("No code.", 0, 8)
    ('Dump one database:', 8)
    """
    for a, _ in code_spans(text[s:e]):
        return s + len(text[s : s + a].rstrip())
    return e


def table_row(line: str) -> bool:
    """A row of a table: cells split by "|" or tabs, or glued together by flattening.

    >>> table_row("Learning curveLow (clean syntax)Low-medium"), table_row("JavaScript Frameworks")
    (True, False)
    """
    return "|" in line or "\t" in line or bool(_GLUED.search(line))


_POINTERS = "This|These|That|Those|It|They|Such"  # words standing for something named before
_LEANS_BACK = re.compile(
    rf"({_POINTERS}|However|Therefore|Thus|Hence|Otherwise|Instead|But|"
    r"As a result|In this case|In that case|For this reason)\b"
)
# "… a lock of this mode …", "To read such files …": a thing named in an earlier sentence,
# pointed at mid-sentence ("such as" and "such a" name nothing before)
_POINTS_BACK = re.compile(
    r"\b(?:of|in|on|for|with|by|to|from|at|under|into) (?:this|these|such) [a-z]"
    r"|\bsuch (?!as\b|that\b|an?\b)[a-z]"
)


_POINTER = re.compile(rf"({_POINTERS})\b")


def opens_with_pointer(sentence: str) -> bool:
    """Does the sentence open with a word standing for something named before it ("This router")?

    >>> opens_with_pointer("This router adds a root view."), opens_with_pointer("But it is slow.")
    (True, False)
    """
    return bool(_POINTER.match(sentence.lstrip("•-*· ")))


def leans_back(sentence: str) -> bool:
    """Does the sentence's meaning depend on the one before it?

    >>> leans_back("This happens because the closure reads x late."), leans_back("Thistle grows.")
    (True, False)
    >>> leans_back("SELECT acquires a lock of this mode."), leans_back("Read this guide first.")
    (True, False)
    >>> leans_back("To read such files set fill = TRUE."), leans_back("Use tools such as grep.")
    (True, False)
    """
    return bool(_LEANS_BACK.match(sentence.lstrip("•-*· ")) or _POINTS_BACK.search(sentence))


def with_context(text: str, spans: list[tuple[int, int]], i: int) -> tuple[int, int]:
    """Span `i`, widened to start at the sentence before it on the same line when it leans back,
    and again while that one leans back too (a definition's "It is …", then "This is …").

    >>> t = "Closures read x late. It is a trap. This is why all lambdas return 4.\\nThis stands alone."
    >>> spans = sentence_spans(t)
    >>> [t[slice(*with_context(t, spans, i))] for i in (2, 3)]
    ['Closures read x late. It is a trap. This is why all lambdas return 4.', 'This stands alone.']
    """
    k = i
    while k and leans_back(text[slice(*spans[k])]) and "\n" not in text[spans[k - 1][0] : spans[k][0]]:
        k -= 1
    return spans[k][0], spans[i][1]


# "This function is called drop": the next sentence names what this one described
_NAMES_IT = re.compile(
    r"(?:This|These|That|Those) [a-z][\w-]*(?: [a-z][\w-]*)? (?:is|are) (?:called|named|known as)\b"
)


def with_follower(text: str, spans: list[tuple[int, int]], i: int) -> int:
    """Where span `i`'s answer ends: after the next sentence on its line when that one points
    back at it mid-sentence, since it says what to do about what sentence `i` names, or when it
    gives the name of what sentence `i` described ("This function is called drop.").

    >>> t = "Exports often omit trailing fields. To read such files set fill = TRUE. Done."
    >>> spans = sentence_spans(t)
    >>> t[spans[0][0] : with_follower(t, spans, 0)]
    'Exports often omit trailing fields. To read such files set fill = TRUE.'
    >>> t[spans[1][0] : with_follower(t, spans, 1)]
    'To read such files set fill = TRUE.'
    >>> t = "Rust calls a special function for us. This function is called drop. It frees memory."
    >>> spans = sentence_spans(t)
    >>> t[: with_follower(t, spans, 0)]
    'Rust calls a special function for us. This function is called drop.'
    """
    end = spans[i][1]
    if i + 1 < len(spans) and "\n" not in text[end : spans[i + 1][0]]:
        nxt = text[slice(*spans[i + 1])]
        if _POINTS_BACK.search(nxt) or _NAMES_IT.match(nxt):
            return spans[i + 1][1]
    return end


def embedded_sentence(chunk: Chunk, start: int, end: int) -> str:
    """What ingest embeds for the answer sentence chunk.text[start:end]: the sentence after its
    title and section (alone in plain text, whose titles and sections are guesses, docs/design.md),
    a table row labelled by its table's header (tables.py)."""
    sentence = chunk.text[start:end]
    if chunk.kind in PLAIN_KINDS:
        return sentence
    if header := header_for(chunk.text, start, chunk.table_head):
        sentence = labelled(header, sentence)
    return f"{chunk.head()}: {sentence}"
