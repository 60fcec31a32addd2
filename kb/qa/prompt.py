"""The prompt a local LLM answers from: instruction, one worked example, numbered passages, question.

Completion style, because the default model (Gemma 3 270M) is a base model: it continues text
well and follows chat instructions badly. Only the top `LLM_PASSAGES` passages go in, to keep
prompt processing short on a CPU.
"""

from __future__ import annotations

from kb.types import Hit

LLM_PASSAGES = 3
STOP = ["\n", "Question:", "Passages:"]

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
