"""LLM answer modes: the model writes, kb keeps only what the passages support, and cites it.

The extractive answer comes first: it decides whether the corpus covers the question (a refusal
never reaches the model) and it is the fallback when the model fails, times out, or writes
nothing that survives the checks. A generated sentence survives if the passages it cites support
it (grounding.py) and it is about the question: within the extractive `MARGIN` of the best
extractive sentence's similarity to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from kb.errors import LLMUnavailableError
from kb.index.embedder import Embedder, vocabulary
from kb.index.reader import Index
from kb.qa.cite import Pick, cited_answer
from kb.qa.extractive import MARGIN, Extractive
from kb.qa.followup import accepted_rewrite, carry_over, stands_alone
from kb.qa.llm import get_llm, mapped_errors
from kb.qa.prompt import (
    CHAT_PASSAGES,
    COMPLETION_PASSAGES,
    COMPLETION_STOP,
    chat_messages,
    completion_prompt,
    rewrite_messages,
    rewrite_prompt,
)
from kb.text.sentences import sentence_spans
from kb.text.tokens import tokenize
from kb.types import Answer, Hit, Span

OnToken = Callable[[str], None] | None
CUSTOM = "llm"  # the answer mode of an LLM object passed in from Python


def model_text(llm: Any, question: str, hits: list[Hit]) -> tuple[Iterator[str], list[Hit]]:
    """The model's text piece by piece, and the passages it was given (in their prompt order)."""
    if llm.metadata.is_chat_model:
        from llama_index.core.llms import ChatMessage

        top = hits[:CHAT_PASSAGES]
        messages = [ChatMessage(role=role, content=text) for role, text in chat_messages(question, top)]
        return (r.delta or "" for r in llm.stream_chat(messages)), top
    top = hits[:COMPLETION_PASSAGES]
    pieces = (r.delta or "" for r in llm.stream_complete(completion_prompt(question, top), formatted=True))
    return until_stop(pieces, COMPLETION_STOP), top


def rewritten(llm: Any, question: str, previous: str, answered: str) -> Iterator[str]:
    """The model's standalone version of a follow-up question, piece by piece."""
    if llm.metadata.is_chat_model:
        from llama_index.core.llms import ChatMessage

        pairs = rewrite_messages(question, previous, answered)
        return (r.delta or "" for r in llm.stream_chat([ChatMessage(role=r, content=t) for r, t in pairs]))
    prompt = rewrite_prompt(question, previous, answered)
    pieces = (r.delta or "" for r in llm.stream_complete(prompt, formatted=True))
    return until_stop(pieces, COMPLETION_STOP)


def until_stop(pieces: Iterable[str], stops: list[str]) -> Iterator[str]:
    """The pieces up to the first stop string (for models that do not stop there themselves).

    >>> list(until_stop(["It is", " 330 m [1].", "\\nQuestion: next"], ["\\n"]))
    ['It is', ' 330 m [1].']
    """
    text = ""
    for piece in pieces:
        at = min((i for i in (f"{text}{piece}".find(s, max(len(text) - len(s), 0)) for s in stops) if i >= 0),
                 default=-1)  # fmt: skip
        if at >= 0:
            if at > len(text):
                yield piece[: at - len(text)]
            return
        text += piece
        yield piece


def generate(pieces: Iterator[str], timeout: float, on_token: OnToken) -> tuple[str, dict]:
    """The model's text and its timings; LLMUnavailableError past `timeout` seconds."""
    t0, first, out = time.perf_counter(), None, []
    for piece in pieces:
        if not piece:
            continue
        first = first if first is not None else time.perf_counter() - t0
        out.append(piece)
        if on_token:
            on_token(piece)
        if time.perf_counter() - t0 > timeout:
            raise LLMUnavailableError(f"no answer within {timeout:g} s (KB_LLM_TIMEOUT)")
    seconds = time.perf_counter() - t0
    timings = {
        "first_token_s": round(first or seconds, 3),
        "tokens": len(out),
        "tokens_per_s": round(len(out) / max(seconds - (first or 0), 1e-6), 1),
    }
    return "".join(out), timings


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
        sentence_spans(c.text, c.char_start, c.code_open),
        key=lambda se: len(words & set(tokenize(c.text[se[0] - c.char_start : se[1] - c.char_start]))),
    )
    return Span(c.text[s - c.char_start : e - c.char_start], s, e, 0.0)


@dataclass
class Generated:
    """An LLM answer mode over an open index: a backend by name, or any LlamaIndex `LLM` object."""

    index: Index
    backend: str
    llm: Any = None

    def standalone(self, question: str, previous: Answer) -> str:
        """A follow-up rewritten by the model to stand alone; the carry-over rule if that fails."""
        if stands_alone(question):
            return question
        answered = previous.text if previous.found else ""
        before = previous.searched or previous.question
        s = self.index.settings
        llm = self.llm or get_llm(s, self.backend)
        try:
            with mapped_errors(f"{self.backend} failed"):
                text, _ = generate(rewritten(llm, question, before, answered), s.llm_timeout, None)
        except LLMUnavailableError:
            text = ""
        return accepted_rewrite(text, question, before) or carry_over(
            question, before, self.index.embedder.embed, vocabulary(s.embed_model)
        )

    def answer(self, question: str, qvec: np.ndarray, hits: list[Hit], on_token: OnToken = None) -> Answer:
        base = Extractive(self.index).answer(question, qvec, hits)
        if not base.found:
            return base
        s = self.index.settings
        llm = self.llm or get_llm(s, self.backend)  # not installed / not configured: a clear error
        try:
            with mapped_errors(f"{self.backend} failed"):
                pieces, top = model_text(llm, question, hits)
                text, timings = generate(pieces, s.llm_timeout, on_token)
        except LLMUnavailableError as e:
            return replace(base, note=f"{e}; showing the extractive answer")
        from kb.qa.grounding import Checker  # LLM modes only: extractive answers never load it

        checker = Checker(self.index.embedder, copied=not llm.metadata.is_chat_model)
        grounded, dropped = checker.grounded(text, top)
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
