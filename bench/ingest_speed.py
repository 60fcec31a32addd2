"""Ingest throughput as a ratio of the raw encoder's, and the cost of re-ingests.

    .venv/bin/python bench/ingest_speed.py [--docs 80] [--seed 7]

Builds a reproducible corpus of article-shaped documents, chunks it, and in one process measures:
the raw `SentenceTransformer.encode` throughput on exactly the texts ingest will embed (the
chunks and their answer sentences: the ceiling), a full `ingest` into a fresh index, a re-ingest
with nothing changed, and one with a single document changed. chunks/s and tokens/s count
chunks; tokens/s counts the tokens of every text embedded. Writes bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from pathlib import Path

from common import Timer, paragraphs, peak_rss_mb, synthetic_doc, write_result

from ingest.chunker import answer_spans, chunk_document
from ingest.embedder import get_embedder
from ingest.loaders import corpus_files, load_document
from ingest.pipeline import ingest
from kb.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=80)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng, paras = random.Random(args.seed), paragraphs()
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-ingest-"))
    corpus = tmp / "corpus"
    corpus.mkdir()
    for i in range(args.docs):
        (corpus / f"doc{i:03d}.txt").write_text(synthetic_doc(rng, i, paras), encoding="utf-8")
    # query_onnx off: the one-time ONNX export is measured on its own below, not mixed into ingest
    settings = Settings(corpus_dir=corpus, data_dir=tmp / "data", query_onnx=False)

    chunks = []
    for path, doc_id in corpus_files(corpus):
        doc, _ = load_document(path, doc_id, 10**8)
        chunks += chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
    # what ingest embeds: every chunk (with its heading) and every answer sentence of it
    texts = [c.embedding_text() for c in chunks] + [
        c.text[a:b] for c in chunks for a, b in answer_spans(c.text)
    ]
    embedder = get_embedder(settings)  # loaded once; ingest reuses it
    tokens = sum(len(ids) for ids in embedder.model.tokenizer(texts)["input_ids"])
    embedder.embed(texts[:64])  # warm-up
    with Timer() as raw:
        embedder.model.encode(texts, batch_size=settings.batch_size, normalize_embeddings=True)

    with Timer() as full:
        report = ingest(settings)
    assert report.chunks_embedded == len(chunks), (report.chunks_embedded, len(chunks))
    with Timer() as same:
        again = ingest(settings)
    assert again.chunks_embedded == 0
    changed = corpus / "doc000.txt"
    changed.write_text(synthetic_doc(random.Random(args.seed + 1000), 0, paras), encoding="utf-8")
    with Timer() as one:
        one_report = ingest(settings)

    from ingest.embedder import ensure_onnx

    with Timer() as export:
        ensure_onnx(settings.model_copy(update={"query_onnx": True}), embedder)

    n = len(chunks)
    result = {
        "docs": args.docs,
        "chunks": n,
        "texts_embedded": len(texts),
        "tokens": tokens,
        "tokens_per_text": round(tokens / len(texts), 1),
        "raw_encode": {"seconds": round(raw.seconds, 2), "chunks_per_s": round(n / raw.seconds, 1),
                       "tokens_per_s": round(tokens / raw.seconds)},
        "full_ingest": {"seconds": round(full.seconds, 2), "chunks_per_s": round(n / full.seconds, 1),
                        "tokens_per_s": round(tokens / full.seconds)},
        "ratio_to_raw_encode": round(raw.seconds / full.seconds, 3),
        "reingest_unchanged": {"seconds": round(same.seconds, 3),
                               "share_of_full": round(same.seconds / full.seconds, 4)},
        "reingest_one_changed": {
            "seconds": round(one.seconds, 3),
            "chunks_embedded": one_report.chunks_embedded,
            "share_of_full": round(one.seconds / full.seconds, 4),
            "one_document_share_of_full": round(1 / args.docs, 4),
        },
        "onnx_export_once_seconds": round(export.seconds, 2),
        "peak_rss_mb": round(peak_rss_mb()),
    }  # fmt: skip
    write_result("ingest", result)
    print(result)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
