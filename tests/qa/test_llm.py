"""The LLM backends (kb/qa/llm.py) for real: llama.cpp in-process and as a server, Ollama's protocol.

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
from tests.conftest import DOC_A, free_port, wait_for_http

pytestmark = pytest.mark.slow


def with_settings(index: Index, **kw) -> Index:
    return Index(index.settings.model_copy(update=kw), index.store, index.embedder, index.bm25)


# --- the real model ------------------------------------------------------------------------


def test_llama_cpp_answers_cited_and_streamed(real_index, gguf):
    index = with_settings(real_index, llm_model_path=gguf)
    streamed = []
    answer = ask(
        index, "What do senior Python developers cost in the US?", mode="llama-cpp", on_token=streamed.append
    )
    assert len(streamed) > 3  # token by token
    assert answer.timings["tokens"] == len(streamed) and answer.timings["tokens_per_s"] > 0
    assert answer.found and answer.citations
    assert answer.mode == "llama-cpp", answer.note  # Gemma's answer survived the grounding check
    assert "$90,000" in answer.text and answer.citations[0].hit.chunk.doc_id == DOC_A


def test_openai_backend_against_llama_cpp_server(real_index, gguf):
    port = free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "4096", "--model_alias", "gemma3"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/v1/models", proc)
        index = with_settings(real_index, llm_base_url=f"http://127.0.0.1:{port}/v1", llm_model="gemma3")
        kb.qa.llm._cached.cache_clear()
        streamed = []
        answer = ask(
            index, "What do senior Python developers cost in the US?", mode="openai", on_token=streamed.append
        )
        assert len(streamed) > 3 and answer.mode == "openai", answer.note
        assert "$90,000" in answer.text and "[1]" in answer.text
    finally:
        proc.kill()
        proc.wait(timeout=10)


# --- ollama: a replay of its /api/generate protocol (no Ollama server can be installed offline) ---

T0, T1 = "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z"
OLLAMA_STREAM = [
    {"model": "gemma3", "created_at": T0, "response": "Node.js cold start", "done": False},
    {"model": "gemma3", "created_at": T0, "response": " times are faster than", "done": False},
    {"model": "gemma3", "created_at": T0, "response": " Python on AWS Lambda [1].", "done": False},
    {"model": "gemma3", "created_at": T1, "response": "", "done": True,
     "done_reason": "stop", "total_duration": 512000000, "eval_count": 14},
]  # fmt: skip


@pytest.fixture
def ollama_replay():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            if self.path != "/api/generate":
                self.send_response(404)
                self.end_headers()
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
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def test_ollama_backend_request_and_streamed_response(real_index, ollama_replay):
    url, seen = ollama_replay
    index = with_settings(real_index, llm_base_url=url, llm_model="gemma3")
    kb.qa.llm._cached.cache_clear()
    streamed = []
    answer = ask(index, "Python for serverless?", mode="ollama", on_token=streamed.append)
    path, body = seen[0]
    assert (
        path == "/api/generate"
        and body["model"] == "gemma3"
        and body["stream"] is True
        and body["raw"] is True
    )
    assert body["options"]["temperature"] == 0 and "Question: Python for serverless?" in body["prompt"]
    assert streamed == [m["response"] for m in OLLAMA_STREAM if m["response"]]
    assert answer.mode == "ollama" and answer.text.startswith("Node.js cold start times are faster")


def test_ollama_server_down_is_a_fallback_note(real_index):
    index = with_settings(real_index, llm_base_url=f"http://127.0.0.1:{free_port()}")
    kb.qa.llm._cached.cache_clear()
    answer = ask(index, "Python for serverless?", mode="ollama")
    assert answer.mode == "extractive" and "cannot reach the LLM server" in answer.note


def test_default_gguf_is_assembled_once(gguf):
    assert Path(gguf).stat().st_size > 200_000_000 and Path(gguf).name.endswith(".gguf")
