"""One ingest at a time (kb/ingest/lock.py), with real `kb ingest` processes."""

import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT, assert_consistent, make_settings
from tests.ingest.test_interrupted import build_corpus

pytestmark = pytest.mark.slow


def start_ingest(s, *flags):
    env = {**os.environ, "KB_CORPUS_DIR": str(s.corpus_dir), "KB_DATA_DIR": str(s.data_dir),
           "KB_CHUNK_SIZE": str(s.chunk_size), "KB_CHUNK_OVERLAP": str(s.chunk_overlap)}  # fmt: skip
    cmd = [sys.executable, "-m", "kb.cli", "ingest", *flags]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def embedding(proc) -> None:
    """Wait until the ingest reports its first embedded texts (it holds the lock by then)."""
    for line in proc.stderr:
        if line.startswith("embedding"):
            return
    pytest.fail("the first ingest ended before embedding anything")


def test_a_second_ingest_is_refused_while_one_runs_and_a_killed_one_leaves_no_lock(tmp_path):
    s = make_settings(tmp_path, chunk_size=300, chunk_overlap=40)
    build_corpus(s.corpus_dir)
    first = start_ingest(s)
    embedding(first)
    second = start_ingest(s)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 1
    assert f"another ingest is running on this index (pid {first.pid})" in err
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    third = start_ingest(s)  # the lock died with its holder
    out, err = third.communicate(timeout=600)
    assert third.returncode == 0, err
    assert_consistent(s)


def test_with_wait_the_second_ingest_runs_after_the_first(tmp_path):
    s = make_settings(tmp_path, chunk_size=300, chunk_overlap=40)
    build_corpus(s.corpus_dir, n=6)
    first = start_ingest(s)
    embedding(first)
    second = start_ingest(s, "--wait")
    outs = [proc.communicate(timeout=600)[0] for proc in (first, second)]
    assert first.returncode == second.returncode == 0
    assert "6 added" in outs[0] and "6 unchanged; 0 chunks embedded" in outs[1]  # it waited its turn
