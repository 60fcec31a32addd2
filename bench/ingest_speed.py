"""Ingest throughput as a ratio of the raw encoder over the corpus text, and re-ingest costs.

    .venv/bin/python bench/ingest_speed.py [--docs 40] [--words 1500] [--corpus DIR] [--repeat 3]

The ceiling: `SentenceTransformer.encode` over every document's text once, in 200-word pieces.
Alternately `--repeat` times in one process: that raw encode, the same text through kb's own
encoder path (bfloat16 where the CPU has it) and a full `kb ingest` into a fresh index; medians,
and ratios (encode seconds / ingest seconds) as medians of the rounds'. The corpus: `--docs`
synthetic articles of ~`--words` words, or `--corpus DIR`. Then re-ingests with nothing and (on
the synthetic corpus) one document changed. Writes bench/results/ingest.json (or ingest-NAME.json).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
from pathlib import Path

from common import Timer, paragraphs, peak_rss_mb, progress, synthetic_doc, write_result

from kb.index.embedder import get_embedder
from kb.ingest.files import corpus_files
from kb.ingest.loaders import load_document
from kb.ingest.pipeline import ingest
from kb.settings import Settings
from kb.text.chunker import chunk_document

PIECE_WORDS = 200


def pieces(text: str, words: int = PIECE_WORDS) -> list[str]:
    """The text cut into consecutive pieces of `words` words: the raw encoder's input.

    >>> pieces("a b c d e", 2)
    ['a b', 'c d', 'e']
    """
    w = text.split()
    return [" ".join(w[i : i + words]) for i in range(0, len(w), words)]


def long_doc(rng: random.Random, i: int, paras: list[str], words: int) -> str:
    """A synthetic article of about `words` words."""
    sections = max(1, round(words / 95))  # a synthetic section holds about 95 words
    return synthetic_doc(rng, i, paras, sections=sections)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--words", type=int, default=1500)
    ap.add_argument("--corpus", type=Path, help="a folder of real documents instead of synthetic ones")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng, paras = random.Random(args.seed), paragraphs()
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-ingest-"))
    corpus = args.corpus.resolve() if args.corpus else tmp / "corpus"
    if not args.corpus:
        corpus.mkdir()
        for i in range(args.docs):
            (corpus / f"doc{i:03d}.txt").write_text(long_doc(rng, i, paras, args.words), encoding="utf-8")
    # query_onnx off: the one-time ONNX export is measured on its own below, not mixed into ingest
    settings = Settings(corpus_dir=corpus, data_dir=tmp / "data", query_onnx=False)

    docs = [load_document(path, doc_id, 10**9)[0] for path, doc_id in corpus_files(corpus)[0]]
    raw_texts = [p for d in docs for p in pieces(d.text)]
    chunks = [c for d in docs for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap)]
    embedder = get_embedder(settings)  # loaded once; ingest reuses it
    count = embedder.count_tokens
    corpus_tokens = sum(count(raw_texts))
    chunk_tokens = sum(count([c.embedding_text() for c in chunks]))
    embedder.embed(raw_texts[:64])  # warm-up

    raws, owns, fulls = [], [], []
    for r in progress(range(args.repeat), "raw encode and ingest", "rounds"):
        with Timer() as raw:
            embedder.model.encode(raw_texts, batch_size=settings.batch_size, normalize_embeddings=True)
        raws.append(raw.seconds)
        with Timer() as own:  # the same text through kb's encoder path (bfloat16 where it is used)
            embedder.embed(raw_texts)
        owns.append(own.seconds)
        settings = settings.model_copy(update={"data_dir": tmp / f"data{r}"})
        with Timer() as full:
            report = ingest(settings)
        assert report.chunks_embedded == len(chunks), (report.chunks_embedded, len(chunks))
        fulls.append(full.seconds)
    raw_s, full_s = statistics.median(raws), statistics.median(fulls)
    ratio = statistics.median(a / b for a, b in zip(raws, fulls))
    own_ratio = statistics.median(a / b for a, b in zip(owns, fulls))

    with Timer() as same:
        again = ingest(settings)
    assert again.chunks_embedded == 0
    result = {
        "corpus": str(args.corpus) if args.corpus else f"{args.docs} synthetic docs of ~{args.words} words",
        "docs": len(docs),
        "words": sum(len(d.text.split()) for d in docs),
        "chunks": len(chunks),
        "corpus_tokens": corpus_tokens,
        "chunk_tokens": chunk_tokens,  # what kb encodes: chunks with their overlap and heading
        "repeats": args.repeat,
        "raw_encode": {"seconds": round(raw_s, 2), "tokens_per_s": round(corpus_tokens / raw_s),
                       "runs_s": [round(x, 2) for x in raws]},
        "full_ingest": {"seconds": round(full_s, 2), "chunks_per_s": round(len(chunks) / full_s, 1),
                        "corpus_tokens_per_s": round(corpus_tokens / full_s),
                        "runs_s": [round(x, 2) for x in fulls]},
        "ratio_to_raw_encode": round(ratio, 3),
        "kb_encoder": {"bfloat16": embedder.bf16, "seconds": round(statistics.median(owns), 2),
                       "runs_s": [round(x, 2) for x in owns]},
        # ingest against kb's own encoder over the corpus text: what embedding chunks with their
        # overlap and headings, and every answer sentence again, costs beyond the text itself
        "ratio_to_kb_encoder": round(own_ratio, 3),
        "reingest_unchanged": {"seconds": round(same.seconds, 3),
                               "share_of_full": round(same.seconds / full_s, 4)},
    }  # fmt: skip
    if not args.corpus:
        changed = corpus / "doc000.txt"
        changed.write_text(long_doc(random.Random(args.seed + 1000), 0, paras, args.words), encoding="utf-8")
        with Timer() as one:
            one_report = ingest(settings)
        doc = load_document(changed, "doc000.txt", 10**9)[0]
        mine = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
        own = sum(count([c.embedding_text() for c in mine])) / chunk_tokens
        result["reingest_one_changed"] = {
            "seconds": round(one.seconds, 3),
            "chunks_embedded": one_report.chunks_embedded,
            "share_of_full": round(one.seconds / full_s, 4),
            "document_own_share_of_full": round(own, 4),  # its tokens / all tokens
        }
        from kb.index.embedder import ensure_onnx

        with Timer() as export:
            ensure_onnx(settings.model_copy(update={"query_onnx": True}), embedder)
        result["onnx_export_once_seconds"] = round(export.seconds, 2)
    result["peak_rss_mb"] = round(peak_rss_mb())
    name = f"ingest-{Path(args.corpus).name}" if args.corpus else "ingest"
    write_result(name, result)
    print(result)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
