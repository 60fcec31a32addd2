"""Progress of long work (ingest, eval, bench): count, throughput and time left.

On a terminal a tqdm bar; in a log (CI, a pipe) a plain line every tenth of the work, so the log
stays short but still says how fast it goes and how long is left.
"""

from __future__ import annotations

import sys
import time


def progress_text(
    done: int, total: int, seconds: float, doing: str = "Embedding", unit: str = "texts"
) -> str:
    """A progress line: count, throughput and time left.

    >>> progress_text(50, 200, 10.0)
    'Embedding 50/200 texts · 5 texts/s · about 30 s left'
    >>> progress_text(3, 4, 120.0, "Measuring", "runs")
    'Measuring 3/4 runs · 0.025 runs/s · about 40 s left'
    >>> progress_text(200, 200, 40.0)
    'Embedding 200/200 texts · 5 texts/s'
    """
    rate = done / seconds if seconds > 0 else 0.0
    left = f" · about {(total - done) / rate:.0f} s left" if rate and done < total else ""
    return f"{doing} {done}/{total} {unit} · {rate:.3g} {unit}/s{left}"


class Progress:
    """Call with (done, total) as work is done; `close()` at the end.

    >>> import io
    >>> out = io.StringIO()
    >>> p = Progress("embedding", "chunks", out)
    >>> for i in range(1, 21):
    ...     p(i, 20)
    >>> len(out.getvalue().splitlines()), out.getvalue().split(" · ")[0].splitlines()[0]
    (10, 'embedding 2/20 chunks')
    """

    def __init__(self, doing: str, unit: str, file=None) -> None:
        self.doing, self.unit, self.file = doing, unit, file or sys.stderr
        self.t0, self.shown, self.bar = time.perf_counter(), 0, None

    def __call__(self, done: int, total: int) -> None:
        if not total:
            return
        if self.file.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit=self.unit, desc=self.doing, file=self.file, leave=False)
            self.bar.update(done - self.bar.n)
        elif done * 10 // total > self.shown:
            self.shown = done * 10 // total
            text = progress_text(done, total, time.perf_counter() - self.t0, self.doing, self.unit)
            print(text, file=self.file, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def track(items, doing: str, unit: str):
    """Iterate over a sized iterable, showing progress."""
    items = list(items)
    bar = Progress(doing, unit)
    for i, item in enumerate(items, 1):
        yield item
        bar(i, len(items))
    bar.close()
