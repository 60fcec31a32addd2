"""The BM25 index on its own: a real tantivy index over hand-made chunks."""

import os

import pytest

from kb.index.lexical import MANIFEST, Bm25Index, Damaged
from kb.types import Chunk


def chunks(*texts, doc="doc.txt", start=0):
    return [Chunk(f"c{i + start}", doc, "", "", t, 0, len(t)) for i, t in enumerate(texts)]


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


def test_scores_of_chosen_chunks_are_their_search_scores_however_far_down_they_rank():
    texts = [f"django note {i}" for i in range(30)] + ["lambda django", "celery only", "django django prisma"]
    index = Bm25Index.build(chunks(*texts))
    full = dict(index.search("django prisma", 100))
    assert "c30" not in dict(index.search("django prisma", 3))  # far down the shortlist
    got = index.scores("django prisma", ["c30", "c31", "c32", "nowhere"])
    assert got == pytest.approx({"c30": full["c30"], "c32": full["c32"]}, rel=1e-6)  # c31 shares no term
    assert index.scores("zebra", ["c30"]) == {} and index.scores("django", []) == {}


def test_ideal_score_ignores_words_the_corpus_never_uses():
    index = Bm25Index.build(chunks("django lambda", "express prisma"))
    assert index.ideal_score("zebra quasar") == 0.0
    assert index.ideal_score("django zebra") == index.ideal_score("django")


def test_a_patch_drops_documents_adds_chunks_and_leaves_the_saved_snapshot_alone(tmp_path):
    folder = tmp_path / "bm25"
    Bm25Index.build(
        chunks("django lambda", "express prisma") + chunks("kafka streams", doc="b.txt", start=2)
    ).save(folder)
    patched = Bm25Index.patch(folder, {"doc.txt"}, chunks("django celery", doc="doc.txt", start=5))
    assert patched.ids == ["c2", "c5"] and patched.search("django", 5)[0][0] == "c5"
    assert patched.search("express", 5) == []
    assert Bm25Index.load(folder).ids == ["c0", "c1", "c2"]  # published only when saved
    patched.save(folder)
    again = Bm25Index.load(folder)
    assert again.token == patched.token and again.ids == ["c2", "c5"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25"]  # no copy left behind


def overwrite(path, offset: int = 0) -> None:
    """Garbage of the same size over a file."""
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(os.urandom(size - offset))


def largest_file(folder):
    """The largest file of a saved snapshot, its manifest aside."""
    return max((p for p in folder.iterdir() if p.name != MANIFEST), key=lambda p: p.stat().st_size)


def test_a_snapshot_file_overwritten_with_garbage_is_damaged_not_loaded_nor_patched(tmp_path):
    folder = tmp_path / "bm25"
    Bm25Index.build(chunks("django lambda", "express prisma", "lambda kafka")).save(folder)
    assert Bm25Index.load(folder).search("django", 1)[0][0] == "c0"
    victim = largest_file(folder)
    overwrite(victim)
    with pytest.raises(Damaged, match=f"{victim.name} does not match its checksum"):
        Bm25Index.load(folder)
    assert Bm25Index.patch(folder, set(), []) is None  # the caller rebuilds from Chroma


def test_a_missing_file_is_damaged(tmp_path):
    folder = tmp_path / "bm25"
    Bm25Index.build(chunks("django lambda")).save(folder)
    next(p for p in folder.iterdir() if p.suffix == ".idx").unlink()
    with pytest.raises(Damaged, match="not the ones its manifest lists"):
        Bm25Index.load(folder)


def test_a_failed_save_leaves_the_old_snapshot_and_no_temporary_folder(tmp_path, monkeypatch):
    folder = tmp_path / "bm25"
    Bm25Index.build(chunks("django lambda")).save(folder)
    before = Bm25Index.load(folder).token

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    new = Bm25Index.build(chunks("express prisma"), near=folder)
    monkeypatch.setattr("kb.index.lexical._sha256", full)
    with pytest.raises(OSError):
        new.save(folder)
    monkeypatch.undo()
    del new  # an unsaved index's folder goes with it
    assert Bm25Index.load(folder).token == before and sorted(p.name for p in tmp_path.iterdir()) == ["bm25"]


def test_a_patch_copies_files_where_the_file_system_has_no_hard_links(tmp_path, monkeypatch):
    folder = tmp_path / "bm25"
    Bm25Index.build(chunks("django lambda", "express prisma")).save(folder)

    def no_links(*args):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr("kb.index.lexical.os.link", no_links)
    patched = Bm25Index.patch(folder, {"doc.txt"}, chunks("kafka streams", start=7))
    assert patched.ids == ["c7"] and Bm25Index.load(folder).ids == ["c0", "c1"]
