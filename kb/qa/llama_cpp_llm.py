"""A GGUF model run in-process by llama.cpp, as a LlamaIndex `CustomLLM`.

kb's own class rather than llama-index-llms-llama-cpp's `LlamaCPP`: that one formats chat
messages with a fixed template instead of the model's own (`tokenizer.chat_template` in the
GGUF) and downloads a 13B model when no path is given. Here chat goes through llama.cpp's
`create_chat_completion`, which applies the model's template, and completion sends the prompt as
written; `is_chat_model` says which the model has (a chat template or not).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

_QUIET_LOG = None  # keeps the no-op log callback alive for as long as llama.cpp may call it


def _silence_llama_cpp() -> None:
    """llama.cpp prints cache notices to stderr even with verbose=False; route them nowhere."""
    global _QUIET_LOG
    from llama_cpp import llama_cpp as native

    if _QUIET_LOG is None:
        _QUIET_LOG = native.llama_log_callback(lambda level, text, user_data: None)
        native.llama_log_set(_QUIET_LOG, ctypes.c_void_p(0))


class LlamaCppLLM(CustomLLM):
    """Greedy generation from a local GGUF; chat if the GGUF has a chat template (or `chat_model` says so)."""

    model_path: str
    max_tokens: int = 256
    context_window: int = 4096
    threads: int = 2
    stop: list[str] = []
    chat_model: bool | None = None  # None: the GGUF decides

    _model: Any = PrivateAttr()

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        from llama_cpp import Llama

        _silence_llama_cpp()
        self._model = Llama(
            model_path=self.model_path, n_ctx=self.context_window, n_threads=self.threads, verbose=False
        )
        if self.chat_model is None:
            self.chat_model = bool(self._model.metadata.get("tokenizer.chat_template"))

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.max_tokens,
            model_name=self.model_path,
            is_chat_model=bool(self.chat_model),
        )

    def _pieces(self, parts: Iterator[dict], key: str) -> Iterator[str]:
        for part in parts:
            choice = part["choices"][0]
            text = choice["delta"].get("content") if key == "delta" else choice["text"]
            if text:
                yield text

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        text = "".join(r.delta for r in self.stream_complete(prompt, formatted=formatted))
        return CompletionResponse(text=text)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        parts = self._model(prompt, max_tokens=self.max_tokens, stop=self.stop, stream=True, temperature=0.0)

        def gen() -> CompletionResponseGen:
            text = ""
            for piece in self._pieces(parts, "text"):
                text += piece
                yield CompletionResponse(text=text, delta=piece)

        return gen()

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        parts = self._model.create_chat_completion(
            messages=[{"role": m.role.value, "content": m.content or ""} for m in messages],
            max_tokens=self.max_tokens,
            stop=self.stop or None,
            stream=True,
            temperature=0.0,
        )

        def gen() -> ChatResponseGen:
            text = ""
            for piece in self._pieces(parts, "delta"):
                text += piece
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=piece)

        return gen()

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join(r.delta or "" for r in self.stream_chat(messages))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))
