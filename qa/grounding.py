"""Prompting a local LLM with numbered passages, and checking what it wrote against them.

The prompt is completion style with one worked example, because the default model (Gemma 3
270M) is a base model: it continues text well and follows chat instructions badly. Only the
top `LLM_PASSAGES` passages go in, to keep prompt processing (~190 tokens/s here) short.

The check is strict on purpose, since small models copy, mix and invent: a generated sentence
of at least `MIN_WORDS` content words (stemmed, stop words removed) is kept only if one passage
sentence contains at least `MIN_COVERAGE` of its content words, at least `MIN_PAIRS` of its
adjacent content-word pairs, and every number or range ("8-12") as written.
Checking against a sentence rather than the whole passage is what catches the usual small-model
error of moving a figure to the wrong subject ("a Django MVP costs EUR 4,000-12,000" when that
range belongs to NestJS). The price: a correct sentence that merges two passage sentences is
dropped too, and the extractive answer is shown instead. A kept sentence cites its passage: the
one it named as [n] if that one supports it, else the first that does. Sentences no passage
supports, over-long or repeated ones, and citations of passages that do not exist are dropped.
(The answerer also drops sentences that are not about the question: see answerers.py.)
"""

from __future__ import annotations

import re

from ingest.chunker import sentence_spans
from ingest.lexical import tokenize
from kb.types import Hit

LLM_PASSAGES = 3
MIN_COVERAGE = 0.75
MIN_WORDS = 4
MIN_PAIRS = 0.5
MAX_CHARS = 300
MAX_SENTENCES = 4
STOP = ["\n", "Question:", "Passages:"]
_CITE = re.compile(r"\s*\[(\d+)\]")
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?(?:\s*[-\u2013\u2014]\s*\d(?:[\d,.]*\d)?)?")

EXAMPLE = (
    "Passages:\n[1] The Eiffel Tower is 330 metres tall and was completed in 1889.\n"
    "[2] Paris has 2.1 million inhabitants.\n"
    "Question: How tall is the Eiffel Tower?\n"
    "Answer: The Eiffel Tower is 330 metres tall [1].\n\n"
)


def build_prompt(question: str, hits: list[Hit]) -> str:
    """The completion prompt: instruction, one example, numbered passages, the question."""
    passages = "\n".join(f"[{i}] {' '.join(h.chunk.text.split())}" for i, h in enumerate(hits, 1))
    return (
        "Answer the question in one or two sentences using only the passages, "
        "and cite the passage number.\n\n"
        f"{EXAMPLE}Passages:\n{passages}\nQuestion: {' '.join(question.split())}\nAnswer:"
    )


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
