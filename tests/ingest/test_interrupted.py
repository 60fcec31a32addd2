"""SIGKILL a real `kb ingest` process at several points; the next run must leave a consistent index."""

import os
import signal
import subprocess
import sys

import pytest

from kb.ingest.pipeline import ingest
from tests.conftest import CORPUS, DOC_A, DOC_B, ROOT, assert_consistent, make_settings

pytestmark = pytest.mark.slow


def build_corpus(folder, n=12, tag="v1"):
    """n documents made from the two articles, each a little different."""
    folder.mkdir(parents=True, exist_ok=True)
    base = [(CORPUS / d).read_text(encoding="utf-8") for d in (DOC_A, DOC_B)]
    if tag != "v1":  # most chunks change, so the re-ingest has real embedding work to interrupt
        base = [b.replace("Node.js", f"Node ({tag})") for b in base]
    for i in range(n):
        extra = f"\n\nRevision Notes\n\nDocument {i} revision {tag} mentions framework number {i * 7}.\n"
        (folder / f"doc{i:02d}.txt").write_text(base[i % 2] + extra, encoding="utf-8")


def kill_ingest(settings, fraction):
    """Start `kb ingest` in a subprocess; SIGKILL it once it reports `fraction` of the chunks embedded."""
    env = {
        **os.environ,
        "KB_CORPUS_DIR": str(settings.corpus_dir),
        "KB_DATA_DIR": str(settings.data_dir),
        "KB_CHUNK_SIZE": str(settings.chunk_size),
        "KB_CHUNK_OVERLAP": str(settings.chunk_overlap),
        "KB_COMMIT_EVERY": "64",  # several commits per run, so a kill can land between them
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "ingest"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    for line in proc.stderr:  # progress lines: "embedding DONE/TOTAL texts ..."
        if line.startswith("embedding"):
            done, total = map(int, line.split()[1].split("/"))
            if done >= fraction * total:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.returncode


@pytest.mark.parametrize("fraction", [0.0, 0.5, 0.8])
def test_killed_reingest_is_repaired_by_the_next_run(tmp_path, fraction):
    s = make_settings(tmp_path, chunk_size=300, chunk_overlap=40)  # more chunks: a longer ingest to kill
    build_corpus(s.corpus_dir, tag="v1")
    ingest(s)
    build_corpus(s.corpus_dir, tag="v2")  # every document changes
    (s.corpus_dir / "doc11.txt").unlink()
    (s.corpus_dir / "late.txt").write_text("Late Arrival\n\nA brand new article about Elixir and Phoenix.\n")
    code = kill_ingest(s, fraction)
    assert code == -signal.SIGKILL, "the ingest finished before it could be killed"
    report = ingest(s)
    assert report.removed == ["doc11.txt"] and report.added == ["late.txt"]
    if fraction >= 0.8:  # past the first commit: the killed run had finished some documents
        assert 0 < len(report.unchanged) < 11
    assert_consistent(s)
    again = ingest(s)
    assert again.chunks_embedded == 0 and again.added == again.updated == again.removed == []


def test_killed_first_ingest_is_repaired(tmp_path):
    s = make_settings(tmp_path, chunk_size=300, chunk_overlap=40)
    build_corpus(s.corpus_dir)
    assert kill_ingest(s, 0.3) == -signal.SIGKILL
    ingest(s)
    assert_consistent(s)
