"""What scoring the dense candidates with BM25 adds to a hybrid query's BM25 step.

    .venv/bin/python bench/bm25_scores.py [--sizes 10000 100000]

For each size, a BM25 index of synthetic chunks (lines of the built-in articles, shuffled into
chunks of about 700 characters; no encoder needed) is built in a temporary folder. Each golden
question is then timed, in the same process, two ways: BM25's shortlist alone (`search`, 20
ids: the step before 2026-12-07) and the shortlist plus `scores` for 20 other chunk ids (the dense
side's candidates, here picked at random). Writes bench/results/bm25_scores.json with the p50s
and their ratio.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from common import paragraphs, peak_rss_mb, write_result

from kb.eval.golden import load_golden
from kb.eval.metrics import percentile
from kb.index.lexical import Bm25Index
from kb.types import Chunk

POOL = 20  # kb/qa/retrieve.py's POOL


def synthetic_chunks(n: int, seed: int) -> list[Chunk]:
    rng = random.Random(seed)
    lines = paragraphs()
    out = []
    for i in range(n):
        text = ""
        while len(text) < 700:
            text += rng.choice(lines) + "\n"
        out.append(Chunk(f"c{i}", f"syn/doc{i // 20:05d}.txt", "Synthetic", "", text, 0, len(text)))
    return out


def one_size(n: int, questions: list[str], seed: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        index = Bm25Index.build(synthetic_chunks(n, seed), near=Path(tmp) / "bm25")
        rng = random.Random(seed)
        before, after = [], []
        for _ in range(2):  # the first pass warms the searcher
            before, after = [], []
            for q in questions:
                t0 = time.perf_counter()
                index.search(q, POOL)
                before.append((time.perf_counter() - t0) * 1000)
                dense = [f"c{rng.randrange(n)}" for _ in range(POOL)]
                t0 = time.perf_counter()
                index.search(q, POOL)
                index.scores(q, dense)
                after.append((time.perf_counter() - t0) * 1000)
        b, a = percentile(before, 50), percentile(after, 50)
        return {"chunks": n, "search_p50_ms": round(b, 2), "search_and_scores_p50_ms": round(a, 2),
                "ratio": round(a / b, 2)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    questions = [c.question for c in load_golden("golden")]
    result = {str(n): one_size(n, questions, args.seed) for n in args.sizes}
    result["questions"] = len(questions)
    result["peak_rss_mb"] = round(peak_rss_mb())
    write_result("bm25_scores", result)
    print(result)


if __name__ == "__main__":
    main()
