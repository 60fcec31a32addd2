"""The same ingest and ask against a real `chroma run` server on 127.0.0.1."""

import os
import subprocess
import sys

import pytest

from kb.errors import StoreUnavailableError
from kb.index.reader import open_index
from kb.ingest.pipeline import ingest
from kb.qa.ask import ask
from tests.conftest import DOC_B, assert_consistent, copy_corpus, free_port, make_settings, wait_for_http

pytestmark = pytest.mark.slow


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "chroma")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, 30)
    yield proc, port
    proc.kill()
    proc.wait(timeout=10)


def test_ingest_and_ask_through_a_chroma_server(tmp_path, chroma_server):
    proc, port = chroma_server
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"), chroma_host="127.0.0.1", chroma_port=port)
    r = ingest(s)
    assert r.chunks_embedded == r.chunks_total > 20
    assert not (tmp_path / "data" / "chroma").exists()  # nothing went to the embedded store
    assert_consistent(s)
    assert ingest(s).chunks_embedded == 0
    answer = ask(open_index(s), "Python for serverless?")
    assert answer.found and answer.citations[0].hit.chunk.doc_id == DOC_B

    proc.kill()
    proc.wait(timeout=10)
    with pytest.raises(StoreUnavailableError, match="Chroma"):
        ingest(s)
