"""The torch embedder's arithmetic: bfloat16 only where its vectors are float32's."""

import numpy as np
import pytest

from kb.index import embedder as emb
from kb.index.embedder import SentenceTransformerEmbedder, native_bf16
from kb.settings import DEFAULT_MODEL

pytestmark = pytest.mark.slow

TEXTS = [
    "Django ships an ORM, admin panel, authentication and migrations out of the box.",
    "pg_dump > Options\nDump only the object definitions (schema), not data.",
    "Why do lambdas defined in a loop with different values all return the same result?",
]


def test_bfloat16_vectors_match_float32():
    exact = SentenceTransformerEmbedder(DEFAULT_MODEL, precision="float32")
    fast = SentenceTransformerEmbedder(DEFAULT_MODEL, precision="bfloat16")
    assert not exact.bf16 and fast.bf16
    cos = (exact.embed(TEXTS) * fast.embed(TEXTS)).sum(axis=1)
    assert cos.min() >= emb.BF16_MIN_COSINE and not np.array_equal(exact.embed(TEXTS), fast.embed(TEXTS))


def test_auto_follows_the_cpu():
    assert SentenceTransformerEmbedder(DEFAULT_MODEL, precision="auto").bf16 == native_bf16()


def test_bfloat16_that_does_not_match_is_not_used(monkeypatch):
    monkeypatch.setattr(emb, "BF16_MIN_COSINE", 1.01)  # no arithmetic passes this
    assert not SentenceTransformerEmbedder(DEFAULT_MODEL, precision="bfloat16").bf16


def test_the_vocabulary_is_the_packaged_models_whole_words_and_empty_for_a_model_without_one(tmp_path):
    words = emb.vocabulary(DEFAULT_MODEL)
    assert {"package", "python", "integer"} <= words and not {"npm", "bigint", "django"} & words
    assert emb.vocabulary(str(tmp_path)) == frozenset()  # a local model folder with no vocab.txt
