"""`kb doctor` (kb/ingest/doctor.py) on real indexes: healthy, interrupted, damaged."""

import pytest

from kb.index.store import Store
from kb.ingest.doctor import doctor
from kb.ingest.pipeline import ingest
from kb.layout import DataLayout
from tests.conftest import DOC_A, assert_consistent, copy_corpus, make_settings
from tests.index.test_lexical import largest_file, overwrite

pytestmark = pytest.mark.slow


def statuses(findings) -> list[str]:
    return [f.status for f in findings]


def test_a_healthy_index_is_all_ok_and_damage_is_repaired(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    assert statuses(doctor(s)) == ["ok", "ok", "ok"]
    overwrite(largest_file(DataLayout.of(s).bm25))
    store = Store(s)
    chunk = store.all_chunks()[0]
    store.sentences.add(
        ids=["stray#0"], embeddings=[[0.1] * 384], metadatas=[{"chunk_id": "gone", "doc_id": "x"}]
    )
    found = doctor(s)
    repaired = [f.text for f in found if f.status == "repaired"]
    assert "problem" not in statuses(found) and len(repaired) == 2
    assert "deleted 1 sentence vectors no chunk owns" in repaired[0] and "damaged" in repaired[1]
    assert_consistent(s)
    assert chunk.chunk_id in {c.chunk_id for c in Store(s).all_chunks()}
    assert statuses(doctor(s)) == ["ok", "ok", "ok"]


def test_an_ingest_killed_before_publishing_is_published(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    a = s.corpus_dir / DOC_A
    a.write_text(a.read_text().replace("Python", "Pythonic"))

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr("kb.ingest.pipeline.save_bm25", killed)
        with pytest.raises(KeyboardInterrupt):
            ingest(s)
    found = doctor(s)
    assert (
        found[0].status == "repaired"
        and "published the state an interrupted ingest had written" in found[0].text
    )
    assert "problem" not in statuses(found)
    assert_consistent(s)  # replaced chunks deleted, snapshot in step


def test_an_index_that_cannot_be_opened_is_a_problem_with_the_way_out(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    found = doctor(s)
    assert statuses(found) == ["problem"] and "run `kb ingest` first" in found[0].text
