"""Query-time embedding without torch: an ONNX export of the same model, run by onnxruntime.

`kb ingest` (which has torch loaded anyway) exports the transformer once into the data folder;
questions are then embedded with onnxruntime + tokenizers, mean-pooled and normalised exactly
like sentence-transformers does. The export is checked against the model's own vectors (cosine
>= 0.9999) before it is renamed into place; its manifest keeps those vectors and each file's
SHA-256. Every load checks both (the hash runs on a thread while onnxruntime loads the model, so
it costs little wall time) and refuses an export that no longer matches.
Trade-off: a second copy of the model on disk, for a cold `kb ask` that never imports torch
(seconds saved per process; docs/design.md).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from kb.errors import ModelLoadError

CHECK_TEXTS = ["Python for serverless?", "Node.js cold start times are faster than Python on AWS Lambda."]


HASHED = ("model.onnx", "tokenizer.json")


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _hashes(folder: Path) -> dict[str, str]:
    return {name: _sha256(folder / name) for name in HASHED}


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
    try:
        tmp.mkdir(parents=True)
        sample = st_model.tokenizer(CHECK_TEXTS, padding=True, return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        with warnings.catch_warnings():  # tracer chatter about BERT's masks; the check is what counts
            warnings.simplefilter("ignore")
            _export_quietly(torch, Encoder(), sample, names, axes, tmp)
        st_model.tokenizer.save_pretrained(str(tmp))
        expected = st_model.encode(CHECK_TEXTS, normalize_embeddings=True)
        manifest = {"model": model_id, "max_seq_length": int(st_model.max_seq_length),
                    "check": [[round(float(x), 6) for x in row] for row in expected],
                    "sha256": {name: _sha256(tmp / name) for name in HASHED}}  # fmt: skip
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        OnnxEmbedder(tmp)  # loads and checks itself against `expected`
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # e.g. a full disk: leave nothing half-written
        raise
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
        folder = Path(folder)
        with ThreadPoolExecutor(1) as pool:
            hashing = pool.submit(_hashes, folder)  # hashlib releases the GIL: runs beside the loading
            self._load(folder, batch_size, threads, hashing)

    def _load(self, folder: Path, batch_size: int, threads: int, hashing) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise ModelLoadError(f"onnxruntime/tokenizers not installed ({e})") from e

        try:
            manifest = json.loads((folder / "manifest.json").read_text())
            if "sha256" not in manifest:
                raise ModelLoadError(f"the ONNX export in {folder} was made by an older kb")
            self.model_id, self.batch_size = manifest["model"], batch_size
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self.tokenizer.enable_truncation(manifest["max_seq_length"])
            self.tokenizer.enable_padding()
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            self.session = ort.InferenceSession(
                str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"]
            )
            got, expected = self.embed(CHECK_TEXTS), np.asarray(manifest["check"], dtype=np.float32)
            cos = float((got * expected).sum(axis=1).min())
            sums_match = hashing.result() == manifest["sha256"]
        except ModelLoadError:
            raise
        except Exception as e:  # noqa: BLE001 - whatever is wrong with the files, it is this export
            raise ModelLoadError(f"the ONNX export in {folder} is damaged ({type(e).__name__}: {e})") from e
        if not sums_match or cos < 0.9999:
            why = "files that do not match their checksums" if not sums_match else f"cosine {cos:.5f}"
            raise ModelLoadError(f"the ONNX export in {folder} is damaged ({why})")
        self.dim = got.shape[1]

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
