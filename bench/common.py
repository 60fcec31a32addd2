"""Shared helpers for the benchmarks: results files, peak memory, a reproducible corpus."""

from __future__ import annotations

import json
import platform
import random
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CACHE = ROOT / "bench" / "cache"
ARTICLES = sorted((ROOT / "corpus").glob("*.txt"))


def synthetic_marker(data_dir: Path) -> Path:
    """The file that says a cached synthetic index is complete and made by today's chunker."""
    from kb.text.chunker import CHUNKER_VERSION

    return data_dir / f"complete-v3-chunker{CHUNKER_VERSION}"  # v3: a vector per answer sentence


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({**meta, **data}, indent=2))
    print(f"wrote {path}")
    return path


def paragraphs() -> list[str]:
    """Non-empty lines of the built-in articles: the material synthetic documents are made of."""
    out = []
    for path in ARTICLES:
        out += [line for line in path.read_text(encoding="utf-8").split("\n") if len(line.strip()) > 30]
    return out


def synthetic_doc(rng: random.Random, i: int, paras: list[str], sections: int = 6) -> str:
    """An article-shaped text: a title, then headed sections of shuffled real paragraphs."""
    parts = [f"Synthetic Guide {i}: Backend Choices, Part {rng.randint(1, 99)}", ""]
    for s in range(sections):
        parts += [f"Section {s + 1} Notes on Topic {rng.randint(1, 500)}", ""]
        parts += rng.sample(paras, k=rng.randint(3, 6)) + [""]
    return "\n".join(parts)


def progress(items, doing: str, unit: str):
    """Iterate with a progress line (count, throughput, time left) on stderr."""
    from kb.progress import track

    return track(items, doing, unit)


class Timer:
    def __enter__(self) -> Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.t0
