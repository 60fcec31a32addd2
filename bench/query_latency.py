"""Warm query latency (retrieval + extractive answer) at the real corpus, 10k and 100k chunks.

    .venv/bin/python bench/query_latency.py [--sizes real,10000,100000] [--server]

Synthetic indexes are made reproducibly from a seed and cached in bench/cache/: their chunks are
real chunk texts with shuffled sentences, their vectors the real chunk's vector plus Gaussian
noise (renormalised), so neither the text nor the vectors need the encoder (embedding 100k chunks
would take ~80 minutes here). Questions are the golden set's; each size is warmed with one pass,
then every question is timed, split into its stages. `--server` repeats the largest size through a
`chroma run` server on 127.0.0.1. Writes bench/results/query.json.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
from common import CACHE, ROOT, Timer, peak_rss_mb, progress, synthetic_marker, write_result

from kb.eval.golden import load_golden
from kb.eval.metrics import percentile
from kb.index.embedder import query_embedder
from kb.index.reader import open_index
from kb.index.store import DocRecord, Store
from kb.ingest.bm25_sync import save_bm25
from kb.ingest.pipeline import ingest
from kb.progress import progress_text
from kb.qa.answerers import Extractive
from kb.qa.retrieve import retrieve
from kb.settings import Settings
from kb.text.chunker import CHUNKER_VERSION, chunk_id
from kb.text.sentences import answer_spans, sentence_spans
from kb.types import Chunk


def real_index_dir() -> Settings:
    settings = Settings(corpus_dir=ROOT / "corpus", data_dir=CACHE / "real")
    ingest(settings)
    return settings


def build_synthetic(n: int, seed: int, base: Settings) -> Settings:
    """An n-chunk index made from the real chunks (cached)."""
    settings = Settings(corpus_dir=ROOT / "corpus", data_dir=CACHE / f"syn-{n}-seed{seed}")
    marker = synthetic_marker(settings.data_dir)
    if marker.exists():
        return settings
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    src = Store(base)
    real = src.all_chunks()
    vecs = src.get([c.chunk_id for c in real])
    by_id = {c.chunk_id: c for c in real}
    stored = src.sentence_vectors(
        [(cid, i) for cid, c in by_id.items() for i in range(len(answer_spans(c.text)))]
    )
    sentence_vec = {}  # sentence text -> its vector, to give synthetic chunks their sentences'
    for (cid, i), v in stored.items():
        a, b = answer_spans(by_id[cid].text)[i]
        sentence_vec[by_id[cid].text[a:b]] = v
    rng, nrng, t0 = random.Random(seed), np.random.default_rng(seed), time.perf_counter()
    store = Store(settings, create=True)
    store.set_info(model="all-MiniLM-L6-v2", dim=384, chunker=CHUNKER_VERSION)
    per_doc, batch_chunks, batch_vecs, seen = 50, [], [], {}
    rows, row_vecs = [], []
    for i in range(n):
        c = real[rng.randrange(len(real))]
        spans = sentence_spans(c.text)
        parts = [c.text[s:e] for s, e in spans]
        rng.shuffle(parts)
        text = " ".join(parts)
        doc_id = f"syn/doc{i // per_doc:05d}.txt"
        vec = vecs[c.chunk_id][1] + nrng.normal(0, 0.02, 384).astype(np.float32)
        title = f"Synthetic {i // per_doc}"
        batch_chunks.append(Chunk(chunk_id(doc_id, text, seen), doc_id, title, c.section, text, 0, len(text)))
        batch_vecs.append(vec / np.linalg.norm(vec))
        for k, (a, b) in enumerate(answer_spans(text)):
            # every answer sentence gets a vector, as in a real ingest: its real sentence's when the
            # shuffle kept it intact, else its chunk's (both with noise)
            sv = sentence_vec.get(text[a:b], vecs[c.chunk_id][1]) + nrng.normal(0, 0.02, 384).astype(
                np.float32
            )
            rows.append((batch_chunks[-1], k, a, b))
            row_vecs.append(sv / np.linalg.norm(sv))
        if len(batch_chunks) == 5000 or i == n - 1:
            store.upsert_chunks(batch_chunks, np.stack(batch_vecs))
            if rows:
                store.upsert_sentences(rows, np.stack(row_vecs))
            batch_chunks, batch_vecs, rows, row_vecs = [], [], [], []
            print(progress_text(i + 1, n, time.perf_counter() - t0, f"synthetic {n}", "chunks"), flush=True)
    docs = range((n + per_doc - 1) // per_doc)
    store.put_docs(
        [DocRecord(f"syn/doc{d:05d}.txt", f"Synthetic {d}", "synthetic", per_doc, "", "ok") for d in docs]
    )
    save_bm25(store, settings)
    shutil.copytree(base.data_dir / "models", settings.data_dir / "models", dirs_exist_ok=True)
    marker.write_text("ok")
    return settings


def measure(settings: Settings, questions: list[str]) -> dict:
    index = open_index(settings)
    answerer = Extractive(index)
    for q in questions:  # warm-up pass
        answerer.answer(
            q, index.embedder.embed([q])[0], retrieve(index, q, index.embedder.embed([q])[0], 5, "hybrid")
        )
    stages = {"embed_question": [], "retrieve": [], "answer": [], "total": []}
    for q in progress(questions, "timing questions", "questions"):
        t0 = time.perf_counter()
        qvec = index.embedder.embed([q])[0]
        t1 = time.perf_counter()
        hits = retrieve(index, q, qvec, 5, "hybrid")
        t2 = time.perf_counter()
        answerer.answer(q, qvec, hits)
        t3 = time.perf_counter()
        for name, v in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
            stages[name].append(v * 1000)
    return {
        "chunks": index.store.count(),
        "embedder": type(index.embedder).__name__,
        **{f"{k}_p50_ms": round(percentile(v, 50), 1) for k, v in stages.items()},
        **{f"{k}_p95_ms": round(percentile(v, 95), 1) for k, v in stages.items()},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def via_server(settings: Settings, questions: list[str]) -> dict:
    port = free_port()
    exe = Path(sys.executable).parent / "chroma"
    cmd = [
        str(exe),
        "run",
        "--path",
        str(settings.data_dir / "chroma"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        remote = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": port})
        return measure(remote, questions)
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="real,10000,100000")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--server", action="store_true")
    args = ap.parse_args()
    questions = [c.question for c in load_golden("golden")]
    base = real_index_dir()
    results = {}
    for size in args.sizes.split(","):
        with Timer() as build:
            settings = base if size == "real" else build_synthetic(int(size), args.seed, base)
        print(f"measuring {size} (index ready in {build.seconds:.0f} s)", flush=True)
        results[size] = measure(settings, questions)
        print(results[size], flush=True)
        if args.server and size == args.sizes.split(",")[-1]:
            results[f"{size}-server"] = via_server(settings, questions)
            print(results[f"{size}-server"], flush=True)
    results["peak_rss_mb"] = round(peak_rss_mb())
    results["questions"] = len(questions)
    # the encoder baseline for this machine, to read the ms figures against
    embedder = query_embedder(base, [])
    with Timer() as t:
        embedder.embed(questions)
    results["baseline_encode_question_ms"] = round(t.seconds * 1000 / len(questions), 2)
    write_result("query", results)


if __name__ == "__main__":
    main()
