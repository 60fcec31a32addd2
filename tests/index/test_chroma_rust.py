"""Reading embedded Chroma through chromadb's compiled bindings (kb/index/chroma_rust.py): the same
rows as chromadb's own client, no chromadb import in a question's process, and chromadb's client
when the bindings are not the ones kb knows."""

import os
import subprocess
import sys

import chromadb
import numpy as np
import pytest

import kb.index.chroma_rust as chroma_rust
from kb.index.chroma_rust import RustClient, rust_client
from kb.index.store import Store
from kb.layout import DataLayout

pytestmark = pytest.mark.slow


def test_the_bindings_read_the_same_rows_as_chromadbs_client(real_index):
    folder = DataLayout.of(real_index.settings).chroma
    name = f"{real_index.settings.collection}_chunks"
    ours = rust_client(folder).get_collection(name)
    theirs = Store(real_index.settings).chunks  # chromadb's client, as a writer opens it
    assert isinstance(theirs, chromadb.Collection)
    assert ours.count() == theirs.count() > 20

    include = ["documents", "metadatas", "embeddings"]
    a, b = ours.get(include=include, limit=7, offset=3), theirs.get(include=include, limit=7, offset=3)
    assert a["ids"] == b["ids"] and len(a["ids"]) == 7
    assert a["documents"] == b["documents"] and a["metadatas"] == b["metadatas"]
    assert np.allclose(np.asarray(a["embeddings"]), np.asarray(b["embeddings"]))
    picked = ours.get(ids=a["ids"][:2], include=["metadatas"])
    assert sorted(picked["ids"]) == sorted(a["ids"][:2])
    where = {"doc_id": a["metadatas"][0]["doc_id"]}
    assert ours.get(where=where, include=[])["ids"] == theirs.get(where=where, include=[])["ids"]

    vector = np.asarray(a["embeddings"][0]).tolist()
    include = ["documents", "metadatas", "distances"]
    q = ours.query([vector], 5, include)
    r = theirs.query(query_embeddings=[vector], n_results=5, include=include)
    assert q["ids"] == r["ids"] and q["ids"][0][0] == a["ids"][0]
    assert np.allclose(q["distances"], r["distances"], atol=1e-6)


def test_a_question_reads_through_the_bindings_and_never_imports_chromadb(real_index):
    assert isinstance(Store(real_index.settings, read_only=True).client, RustClient)
    assert not isinstance(Store(real_index.settings).client, RustClient)  # writers use chromadb
    script = (
        "import sys; from kb.index.reader import open_index; from kb.qa.ask import ask; "
        "from kb.settings import Settings; a = ask(open_index(Settings()), 'Python for serverless?'); "
        "print(a.found, 'chromadb' in sys.modules)"
    )
    env = dict(os.environ, KB_DATA_DIR=str(real_index.settings.data_dir))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_bindings_with_other_arguments_fall_back_to_chromadbs_client(real_index, monkeypatch):
    class Changed:  # a future version whose query takes other arguments
        def query(self): ...

    Changed.query.__text_signature__ = "($self, collection_id, embeddings, k)"
    import chromadb_rust_bindings

    monkeypatch.setattr(chromadb_rust_bindings, "Bindings", Changed)
    folder = DataLayout.of(real_index.settings).chroma
    assert chroma_rust.rust_client(folder) is None
    store = Store(real_index.settings, read_only=True)
    assert not isinstance(store.client, RustClient) and store.count() > 20
