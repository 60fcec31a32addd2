"""Answer modes, picked by name: extractive (default) or one of the LLM backends.

Every mode starts from the extractive answer: it decides whether the corpus covers the question
at all (so a refusal never reaches an LLM), and it is the fallback when an LLM fails, times out,
or writes nothing the passages support. A generated sentence survives only if a passage
supports it (grounding.py) and it is about the question: its similarity to the question is
within the extractive answer's MARGIN of the best extractive sentence's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ingest.chunker import sentence_spans
from ingest.lexical import tokenize
from kb.errors import LLMUnavailableError
from kb.types import Answer, Citation, Hit, Span
from qa.extractive import MARGIN, extractive_answer
from qa.grounding import LLM_PASSAGES, STOP, build_prompt, grounded_sentences
from qa.index import Index
from qa.llm import BACKENDS, get_llm

OnToken = Callable[[str], None] | None


@dataclass
class Extractive:
    index: Index

    def answer(self, question: str, qvec: np.ndarray, hits: list[Hit], on_token: OnToken = None) -> Answer:
        s = self.index.settings
        lookup = self.index.store.sentence_vectors
        weights = self.index.bm25.idf(tokenize(question))
        return extractive_answer(
            question, qvec, hits, self.index.embedder, s.min_score, s.answer_sentences, lookup, weights
        )


def _support_span(hit: Hit, sentence: str) -> Span:
    """The passage sentence that shares most words with a generated sentence."""
    c, words = hit.chunk, set(tokenize(sentence))
    s, e = max(
        sentence_spans(c.text, c.char_start),
        key=lambda se: len(words & set(tokenize(c.text[se[0] - c.char_start : se[1] - c.char_start]))),
    )
    return Span(c.text[s - c.char_start : e - c.char_start], s, e, 0.0)


@dataclass
class Generated:
    index: Index
    backend: str

    def answer(self, question: str, qvec: np.ndarray, hits: list[Hit], on_token: OnToken = None) -> Answer:
        base = Extractive(self.index).answer(question, qvec, hits)
        if not base.found:
            return base
        settings = self.index.settings
        llm = get_llm(settings, self.backend)  # not installed / not configured: a clear error
        top = hits[:LLM_PASSAGES]
        t0, first, pieces = time.perf_counter(), None, []
        try:
            for piece in llm.stream(build_prompt(question, top), settings.llm_max_tokens, STOP):
                first = first if first is not None else time.perf_counter() - t0
                pieces.append(piece)
                if on_token:
                    on_token(piece)
                if time.perf_counter() - t0 > settings.llm_timeout:
                    raise TimeoutError(f"no answer within {settings.llm_timeout:.0f} s (KB_LLM_TIMEOUT)")
        except (LLMUnavailableError, TimeoutError) as e:
            return replace(base, note=f"{self.backend} failed: {e}; showing the extractive answer")
        seconds = time.perf_counter() - t0
        timings = {
            "first_token_s": round(first or seconds, 3),
            "tokens": len(pieces),
            "tokens_per_s": round(len(pieces) / max(seconds - (first or 0), 1e-6), 1),
        }
        kept, dropped = grounded_sentences("".join(pieces), top)
        if kept:  # supported is not enough: it must be about the question as much as the extractive picks
            best = max(span.score for c in base.citations for span in c.supporting)
            sims = self.index.embedder.embed([k[0] for k in kept]) @ qvec
            on_topic = [k for k, sim in zip(kept, sims) if sim >= best - MARGIN]
            kept, dropped = on_topic, dropped + len(kept) - len(on_topic)
        if not kept:
            note = (
                f"the {self.backend} answer had no sentence the passages support; "
                "showing the extractive answer"
            )
            return replace(base, note=note, timings=timings)
        citations: dict[int, Citation] = {}
        parts = []
        for sentence, i in kept:
            cit = citations.setdefault(i, Citation(len(citations) + 1, top[i]))
            cit.supporting.append(_support_span(top[i], sentence))
            parts.append(f"{sentence[:-1]} [{cit.n}]{sentence[-1]}")
        note = (
            f"{dropped} sentence(s) of the model's answer dropped: not supported by the passages"
            if dropped
            else ""
        )
        return Answer(
            question,
            " ".join(parts),
            True,
            list(citations.values()),
            mode=self.backend,
            note=note,
            timings=timings,
        )


ANSWERERS: dict[str, Callable[[Index], Extractive | Generated]] = {
    "extractive": Extractive,
    **{name: (lambda index, name=name: Generated(index, name)) for name in BACKENDS},
}
