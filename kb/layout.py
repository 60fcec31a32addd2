"""Where kb keeps things in its data folder (`KB_DATA_DIR`): the one place that names those paths.

chroma/                  the embedded Chroma database (unused with a Chroma server)
bm25/<collection>/       the BM25 snapshot of that collection
ingest-<collection>.lock held by the ingest writing that collection (kb/ingest/lock.py)
models/<model id>/       the ONNX export of the embedding model, for torch-free questions
models/<name>.gguf       the packaged LLM, written on first use
conversations.sqlite     the chat's saved conversations (kb/history.py)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PACKAGED_GGUF = "gemma3-270m-q4_k_m.gguf"


@dataclass(frozen=True)
class DataLayout:
    """Paths inside one data folder, for one collection.

    >>> d = DataLayout(Path("/srv/kb"), "docs")
    >>> str(d.bm25), str(d.onnx("sentence-transformers/all-MiniLM-L6-v2"))
    ('/srv/kb/bm25/docs', '/srv/kb/models/sentence-transformers_all-MiniLM-L6-v2')
    """

    data_dir: Path
    collection: str = "kb"

    @classmethod
    def of(cls, settings) -> DataLayout:
        return cls(Path(settings.data_dir), settings.collection)

    @property
    def chroma(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def bm25(self) -> Path:
        return self.data_dir / "bm25" / self.collection

    @property
    def lock(self) -> Path:
        return self.data_dir / f"ingest-{self.collection}.lock"

    @property
    def models(self) -> Path:
        return self.data_dir / "models"

    def onnx(self, model_id: str) -> Path:
        return self.models / re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)

    @property
    def conversations(self) -> Path:
        return self.data_dir / "conversations.sqlite"

    @property
    def gguf(self) -> Path:
        return self.models / PACKAGED_GGUF
