"""Group texts into embedding batches so little of each batch is padding.

A transformer pads every text of a batch to its longest, so texts are sorted by length (token
counts when the embedder can count them) and a batch also closes when the next text is much
longer than its first: a small re-ingest's few chunks and many short sentences then never share
a batch. Trade-off: more, smaller batches, each with a few ms of per-call overhead, so texts
within `spread` times (plus `slack` tokens) of each other stay together. docs/design.md.
"""

from __future__ import annotations


def length_batches(lengths: list[int], size: int, spread: float = 1.5, slack: int = 8) -> list[list[int]]:
    """Indices to embed together: shortest first, at most `size` per batch, similar lengths.

    >>> length_batches([80, 20, 25, 84, 22], size=32)
    [[1, 4, 2], [0, 3]]
    >>> length_batches([10, 11, 12, 13], size=3)
    [[0, 1, 2], [3]]
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    for i in order:
        batch = batches[-1] if batches else None
        if batch and len(batch) < size and lengths[i] <= spread * lengths[batch[0]] + slack:
            batch.append(i)
        else:
            batches.append([i])
    return batches
