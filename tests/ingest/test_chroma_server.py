"""The same ingest and ask against a real `chroma run` server on 127.0.0.1."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ingest.pipeline import ingest
from kb.errors import StoreUnavailableError
from qa.ask import ask
from qa.index import open_index
from tests.conftest import DOC_B, assert_consistent, copy_corpus, make_settings

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "chroma")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("chroma run did not start")
            time.sleep(0.2)
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
