"""The default answerer: the retrieved sentences that best answer the question, or a refusal.

Candidates are the answer sentences of the retrieved passages (their vectors are stored at
ingest). kb refuses when the best candidate's cosine to the question is under `min_score`, or
when every name the question mentions is absent from the corpus. Otherwise candidates rank by
cosine + `LEXICAL_WEIGHT` x the idf-weighted share of the question's words they hold, and up to
`n_sentences` within `MARGIN` of the best that fit the word budget become the answer. A lead-in
brings its short code block, scored by its words alone. Trade-off: sentences are picked one
by one, so a list question can get a close-sounding neighbour. Measured: docs/design.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from kb.index.embedder import Embedder
from kb.index.reader import Index
from kb.qa.cite import Pick, cited_answer
from kb.text.sections import after_mark, unnumbered
from kb.text.sentences import (
    PLAIN_KINDS,
    answer_spans,
    embedded_sentence,
    opens_with_pointer,
    prose_end,
    sentence_spans,
    with_context,
    with_follower,
)
from kb.text.tokens import tokenize
from kb.types import Answer, Chunk, Hit, Span

MARGIN = 0.2
LEXICAL_WEIGHT = 0.2
# (chunk id, index among its answer_spans) -> stored sentence vector, for the keys it has
Lookup = Callable[[list[tuple[str, int]]], dict[tuple[str, int], np.ndarray]]
NOT_COVERED = "The articles in the knowledge base do not cover this question."


@dataclass
class Candidate:
    hit: Hit
    span: Span
    index: int  # position among the chunk's answer_spans: the key of its stored vector
    start: int  # where the answer text starts: before the span when the sentence leans back
    end: int  # where it ends: after the span when the next sentence points back at it
    label: str = ""  # the heading a sentence leaning on nothing before it on its line refers to

    def text(self) -> str:
        """The sentence as an answer shows it, with the sentences it leans on and that lean on it."""
        c = self.hit.chunk
        return c.text[self.start - c.char_start : self.end - c.char_start]

    def shown(self) -> str:
        """The answer text: the sentence, after its heading when it leans on that ("DefaultRouter:
        This router is similar to SimpleRouter …")."""
        if not self.label:
            return self.text()
        return f"{self.label}{' ' if self.label[-1] in '.:?!' else ': '}{self.text()}"

    def words(self) -> str:
        """The sentence's words, without the code block a lead-in brings: what is scored."""
        c = self.hit.chunk
        s = self.span.char_start - c.char_start
        return c.text[s : prose_end(c.text, s, self.span.char_end - c.char_start)]

    def embedded(self) -> str:
        """What ingest embeds for this sentence (used when its stored vector is missing)."""
        c = self.hit.chunk
        s = self.span.char_start - c.char_start
        return embedded_sentence(c, s, s + len(self.words()))


def candidates(hits: list[Hit]) -> list[Candidate]:
    """Answer-worthy sentences of the passages, with offsets in their source document.

    A sentence that leans on the one before it ("This is why …") brings that sentence along, and
    one the next sentence points back at ("… To read such files, …") brings that one. A sentence
    in two passages (they overlap) is taken from the first, unless only the other holds the
    sentence it leans on (it opens the first). One opening its line with a pointer ("This
    router is similar …" after "## DefaultRouter") is labelled by its section's heading.
    """
    out: dict[tuple[str, int], Candidate] = {}
    for hit in hits:
        c = hit.chunk
        units = sentence_spans(c.text, code_open=c.code_open)
        for i, (s, e) in enumerate(answer_spans(c.text, c.code_open)):
            key = (c.doc_id, c.char_start + s)
            k = max(j for j, (a, _) in enumerate(units) if a <= s)
            before = with_context(c.text, units, k)[0]  # the sentence it leans on, if any
            lean = c.text[before:s] if before < units[k][0] else ""
            if key in out and (not lean or out[key].start < out[key].span.char_start):
                continue
            start = after_mark(c.text, before) if lean else s  # without a bullet mark
            end = with_follower(c.text, units, k) if units[k][1] == e else e
            span = Span(c.text[s:e], c.char_start + s, c.char_start + e, 0.0)
            label = heading_of(c) if not lean and opens_with_pointer(c.text[s:e]) else ""
            out[key] = Candidate(hit, span, i, c.char_start + start, c.char_start + end, label)
    return list(out.values())


def heading_of(chunk: Chunk) -> str:
    """The heading a passage sits under (its section's last level, else the title), without its
    number; none in plain text, whose sections are guesses.

    >>> heading_of(Chunk("c", "d", "Types", "8. Types > 8.3. Character Types", "It", 0, 2, kind="html"))
    'Character Types'
    """
    if chunk.kind in PLAIN_KINDS:
        return ""
    return unnumbered(chunk.section.rsplit(" > ", 1)[-1] or chunk.title)


def score(
    cands: list[Candidate], qvec: np.ndarray, embedder: Embedder, lookup: Lookup | None = None
) -> list[float]:
    """Similarity of each candidate to the question; vectors stored at ingest are used when present."""
    vecs: list[np.ndarray | None] = [c.hit.sentence_vectors.get(c.index) for c in cands]
    keys = [(c.hit.chunk.chunk_id, c.index) for c, v in zip(cands, vecs) if v is None]
    stored = lookup(keys) if lookup and keys else {}
    vecs = [stored.get((c.hit.chunk.chunk_id, c.index)) if v is None else v for c, v in zip(cands, vecs)]
    missing = [i for i, v in enumerate(vecs) if v is None]
    if missing:
        for i, v in zip(missing, embedder.embed([cands[i].embedded() for i in missing])):
            vecs[i] = v
    return [float(v @ qvec) for v in vecs]


_WORD = re.compile(r"[A-Za-z][\w.+#-]*[\w+#]|[A-Za-z]")


def named_terms(question: str) -> list[str]:
    """Names: words capitalised (not the first word, not "I"), or with inner capitals or dots;
    such words side by side are one name.

    >>> named_terms("Should I use Ruby on Rails or gRPC with Node.js?")
    ['Ruby', 'Rails', 'gRPC', 'Node.js']
    >>> named_terms("How do I publish my documentation with GitLab Pages?")
    ['GitLab Pages']
    """
    names: list[str] = []
    last = -2  # where the previous name word ended
    for i, m in enumerate(_WORD.finditer(question)):
        w = m.group()
        if w != "I" and ((i > 0 and w[0].isupper()) or any(c.isupper() for c in w[1:]) or "." in w):
            if names and question[last : m.start()] == " ":
                names[-1] += " " + w
            else:
                names.append(w)
            last = m.end()
    return names


def unknown_names(question: str, weights: dict[str, float]) -> list[str]:
    """The question's names when the corpus (whose indexed words are `weights`' keys) has none of
    them; a name of several words is known only when it has each of them ("GitLab Pages" is not,
    in a corpus that says "pages" but never "GitLab").

    >>> unknown_names("Is Ruby on Rails better than Django?", {"django": 1.2})
    []
    >>> unknown_names("Is Ruby on Rails better than Phoenix?", {"better": 0.3})
    ['Ruby', 'Rails', 'Phoenix']
    >>> unknown_names("What does The Guardian say?", {"say": 0.5})  # "The": a stopword, not a name
    ['The Guardian']
    >>> unknown_names("Can GitLab Pages host it?", {"page": 0.5})
    ['GitLab Pages']
    """
    names = [name for name in named_terms(question) if tokenize(name)]

    def known(word: str) -> bool:
        return any(t in weights for t in tokenize(word))

    if any(all(known(w) for w in name.split() if tokenize(w)) for name in names):
        return []
    return names


def lexical_share(weights: dict[str, float], text: str) -> float:
    """Share of the question's word weight (token -> idf) found in a sentence.

    >>> lexical_share({"django": 2.0, "cost": 1.0}, "A Django MVP takes 6-8 weeks.")
    0.6666666666666666
    """
    total = sum(weights.values())
    return sum(w for t in set(tokenize(text)) if (w := weights.get(t))) / total if total else 0.0


def within_words(
    chosen: list[tuple[float, Candidate]], budget: int, most: int
) -> list[tuple[float, Candidate]]:
    """The best candidate, then each next one that keeps the answer within `budget` words, up to
    `most` of them: a long one that does not fit leaves its place to a shorter one after it, and
    one whose words the answer already holds (the same sentence elsewhere, alone or with its
    label or context) is left out. A heading shown before a sentence is not counted: it is the
    name the sentence points at, as a citation's section is."""
    out, words, seen = [], 0, []
    for sim, c in chosen:
        shown = c.text().split()
        n, key = len(shown), " ".join(shown)
        if not any(key in k for k in seen) and (not out or words + n <= budget):
            out.append((sim, c))
            words += n
            seen.append(key)
        if len(out) == most:
            break
    return out


def extractive_answer(
    question: str,
    qvec: np.ndarray,
    hits: list[Hit],
    embedder: Embedder,
    min_score: float,
    n_sentences: int,
    lookup: Lookup | None = None,
    weights: dict[str, float] | None = None,
    max_words: int = 60,
) -> Answer:
    """The best candidates as a cited answer, or a refusal; `weights` are the question's idf."""
    if weights is not None and (names := unknown_names(question, weights)):
        listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
        return Answer(question, f"{NOT_COVERED[:-1]}: they never mention {listed}.", found=False)
    cands = candidates(hits)
    sims = score(cands, qvec, embedder, lookup)
    if max(sims, default=0.0) < min_score:
        return Answer(question, NOT_COVERED, found=False)
    keys = [s + LEXICAL_WEIGHT * lexical_share(weights or {}, c.words()) for s, c in zip(sims, cands)]
    ranked = sorted(zip(keys, sims, cands), key=lambda t: -t[0])
    chosen = within_words(
        [(s, c) for k, s, c in ranked if k >= ranked[0][0] - MARGIN], max_words, n_sentences
    )
    picks = [
        Pick(c.shown(), c.hit, replace(c.span, char_start=c.start, char_end=c.end, text=c.text(), score=sim))
        for sim, c in chosen
    ]
    return cited_answer(question, picks)


@dataclass
class Extractive:
    """The extractive answer mode over an open index."""

    index: Index

    def answer(self, question: str, qvec: np.ndarray, hits: list[Hit], on_token=None) -> Answer:
        s = self.index.settings
        lookup = self.index.store.sentence_vectors
        weights = self.index.bm25.idf(tokenize(question))
        return extractive_answer(
            question,
            qvec,
            hits,
            self.index.embedder,
            s.min_score,
            s.answer_sentences,
            lookup,
            weights,
            s.answer_words,
        )
