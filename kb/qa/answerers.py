"""The answer modes, picked by name: extractive (the default) or one LLM backend each."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol

import numpy as np

from kb.index.reader import Index
from kb.qa.extractive import Extractive
from kb.qa.generated import Generated
from kb.settings import EXTRACTIVE, LLMBackend
from kb.types import Answer, Hit


class Answerer(Protocol):
    def answer(
        self, question: str, qvec: np.ndarray, hits: list[Hit], on_token: Callable[[str], None] | None = None
    ) -> Answer:
        """A cited answer (or a refusal) from the retrieved passages."""
        ...


ANSWERERS: dict[str, Callable[[Index], Answerer]] = {
    EXTRACTIVE: Extractive,
    **{name: partial(Generated, backend=name) for name in LLMBackend},
}
