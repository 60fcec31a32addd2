"""Query-time embedding without torch: an ONNX export of the same model, run by onnxruntime.

`kb ingest` (which has torch loaded anyway) exports the transformer once into the data folder;
questions are then embedded with onnxruntime + tokenizers, mean-pooled and normalised exactly
like sentence-transformers does. The export is checked against the model's own vectors (cosine
>= 0.9999) before use. Trade-off: a second copy of the model on disk, for a cold `kb ask` that
never imports torch (seconds saved per process; docs/design.md).
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np

from kb.errors import ModelLoadError

CHECK_TEXTS = ["Python for serverless?", "Node.js cold start times are faster than Python on AWS Lambda."]


def is_exported(folder: Path) -> bool:
    """Whether a finished export is in this folder."""
    return (Path(folder) / "manifest.json").exists()


def export(st_model, model_id: str, folder: Path) -> Path:
    """Write model.onnx, tokenizer.json and manifest.json for a loaded SentenceTransformer."""
    import torch

    bert = st_model[0].auto_model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sample = st_model.tokenizer(CHECK_TEXTS, padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    with warnings.catch_warnings():  # tracer chatter about BERT's masks; the check below is what counts
        warnings.simplefilter("ignore")
        _export_quietly(torch, Encoder(), sample, names, axes, tmp)
    st_model.tokenizer.save_pretrained(str(tmp))

    manifest = {"model": model_id, "max_seq_length": int(st_model.max_seq_length)}
    (tmp / "manifest.json").write_text(json.dumps(manifest))
    check = OnnxEmbedder(tmp)
    expected = st_model.encode(CHECK_TEXTS, normalize_embeddings=True)
    cos = (check.embed(CHECK_TEXTS) * expected).sum(axis=1)
    if cos.min() < 0.9999:
        raise ModelLoadError(f"the ONNX export of {model_id} does not match (cosine {cos.min():.5f})")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def _export_quietly(torch, module, sample, names, axes, folder: Path) -> None:
    torch.onnx.export(
        module,
        tuple(sample[n] for n in names),
        str(folder / "model.onnx"),
        input_names=names,
        output_names=["last_hidden_state"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )


class OnnxEmbedder:
    """Embedder over an exported model folder (see module docstring)."""

    def __init__(self, folder: Path, batch_size: int = 32, threads: int = 2) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise ModelLoadError(f"onnxruntime/tokenizers not installed ({e})") from e
        folder = Path(folder)
        manifest = json.loads((folder / "manifest.json").read_text())
        self.model_id, self.batch_size = manifest["model"], batch_size
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(manifest["max_seq_length"])
        self.tokenizer.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"]
        )
        self.dim = int(self.session.get_outputs()[0].shape[-1] or 0) or len(self.embed(["x"])[0])

    def embed(self, texts: list[str]) -> np.ndarray:
        out = []
        for i in range(0, len(texts), self.batch_size):
            enc = self.tokenizer.encode_batch(texts[i : i + self.batch_size])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            types = np.array([e.type_ids for e in enc], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        dim = out[0].shape[1] if out else getattr(self, "dim", 0)
        return np.concatenate(out).astype(np.float32) if out else np.zeros((0, dim), dtype=np.float32)
