"""Ingest throughput as a ratio of the raw encoder's, and the cost of re-ingests.

    .venv/bin/python bench/ingest_speed.py [--docs 80] [--seed 7] [--repeat 3]

Builds a reproducible corpus of article-shaped documents, chunks it, and in one process measures:
the raw `SentenceTransformer.encode` throughput on exactly the texts ingest will embed (the
chunks and their answer sentences: the ceiling), a full `ingest` into a fresh index, a re-ingest
with nothing changed, and one with a single document changed. Raw encode and full ingest run
alternately `--repeat` times (this machine is shared and a single pair swings by ~3 %); the
figures are medians and the ratio is the median of the pairs' ratios. chunks/s counts chunks;
tokens/s counts the tokens of every text embedded. The changed document's own cost is its share
of the tokens embedded. Writes bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
from pathlib import Path

from common import Timer, paragraphs, peak_rss_mb, synthetic_doc, write_result

from kb.index.embedder import get_embedder
from kb.ingest.loaders import corpus_files, load_document
from kb.ingest.pipeline import embedding_inputs, ingest
from kb.settings import Settings
from kb.text.chunker import chunk_document


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=80)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
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
    for path, doc_id in corpus_files(corpus)[0]:
        doc, _ = load_document(path, doc_id, 10**8)
        chunks += chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
    texts = embedding_inputs(chunks)[1]
    embedder = get_embedder(settings)  # loaded once; ingest reuses it
    tokenize = embedder.model.tokenizer
    tokens = sum(len(ids) for ids in tokenize(texts)["input_ids"])
    embedder.embed(texts[:64])  # warm-up

    raws, fulls = [], []
    for r in range(args.repeat):
        with Timer() as raw:
            embedder.model.encode(texts, batch_size=settings.batch_size, normalize_embeddings=True)
        raws.append(raw.seconds)
        settings = settings.model_copy(update={"data_dir": tmp / f"data{r}"})
        with Timer() as full:
            report = ingest(settings)
        assert report.chunks_embedded == len(chunks), (report.chunks_embedded, len(chunks))
        fulls.append(full.seconds)
    raw_s, full_s = statistics.median(raws), statistics.median(fulls)
    ratio = statistics.median(a / b for a, b in zip(raws, fulls))

    with Timer() as same:
        again = ingest(settings)
    assert again.chunks_embedded == 0
    changed = corpus / "doc000.txt"
    changed.write_text(synthetic_doc(random.Random(args.seed + 1000), 0, paras), encoding="utf-8")
    with Timer() as one:
        one_report = ingest(settings)
    doc, _ = load_document(changed, "doc000.txt", 10**8)
    mine = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
    own_share = sum(len(ids) for ids in tokenize(embedding_inputs(mine)[1])["input_ids"]) / tokens

    from kb.index.embedder import ensure_onnx

    with Timer() as export:
        ensure_onnx(settings.model_copy(update={"query_onnx": True}), embedder)

    n = len(chunks)
    result = {
        "docs": args.docs,
        "chunks": n,
        "texts_embedded": len(texts),
        "tokens": tokens,
        "tokens_per_text": round(tokens / len(texts), 1),
        "repeats": args.repeat,
        "raw_encode": {"seconds": round(raw_s, 2), "chunks_per_s": round(n / raw_s, 1),
                       "tokens_per_s": round(tokens / raw_s), "runs_s": [round(x, 2) for x in raws]},
        "full_ingest": {"seconds": round(full_s, 2), "chunks_per_s": round(n / full_s, 1),
                        "tokens_per_s": round(tokens / full_s), "runs_s": [round(x, 2) for x in fulls]},
        "ratio_to_raw_encode": round(ratio, 3),
        "reingest_unchanged": {"seconds": round(same.seconds, 3),
                               "share_of_full": round(same.seconds / full_s, 4)},
        "reingest_one_changed": {
            "seconds": round(one.seconds, 3),
            "chunks_embedded": one_report.chunks_embedded,
            "texts_embedded": one_report.texts_embedded,
            "share_of_full": round(one.seconds / full_s, 4),
            "document_own_share_of_full": round(own_share, 4),  # its tokens / all tokens
        },
        "onnx_export_once_seconds": round(export.seconds, 2),
        "peak_rss_mb": round(peak_rss_mb()),
    }  # fmt: skip
    write_result("ingest", result)
    print(result)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
