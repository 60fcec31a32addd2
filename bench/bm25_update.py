"""What keeping BM25 in step costs when one document of a big index changes: rebuild vs patch.

    .venv/bin/python bench/bm25_update.py [--sizes 10000 100000]

Uses the synthetic indexes of query_latency.py (run that first; they are cached in bench/cache/).
For each size, in one process: a full rebuild of the BM25 snapshot from every chunk in Chroma
(what an ingest does when no snapshot matches), then a patch replacing one 50-chunk document with
an edited version of itself (what an ingest that changed one document does), then a check that
the patch and a rebuild of the same chunks hold the same ids and agree on the top 10 of a few
queries (tantivy counts deleted chunks in document frequencies until it merges segments, so
scores may differ slightly; `--no-check` skips that second rebuild, 8 minutes at 1M chunks), and
the patch back. Writes bench/results/bm25.json.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from common import CACHE, peak_rss_mb, progress, synthetic_marker, write_result

from kb.index.lexical import Bm25Index
from kb.index.store import Store
from kb.ingest.bm25_sync import save_bm25
from kb.layout import DataLayout
from kb.settings import Settings
from kb.types import Chunk


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def one_size(n: int, check: bool = True) -> dict:
    settings = Settings(data_dir=CACHE / f"syn-{n}-seed11")
    if not synthetic_marker(settings.data_dir).exists():
        raise SystemExit(f"no cached {n}-chunk index: run bench/query_latency.py first")
    store = Store(settings)
    doc_id = "syn/doc00000.txt"
    got = store.chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
    old = [Chunk(i, m["doc_id"], m["title"], m["section"], d, m["char_start"], m["char_end"])
           for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]  # fmt: skip
    edited = [replace(c, chunk_id=c.chunk_id + "e", text=c.text + " Edited.") for c in old]

    _, rebuild_s = timed(lambda: save_bm25(store, settings))
    patched, patch_s = timed(lambda: save_bm25(store, settings, ({doc_id}, edited)))
    assert patched.search("Edited", 1)[0][0].endswith("e") and len(patched) == n
    agree = []
    if check:  # the same chunks rebuilt from scratch hold the same ids and rank alike
        kept = [c for c in store.all_chunks() if c.doc_id != doc_id]
        chunks = sorted(kept + edited, key=lambda c: c.chunk_id)
        fresh = Bm25Index.build(chunks)
        assert len(patched) == len(fresh) == len(chunks)
        for q in ["serverless cold start", "Django admin", "hiring senior developers", "Edited"]:
            a, b = ({i for i, _ in index.search(q, 10)} for index in (patched, fresh))
            agree.append(len(a & b) / max(1, len(b)))
    # put the cached index's snapshot back as it was
    _, back_s = timed(lambda: save_bm25(store, settings, ({doc_id}, old)))
    size = sum(f.stat().st_size for f in DataLayout.of(settings).bm25.rglob("*"))
    return {"chunks": n, "rebuild_s": round(rebuild_s, 2), "patch_one_doc_s": round(patch_s, 2),
            "patch_back_s": round(back_s, 2), "speedup": round(rebuild_s / patch_s, 1),
            "snapshot_mb": round(size / 1e6, 1),
            "top10_agreement_with_rebuild": round(sum(agree) / len(agree), 3) if agree else None}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--no-check", action="store_true", help="skip the second rebuild that checks the patch")
    args = ap.parse_args()
    sizes = progress(args.sizes, "BM25 rebuild and patch", "sizes")
    result = {str(n): one_size(n, not args.no_check) for n in sizes}
    result["peak_rss_mb"] = round(peak_rss_mb())
    write_result("bm25", result)
    print(result)


if __name__ == "__main__":
    main()
