"""LLM answer modes: the model writes, kb keeps only what the passages support, and cites it.

The extractive answer comes first: it decides whether the corpus covers the question (a refusal
never reaches the model) and it is the fallback when the model fails, times out, or writes
nothing that survives the checks. A generated sentence survives if a passage supports it
(grounding.py) and it is about the question (within the extractive `MARGIN` of the best
extractive sentence's similarity).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from kb.errors import LLMUnavailableError
from kb.index.embedder import Embedder
from kb.index.reader import Index
from kb.qa.cite import Pick, cited_answer
from kb.qa.extractive import MARGIN, Extractive
from kb.qa.grounding import grounded_sentences
from kb.qa.llm import LLM, get_llm
from kb.qa.prompt import LLM_PASSAGES, STOP, build_prompt
from kb.settings import LLMBackend
from kb.text.sentences import sentence_spans
from kb.text.tokens import tokenize
from kb.types import Answer, Hit, Span

OnToken = Callable[[str], None] | None


def generate(llm: LLM, prompt: str, max_tokens: int, timeout: float, on_token: OnToken) -> tuple[str, dict]:
    """The model's text and its timings; TimeoutError past `timeout` seconds."""
    t0, first, pieces = time.perf_counter(), None, []
    for piece in llm.stream(prompt, max_tokens, STOP):
        first = first if first is not None else time.perf_counter() - t0
        pieces.append(piece)
        if on_token:
            on_token(piece)
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"no answer within {timeout:.0f} s (KB_LLM_TIMEOUT)")
    seconds = time.perf_counter() - t0
    timings = {
        "first_token_s": round(first or seconds, 3),
        "tokens": len(pieces),
        "tokens_per_s": round(len(pieces) / max(seconds - (first or 0), 1e-6), 1),
    }
    return "".join(pieces), timings


def on_topic(
    kept: list[tuple[str, int]], base: Answer, qvec: np.ndarray, embedder: Embedder
) -> list[tuple[str, int]]:
    """The kept sentences as close to the question as the extractive answer's, less MARGIN."""
    if not kept:
        return []
    best = max(span.score for c in base.citations for span in c.supporting)
    sims = embedder.embed([sentence for sentence, _ in kept]) @ qvec
    return [k for k, sim in zip(kept, sims) if sim >= best - MARGIN]


def support_span(hit: Hit, sentence: str) -> Span:
    """The passage sentence that shares most words with a generated sentence."""
    c, words = hit.chunk, set(tokenize(sentence))
    s, e = max(
        sentence_spans(c.text, c.char_start),
        key=lambda se: len(words & set(tokenize(c.text[se[0] - c.char_start : se[1] - c.char_start]))),
    )
    return Span(c.text[s - c.char_start : e - c.char_start], s, e, 0.0)


@dataclass
class Generated:
    """An LLM answer mode over an open index."""

    index: Index
    backend: LLMBackend

    def answer(self, question: str, qvec: np.ndarray, hits: list[Hit], on_token: OnToken = None) -> Answer:
        base = Extractive(self.index).answer(question, qvec, hits)
        if not base.found:
            return base
        s = self.index.settings
        llm = get_llm(s, self.backend)  # not installed / not configured: a clear error
        top = hits[:LLM_PASSAGES]
        try:
            text, timings = generate(
                llm, build_prompt(question, top), s.llm_max_tokens, s.llm_timeout, on_token
            )
        except (LLMUnavailableError, TimeoutError) as e:
            return replace(base, note=f"{self.backend} failed: {e}; showing the extractive answer")
        grounded, dropped = grounded_sentences(text, top)
        kept = on_topic(grounded, base, qvec, self.index.embedder)
        dropped += len(grounded) - len(kept)
        if not kept:
            note = f"the {self.backend} answer had no sentence the passages support"
            note += "; showing the extractive answer"
            return replace(base, note=note, timings=timings)
        picks = [Pick(sentence, top[i], support_span(top[i], sentence)) for sentence, i in kept]
        note = (
            f"{dropped} sentence(s) of the model's answer dropped: not supported by the passages"
            if dropped
            else ""
        )
        return cited_answer(question, picks, mode=self.backend, note=note, timings=timings)
