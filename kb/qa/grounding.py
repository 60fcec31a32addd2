"""Check what a local LLM wrote against the passages it was given, sentence by sentence.

A generated sentence is kept only if one passage sentence contains at least `MIN_COVERAGE` of
its content words, `MIN_PAIRS` of its adjacent content-word pairs, and every number or range in
it. Checking against one sentence, not the whole passage, catches a figure moved to the wrong
subject. Trade-off: a correct sentence that merges two passage sentences is dropped too.
"""

from __future__ import annotations

import re

from kb.text.sentences import sentence_spans
from kb.text.tokens import tokenize
from kb.types import Hit

MIN_COVERAGE = 0.75
MIN_WORDS = 4
MIN_PAIRS = 0.5
MAX_CHARS = 300
MAX_SENTENCES = 4
_CITE = re.compile(r"\s*\[(\d+)\]")
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?(?:\s*[-\u2013\u2014]\s*\d(?:[\d,.]*\d)?)?")


def numbers(text: str) -> set[str]:
    """Numbers and ranges in a text, thousands separators and dash styles normalised.

    >>> sorted(numbers("costs $90,000–$140,000/year, 6–8 weeks, 2.5x"))
    ['140000', '2.5', '6-8', '90000']
    """
    out = set()
    for n in _NUMBER.findall(text):
        out.add(re.sub(r"\s*[-\u2013\u2014]\s*", "-", n.replace(",", "")))
    return out


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:]))


def _backs(source: str, words: list[str], nums: set[str]) -> bool:
    swords = tokenize(source)
    coverage = len(set(words) & set(swords)) / len(set(words))
    pairs = _pairs(words)
    pair_cover = len(pairs & _pairs(swords)) / len(pairs) if pairs else 1.0
    return coverage >= MIN_COVERAGE and pair_cover >= MIN_PAIRS and nums <= numbers(source)


def supports(passage: str, sentence: str) -> bool:
    """Whether one sentence of the passage backs a generated sentence.

    >>> p = "A Django SaaS MVP takes 6-8 weeks. Django MVP: EUR 3,000-8,000. NestJS MVP: EUR 4,000-12,000."
    >>> supports(p, "A Django SaaS MVP takes 6-8 weeks."), supports(p, "A Django MVP takes 6-12 weeks.")
    (True, False)
    >>> supports(p, "A Django MVP costs EUR 4,000-12,000.")  # a figure moved to the wrong subject
    False
    >>> supports(p, "MVP NestJS weeks, Django takes SaaS.")  # the same words, scrambled
    False
    """
    words = tokenize(sentence)
    if len(set(words)) < MIN_WORDS or len(sentence) > MAX_CHARS:
        return False
    nums = numbers(sentence)
    return any(_backs(passage[s:e], words, nums) for s, e in sentence_spans(passage))


def grounded_sentences(text: str, hits: list[Hit]) -> tuple[list[tuple[str, int]], int]:
    """(sentence, 0-based passage index) pairs that the passages support, and how many were dropped.

    >>> from kb.types import Chunk
    >>> hit = lambda t: Hit(Chunk("c", "d", "T", "", t, 0, len(t)), 1.0)
    >>> hits = [hit("Paris is in France."), hit("Node.js has an event loop.")]
    >>> grounded_sentences("Node.js has an event loop [1]. It runs on Mars [7].", hits)
    ([('Node.js has an event loop.', 1)], 1)
    """
    kept: list[tuple[str, int]] = []
    dropped, seen = 0, set()
    for s, e in sentence_spans(text):
        raw = text[s:e].strip().lstrip("•-* ")
        named = [int(n) - 1 for n in _CITE.findall(raw)]
        sentence = _CITE.sub("", raw).strip()
        key = " ".join(tokenize(sentence))
        if not key or key in seen or len(kept) >= MAX_SENTENCES:
            dropped += bool(key) and key not in seen
            continue
        seen.add(key)
        order = [i for i in named if 0 <= i < len(hits)] + list(range(len(hits)))
        where = next((i for i in order if supports(hits[i].chunk.text, sentence)), None)
        if where is None:
            dropped += 1
        else:
            kept.append((sentence if sentence[-1] in ".!?" else sentence + ".", where))
    return kept, dropped
