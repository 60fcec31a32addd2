"""The torch-free query path: ingest's ONNX export gives the model's own vectors."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from kb.index.embedder import get_embedder, query_embedder
from kb.index.onnx_model import OnnxEmbedder
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_ingest_exports_and_queries_use_it(real_index):
    assert isinstance(real_index.embedder, OnnxEmbedder)
    texts = [c.text for c in real_index.store.all_chunks()[:12]] + ["Python for serverless?", "x"]
    onnx_vecs = real_index.embedder.embed(texts)
    torch_vecs = get_embedder(real_index.settings).embed(texts)
    cos = (onnx_vecs * torch_vecs).sum(axis=1)
    assert onnx_vecs.shape == torch_vecs.shape == (len(texts), 384)
    assert cos.min() > 0.9999 and np.allclose(np.linalg.norm(onnx_vecs, axis=1), 1.0, atol=1e-5)


def test_query_onnx_off_uses_the_model_itself(real_index):
    settings = real_index.settings.model_copy(update={"query_onnx": False})
    assert not isinstance(query_embedder(settings, []), OnnxEmbedder)


def test_kb_ask_never_imports_torch(real_index):
    code = (
        "import sys; from kb.cli import main; code = main(['ask', 'Python for serverless?', '--json']); "
        "assert code == 0; assert 'torch' not in sys.modules, 'torch was imported'"
    )
    env = {
        **os.environ,
        "KB_DATA_DIR": str(real_index.settings.data_dir),
        "KB_CORPUS_DIR": str(real_index.settings.corpus_dir),
    }
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert '"found": true' in r.stdout


def test_a_damaged_export_is_refused_and_questions_fall_back_with_a_notice(real_index, tmp_path):
    import shutil

    from kb.errors import ModelLoadError
    from kb.layout import DataLayout
    from tests.index.test_lexical import overwrite

    data = tmp_path / "data"
    export = DataLayout(data).onnx("all-MiniLM-L6-v2")
    shutil.copytree(DataLayout.of(real_index.settings).onnx("all-MiniLM-L6-v2"), export)
    settings = real_index.settings.model_copy(update={"data_dir": data})
    OnnxEmbedder(export)  # the copy is sound
    model = export / "model.onnx"
    with open(model, "r+b") as f:  # 4 KB of garbage inside the word-embedding table: still loads,
        f.seek(model.stat().st_size // 2)  # and the check texts do not use those rows
        f.write(os.urandom(4096))
    with pytest.raises(ModelLoadError, match="damaged .files that do not match their checksums"):
        OnnxEmbedder(export)
    overwrite(model)
    with pytest.raises(ModelLoadError, match="damaged"):
        OnnxEmbedder(export)
    manifest = export / "manifest.json"  # an export made before kb kept checksums
    manifest.write_text(
        json.dumps({k: v for k, v in json.loads(manifest.read_text()).items() if k != "sha256"})
    )
    with pytest.raises(ModelLoadError, match="was made by an older kb"):
        OnnxEmbedder(export)
    notices = []
    assert not isinstance(query_embedder(settings, notices), OnnxEmbedder)
    assert len(notices) == 1 and "questions use torch until `kb ingest` exports it again" in notices[0]
