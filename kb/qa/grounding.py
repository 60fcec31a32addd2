"""Check what an LLM wrote against the passages it cites, sentence by sentence.

A sentence is kept when the passages it cites (together; one citing none: any one passage) back it:
- every number in it is in them, next to the same names and a word of its clause (figures.py);
- every name in it (NestJS, max_connections, Go) is in them;
- enough of its content words are in them, and it means what some window of one to three passage
  sentences means (the embedding model: paraphrase and synthesis pass, invented claims do not);
- it does not flip a negation, an antonym or a comparison of what they say.
Constants were chosen on the dev labelled set (kb/eval/sets/grounding/dev.yaml) and are measured
on the held-out one; docs/design.md has the confusion tables. No NLI model ships offline, so
contradictions that keep the passage's words and polarity get through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from kb.qa.figures import NAME, figures_bound, has_name, names, numbers
from kb.text.sentences import sentence_spans
from kb.text.tokens import tokenize
from kb.types import Hit

MIN_COVERAGE = 0.6  # share of the sentence's content words found in the cited passages
MIN_SIMILARITY = 0.6  # cosine of the sentence and its best passage window
MIN_WORDS = 4
MIN_COPIED = 0.75  # base models: share of the sentence's content words one passage sentence holds
MAX_CHARS = 400
MAX_SENTENCES = 4
WINDOW = 3  # passage sentences a window spans
_CITE = re.compile(r"\s*\[(\d+)\]")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|none|nothing|neither|nor|rather than)\b|n't\b", re.I)
_CLAUSE = re.compile(
    r",(?!\d)|[;:()\u2014]|[.!?]\s|\s-\s|\b(?:but|if|so|because|although|though|while|when|since|unless|whereas|and)\b",
    re.I,
)
_NEGATION_WORDS = {"not", "no", "never", "cannot", "none", "noth", "neither", "nor", "rather"}
MIN_SAME_CLAUSE = 0.5  # share of a negated clause's words that makes it about the same thing
ANTONYMS = [
    ("fast", "slow"), ("more", "less"), ("high", "low"), ("ahead", "behind"), ("better", "worse"),
    ("strong", "weak"), ("larg", "small"), ("usual", "rare"), ("often", "rare"), ("easi", "hard"),
    ("cheap", "expens"), ("increas", "decreas"), ("all", "onli"), ("everi", "onli"), ("alway", "never"),
]  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    """The cited passages as sentences (units), lower-cased, with their words."""

    units: list[str]
    lower: str
    words: set[str]

    @classmethod
    def of(cls, passages: list[str]) -> Evidence:
        units = []
        for p in passages:
            p = re.sub(r"\s+(?=[•\u2022]\s)", "\n", p)
            units += [u for s, e in sentence_spans(p) if (u := p[s:e].strip())]
        lower = "\n".join(units).lower()
        return cls(units, lower, set(tokenize(lower)))

    def windows(self) -> list[str]:
        n = len(self.units)
        return [
            " ".join(self.units[i : i + k]) for k in range(1, WINDOW + 1) for i in range(max(n - k + 1, 1))
        ]


def _negated(text: str) -> list[set[str]]:
    """The content words of each clause of the text that holds a negation."""
    return [set(tokenize(c)) - _NEGATION_WORDS for c in _CLAUSE.split(text) if c and _NEGATION.search(c)]


def _unmatched(negated: list[set[str]], other: str) -> bool:
    """Whether some negated clause is about what `other` says, while `other` does not negate it."""
    words, theirs = set(tokenize(other)), _negated(other)
    for clause in negated:
        if not clause or len(clause & words) / len(clause) < MIN_SAME_CLAUSE:
            continue
        if not any(len(clause & t) >= min(2, len(t)) for t in theirs if t):
            return True
    return False


def flipped(sentence: str, window: str, passages: str = "") -> bool:
    """Whether the sentence negates, or turns into its antonym, what the passage window says (a
    negation in the sentence is looked for in all the `passages`, when given).

    >>> flipped("It can run in a transaction block.", "It cannot run in a transaction block.")
    True
    >>> flipped("Python has faster cold starts than Node.js.", "Node.js cold starts are faster than Python.")
    True
    >>> flipped("VACUUM FULL shrinks a table.", "VACUUM FULL shrinks a table, but there is not much point.")
    False
    """
    if _unmatched(_negated(sentence), passages or window) or _unmatched(_negated(window), sentence):
        return True
    s, w = (
        set(tokenize(sentence)) | set(sentence.lower().split()),
        set(tokenize(window)) | set(window.lower().split()),
    )
    for a, b in ANTONYMS:
        if (_stem(s, a) and _stem(w, b) and not _stem(w, a)) or (
            _stem(s, b) and _stem(w, a) and not _stem(w, b)
        ):
            return True
    return _swapped(sentence, window)


def _stem(words: set[str], stem: str) -> bool:
    return any(x.startswith(stem) for x in words)


def _swapped(sentence: str, window: str) -> bool:
    """`A ... than B` in the sentence where the window says `B ... than A`."""
    pair = _than(sentence)
    return (
        pair is not None
        and pair[0] != pair[1]
        and pair[::-1] in {_than(u) for u in re.split(r"(?<=[.;])\s", window)}
    )


def _than(text: str) -> tuple[str, str] | None:
    """The names nearest before and after "than" (any capitalised word), else the content words."""
    m = re.search(r"\bthan\b", text)
    if not m:
        return None
    named = lambda part: [w.lower() for w in NAME.findall(part) if w != w.lower()]  # noqa: E731
    before, after = named(text[: m.start()]), named(text[m.end() :])
    if not (before and after):
        before, after = tokenize(text[: m.start()]), tokenize(text[m.end() :])
    return (before[-1], after[0]) if before and after else None


@dataclass
class Checker:
    """The grounding check; with an embedder it also compares meaning (else words only).

    A sentence citing passages is checked against them together; one citing none, against each
    passage alone. Its citation becomes the passage that shares most of its words. `copied`
    (for base models, which continue text rather than follow instructions) also asks one passage
    sentence to hold `MIN_COPIED` of the sentence's content words: such a model's paraphrases
    are mostly garbles.
    """

    embedder: Any = None
    copied: bool = False

    def supports(self, passages: list[str], sentence: str) -> bool:
        """Whether these passages back the sentence."""
        words = tokenize(sentence)
        if len(set(words)) < MIN_WORDS or len(sentence) > MAX_CHARS:
            return False
        ev = Evidence.of(passages)
        if not all(n in set(numbers(ev.lower)) for n in numbers(sentence)) or not figures_bound(
            sentence, ev.units
        ):
            return False
        if not all(has_name(n, ev.lower) for n in names(sentence)):
            return False
        if len(set(words) & ev.words) / len(set(words)) < MIN_COVERAGE:
            return False
        if self.copied and not any(
            len(set(words) & set(tokenize(u))) >= MIN_COPIED * len(set(words)) for u in ev.units
        ):
            return False
        windows = ev.windows()
        if self.embedder is None:
            best = max(windows, key=lambda w: len(set(words) & set(tokenize(w))))
        else:
            vecs = self.embedder.embed([sentence, *windows])
            sims = vecs[1:] @ vecs[0]
            if float(np.max(sims)) < MIN_SIMILARITY:
                return False
            best = windows[int(np.argmax(sims))]
        return not flipped(sentence, best, "\n".join(ev.units))

    def grounded(self, text: str, hits: list[Hit]) -> tuple[list[tuple[str, int]], int]:
        """(sentence, 0-based passage index) pairs the cited passages support, and how many were dropped.

        >>> from kb.types import Chunk
        >>> hit = lambda t: Hit(Chunk("c", "d", "T", "", t, 0, len(t)), 1.0)
        >>> hits = [hit("Paris is in France."), hit("Node.js has an event loop.")]
        >>> Checker().grounded("Node.js has an event loop [2]. Paris has an event loop [1].", hits)
        ([('Node.js has an event loop.', 1)], 1)
        """
        kept: list[tuple[str, int]] = []
        dropped, seen = 0, set()
        for s, e in sentence_spans(text):
            raw = text[s:e].strip().lstrip("•-* ")
            cited = [int(n) - 1 for n in _CITE.findall(raw)]
            sentence = _CITE.sub("", raw).strip()
            key = " ".join(tokenize(sentence))
            if not key or key in seen or len(kept) >= MAX_SENTENCES:
                dropped += bool(key) and key not in seen
                continue
            seen.add(key)
            cited = [i for i in cited if 0 <= i < len(hits)]
            options = [cited] if cited else [[i] for i in range(len(hits))]  # uncited: one passage at a time
            where = next(
                (o for o in options if self.supports([hits[i].chunk.text for i in o], sentence)), None
            )
            if where is None:
                dropped += 1
                continue
            words = set(tokenize(sentence))
            best = max(where, key=lambda i: len(words & set(tokenize(hits[i].chunk.text))))
            kept.append((sentence if sentence[-1] in ".!?" else sentence + ".", best))
        return kept, dropped
