"""The BM25 index on its own: a real bm25s index over hand-made chunks."""

import os

import pytest

from kb.index.lexical import Bm25Index, Damaged
from kb.types import Chunk


def chunks(*texts):
    return [Chunk(f"c{i}", "doc.txt", "", "", t, 0, len(t)) for i, t in enumerate(texts)]


def test_ideal_score_is_what_a_chunk_with_every_query_term_once_scores():
    # four chunks of equal length, so each is of average length
    index = Bm25Index.build(chunks("django lambda", "django celery", "express prisma", "lambda prisma"))
    ideal = index.ideal_score("django prisma?")
    assert ideal > 0
    scores = dict(index.search("django prisma?", 4))
    # no chunk holds both terms: each scores one term's share of the ideal (both are in 2 of 4)
    assert scores["c0"] == pytest.approx(ideal / 2, rel=1e-4)
    both = Bm25Index.build(chunks("django prisma", "django celery", "express prisma", "lambda kafka"))
    assert dict(both.search("django prisma", 4))["c0"] == pytest.approx(
        both.ideal_score("django prisma"), rel=1e-4
    )


def test_ideal_score_ignores_words_the_corpus_never_uses():
    index = Bm25Index.build(chunks("django lambda", "express prisma"))
    assert index.ideal_score("zebra quasar") == 0.0
    assert index.ideal_score("django zebra") == index.ideal_score("django")


def overwrite(path, offset: int = 128) -> None:
    """Garbage of the same size over a file, its first bytes (e.g. a .npy header) left intact."""
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(os.urandom(size - offset))


@pytest.mark.parametrize(
    "name", ["model/data.csc.index.npy", "model/indices.csc.index.npy", "model/indptr.csc.index.npy"]
)
def test_a_snapshot_file_overwritten_with_garbage_is_damaged_not_loaded(tmp_path, name):
    Bm25Index.build(chunks("django lambda", "express prisma", "lambda kafka")).save(tmp_path / "bm25")
    assert Bm25Index.load(tmp_path / "bm25").search("django", 1)[0][0] == "c0"
    overwrite(tmp_path / "bm25" / name)
    with pytest.raises(Damaged, match=f"{name} does not match its checksum"):
        Bm25Index.load(tmp_path / "bm25")


def test_a_truncated_tokens_file_is_not_patched_from(tmp_path):
    folder = tmp_path / "bm25"
    Bm25Index.build(chunks("django lambda", "express prisma")).save(folder)
    assert Bm25Index.patch(folder, set(), []) is not None
    tokens = folder / "tokens.npz"
    os.truncate(tokens, tokens.stat().st_size // 2)
    assert Bm25Index.patch(folder, set(), []) is None  # the caller rebuilds from Chroma
    assert Bm25Index.load(folder) is not None  # the index itself is intact


def test_a_failed_save_leaves_the_old_snapshot_and_no_temporary_folder(tmp_path, monkeypatch):
    folder = tmp_path / "bm25"
    Bm25Index.build(chunks("django lambda")).save(folder)
    before = Bm25Index.load(folder).token

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kb.index.lexical._save_tokens", full)
    with pytest.raises(OSError):
        Bm25Index.build(chunks("express prisma")).save(folder)
    assert Bm25Index.load(folder).token == before and sorted(p.name for p in tmp_path.iterdir()) == ["bm25"]
