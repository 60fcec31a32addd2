"""Present eval results: a side-by-side table, results JSON and a PNG chart."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

from kb.eval.metrics import percentile
from kb.eval.runner import RunResult
from kb.settings import EXTRACTIVE

ROWS = [
    ("hit@1", "{:.3f}"),
    ("hit@3", "{:.3f}"),
    ("mrr", "{:.3f}"),
    ("ndcg@5", "{:.3f}"),
    ("fact_recall", "{:.3f}"),
    ("citation_precision", "{:.3f}"),
    ("refusal_accuracy", "{:.3f}"),
    ("false_refusal_rate", "{:.3f}"),
    ("answer_words_median", "{:.0f}"),
    ("page_accuracy", "{:.3f}"),
    ("latency_p50_ms", "{:.0f}"),
    ("latency_p95_ms", "{:.0f}"),
    ("pass_rate", "{:.3f}"),
]
QUALITY = [name for name, _ in ROWS if not name.startswith(("latency", "answer_words"))]


def _cell(fmt: str, value: float | None) -> str:
    """A metric as shown; "–" for one with no questions (NaN, or null in results JSON)."""
    return "–" if value is None or math.isnan(value) else fmt.format(value)


def metric_rows(totals: list[dict]) -> list[list[str]]:
    """One row per metric (its name, then its value in each run's totals), formatted as kb
    prints them; metrics a run's totals lack (older results) are left out.

    >>> metric_rows([{"hit@3": 1.0, "refusal_accuracy": None}])
    [['hit@3', '1.000'], ['refusal_accuracy', '–']]
    """
    shown = [(name, fmt) for name, fmt in ROWS if all(name in t for t in totals)]
    return [[name] + [_cell(fmt, t[name]) for t in totals] for name, fmt in shown]


def table(runs: list[RunResult]) -> str:
    """Metrics as rows, configurations as columns."""
    head = ["metric"] + [r.config for r in runs]
    rows = [head] + metric_rows([r.totals for r in runs])
    rows.append(["passed"] + [f"{r.totals['passed']}/{r.totals['questions']}" for r in runs])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def llm_summary(run: RunResult) -> str | None:
    """For an LLM run: how many answers the model wrote, and how fast."""
    timed = [r.timings for r in run.cases if r.timings]
    if not timed:
        return None
    found = [r for r in run.cases if r.found]
    written = sum(1 for r in found if r.mode != EXTRACTIVE)
    first = percentile([t["first_token_s"] for t in timed], 50)
    speed = percentile([t["tokens_per_s"] for t in timed], 50)
    return (
        f"{run.config}: the model's answer was kept for {written}/{len(found)} answered questions "
        f"(the rest fell back to extractive); first token p50 {first:.2f} s, {speed:.1f} tokens/s p50"
    )


def failures(run: RunResult) -> str:
    out = [f"{r.id}: {'; '.join(r.reasons)}" for r in run.cases if not r.passed]
    return "\n".join(out) if out else "(none)"


def write_json(runs: list[RunResult], golden: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "latest.json"
    data = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "golden": str(golden),
        "runs": [r.to_dict() for r in runs],
    }
    for run in data["runs"]:  # JSON has no NaN: a metric with no questions is null
        totals = run["totals"]
        run["totals"] = {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in totals.items()}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return path


def write_chart(runs: list[RunResult], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / len(runs)
    metrics = [m for m in QUALITY if not all(math.isnan(r.totals[m]) for r in runs)]  # e.g. no refusals
    for i, run in enumerate(runs):
        xs = [x + i * width for x in range(len(metrics))]
        bars = ax.bar(xs, [run.totals[m] for m in metrics], width, label=run.config)
        ax.bar_label(bars, fmt="%.2f", fontsize=6, padding=1)
    ax.set_xticks([x + width * (len(runs) - 1) / 2 for x in range(len(metrics))])
    ax.set_xticklabels(metrics, rotation=25, ha="right", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("score (false_refusal_rate: lower is better)")
    ax.set_title("kb eval: metrics per configuration")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = out / "latest.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
