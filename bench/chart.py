"""Draw bench/results/bench.png from the results JSON files.

.venv/bin/python bench/chart.py
"""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from common import RESULTS  # noqa: E402


def main() -> None:
    load = {p.stem: json.loads(p.read_text()) for p in RESULTS.glob("*.json")}
    fig, axes = plt.subplots(1, 4, figsize=(18, 4.2))
    if "ingest" in load:
        r = load["ingest"]
        names = ["raw encode (float32)", "full kb ingest"]
        vals = [r["raw_encode"]["tokens_per_s"], r["full_ingest"]["corpus_tokens_per_s"]]
        bars = axes[0].bar(names, vals, color=["#999", "#1f77b4"])
        axes[0].bar_label(bars, fmt="%d")
        axes[0].set_title(f"corpus tokens/s (ratio {r['ratio_to_raw_encode']:.2f}; target >= 0.8)")
    if "query" in load:
        r = load["query"]
        sizes = [k for k in r if isinstance(r[k], dict)]
        stages = ["embed_question", "retrieve", "answer"]
        bottom = [0.0] * len(sizes)
        for stage in stages:
            vals = [r[s][f"{stage}_p50_ms"] for s in sizes]
            axes[1].bar(sizes, vals, bottom=bottom, label=stage)
            bottom = [b + v for b, v in zip(bottom, vals)]
        axes[1].axhline(30, color="red", linestyle="--", linewidth=1, label="target 30 ms")
        axes[1].set_title("query p50 ms by stage (warm)")
        axes[1].legend(fontsize=7)
        axes[1].tick_params(axis="x", labelsize=7)
    if "cold_start" in load:
        r = load["cold_start"]
        names = ["kb ask (onnx)", "kb ask (torch)", "chat 1st answer"]
        # kb ask to its printed answer; the chat to its process's end (its answer comes just before)
        asks = [r["kb_ask_onnx"], r["kb_ask_torch"]]
        vals = [run.get("to_printed_median_s", run["median_s"]) for run in asks]
        vals.append(r["chat_first_answer"]["median_s"])
        bars = axes[2].bar(names, vals, color=["#2ca02c", "#999", "#ff7f0e"])
        axes[2].bar_label(bars, fmt="%.1f s")
        axes[2].axhline(1, color="red", linestyle="--", linewidth=1, label="kb ask target 1 s")
        axes[2].axhline(1.5, color="#ff7f0e", linestyle="--", linewidth=1, label="chat target 1.5 s")
        axes[2].legend(fontsize=7)
        axes[2].set_title("cold start: median s to the answer")
        axes[2].tick_params(axis="x", labelsize=8)
    if "bm25" in load:
        r = load["bm25"]
        sizes = [k for k in r if isinstance(r[k], dict)]
        x = range(len(sizes))
        rebuild = axes[3].bar(
            [i - 0.2 for i in x], [r[k]["rebuild_s"] for k in sizes], 0.4, label="rebuild", color="#999"
        )
        patch = axes[3].bar(
            [i + 0.2 for i in x], [r[k]["patch_one_doc_s"] for k in sizes], 0.4, label="patch"
        )
        axes[3].bar_label(rebuild, fmt="%.1f s")
        axes[3].bar_label(patch, fmt="%.1f s")
        axes[3].axhline(2, color="red", linestyle="--", linewidth=1, label="target 2 s")
        axes[3].set_xticks(list(x), [f"{int(k):,} chunks" for k in sizes])
        axes[3].set_title("BM25 after one document changed")
        axes[3].legend(fontsize=7)
    fig.tight_layout()
    out = RESULTS / "bench.png"
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
