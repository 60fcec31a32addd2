"""Soak: 20 real `kb ingest` processes SIGKILLed at random moments over an 80-document corpus
that changes between runs, each followed by a completing ingest; the result must equal a clean
build of the same corpus (documents, chunks, no duplicate ids, BM25, answers)."""

import os
import random
import re
import signal
import subprocess
import sys
import time

import pytest

from kb.index.reader import open_index
from kb.index.store import Store
from kb.ingest.pipeline import ingest
from kb.qa.ask import ask
from tests.conftest import CORPUS, DOC_A, DOC_B, ROOT, assert_consistent, make_settings

pytestmark = pytest.mark.slow
ROUNDS, DOCS = 20, 80
QUESTIONS = ["Python for serverless?", "How long does a Django MVP take?", "What does revision 3 mention?",
             "Which framework handles real-time apps?", "How fast is FastAPI?"]  # fmt: skip


def paragraphs() -> list[str]:
    text = "\n\n".join((CORPUS / d).read_text(encoding="utf-8") for d in (DOC_A, DOC_B))
    return [p.strip() for p in text.split("\n\n") if len(p.split()) > 12]


def write_doc(folder, i: int, rev: int, rng: random.Random, paras: list[str]) -> None:
    body = "\n\n".join(rng.sample(paras, 3))
    # the revision line under the title: as the last line of every document it would be a footer
    # (kb/text/boilerplate.py: one shape, digits aside, ending most documents) and leave the chunks
    (folder / f"doc{i:03d}.txt").write_text(
        f"Document {i}\n\nRevision {rev} mentions item {i * 7 + rev}.\n\n{body}\n"
    )


def mutate(folder, rng: random.Random, rev: int, paras: list[str]) -> None:
    docs = sorted(folder.glob("*.txt"))
    for p in rng.sample(docs, 6):
        write_doc(folder, int(p.stem[3:]), rev, rng, paras)
    rng.choice(docs).unlink()
    write_doc(folder, DOCS + rev, rev, rng, paras)


def sentences(answer: str) -> list[str]:
    """An answer's sentences without their citation marks, sorted.

    >>> sentences("B is so [2]. A is too [1].")
    ['A is too.', 'B is so.']
    """
    return sorted(re.split(r"(?<=[.!?]) ", re.sub(r" \[\d+\]", "", answer)))


def killed_ingest(s, rng: random.Random) -> bool:
    """Start `kb ingest`; SIGKILL it a random moment after it starts embedding. True if killed."""
    env = {
        **os.environ,
        "KB_CORPUS_DIR": str(s.corpus_dir),
        "KB_DATA_DIR": str(s.data_dir),
        "KB_COMMIT_EVERY": "8",
    }
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "ingest"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    for line in proc.stderr:
        if line.startswith("embedding"):
            break
    time.sleep(rng.uniform(0, 1.5))  # into the embedding, the writes, the publishing or past the end
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.returncode == -signal.SIGKILL


def test_twenty_random_kills_then_completing_ingests_equal_a_clean_build(tmp_path):
    rng, paras = random.Random(16), paragraphs()
    s = make_settings(tmp_path / "soak")
    s.corpus_dir.mkdir(parents=True)
    for i in range(DOCS):
        write_doc(s.corpus_dir, i, 0, rng, paras)
    ingest(s)
    kills = 0
    for rev in range(1, ROUNDS + 1):
        mutate(s.corpus_dir, rng, rev, paras)
        kills += killed_ingest(s, rng)
        ingest(s)
        assert_consistent(s)
    clean = make_settings(tmp_path / "clean", s.corpus_dir)
    ingest(clean)
    ours, theirs = Store(s), Store(clean)
    assert ours.count() == theirs.count() == len({c.chunk_id for c in ours.all_chunks()})  # no duplicates
    assert {c.chunk_id for c in ours.all_chunks()} == {c.chunk_id for c in theirs.all_chunks()}
    counts = {d: r.n_chunks for d, r in ours.doc_records().items()}
    assert counts == {d: r.n_chunks for d, r in theirs.doc_records().items()}
    a, b = open_index(s), open_index(clean)
    assert sorted(a.bm25.ids) == sorted(b.bm25.ids)
    for q in QUESTIONS:
        x, y = ask(a, q), ask(b, q)
        # tantivy counts deleted chunks in its document frequencies until segments merge, so the
        # patched index's BM25 drifts a little from a clean build's (seen: 0.0001), enough to swap
        # two passages that tie but for a line ("Revision 19 mentions item 397.") and with them the
        # order of their sentences in the answer (seen once in CI, 2026-12-07). Documents share
        # paragraphs, so a sentence may be cited from an equal passage of another document,
        # numbered differently: the answers must hold the same sentences, word for word
        assert sentences(x.text) == sentences(y.text)
        assert [h.score for h in x.hits] == pytest.approx([h.score for h in y.hits], abs=0.005)
        assert x.hits[0].chunk.text == y.hits[0].chunk.text
    print(f"\nsoak: {kills}/{ROUNDS} ingests killed mid-run, {ROUNDS}/{ROUNDS} repaired to a clean build")
    assert kills >= ROUNDS // 2  # most kills landed before the run could finish
