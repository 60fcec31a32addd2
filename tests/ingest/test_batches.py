"""Embedding batches: every text once, few per batch when lengths differ, same vectors as alone."""

import random

import numpy as np
import pytest

from kb.index.store import Store
from kb.ingest.batches import length_batches
from tests.conftest import copy_corpus, make_settings


def test_every_text_once_within_size_and_spread():
    rng = random.Random(3)
    lengths = [rng.choice([rng.randint(5, 40), rng.randint(150, 256)]) for _ in range(500)]
    batches = length_batches(lengths, size=32)
    assert sorted(i for b in batches for i in b) == list(range(500))
    for b in batches:
        assert len(b) <= 32
        assert max(lengths[i] for i in b) <= 1.5 * min(lengths[i] for i in b) + 8
    # short and long texts never share a batch, so no sentence is padded to a chunk's length
    assert not any(min(lengths[i] for i in b) <= 40 < max(lengths[i] for i in b) for b in batches)


def test_no_texts_no_batches():
    assert length_batches([], size=32) == []


@pytest.mark.slow
def test_stored_vectors_equal_embedding_each_text_alone(tmp_path):
    from kb.index.embedder import get_embedder
    from kb.ingest.pipeline import ingest

    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    store = Store(s)
    chunks = store.all_chunks()[:6]
    stored = store.get([c.chunk_id for c in chunks])
    embedder = get_embedder(s)
    for c in chunks:
        alone = embedder.embed([c.embedding_text()])[0]
        assert float(np.dot(alone, stored[c.chunk_id][1])) > 0.9999
