"""The BM25 side of hybrid retrieval (bm25s): a snapshot on disk, patched or rebuilt by ingest.

Chroma is the source of truth. The snapshot is tagged with a token that ingest records in the
index info; a reader whose snapshot token differs from the index's rebuilds it from Chroma
(kb/index/reader.py). The snapshot also keeps each chunk's tokens (tokens.npz), so an ingest that
knows what it changed patches it instead of reading every chunk back; bm25s indexes are static,
so re-indexing stays linear in the corpus. It is written to a temporary folder and renamed into
place, and its manifest holds each file's SHA-256: a file that does not match on load makes the
snapshot `Damaged` (the reader rebuilds it from Chroma). Measurements: docs/design.md.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
import zipfile
from pathlib import Path

import numpy as np

from kb.text.tokens import tokenize
from kb.types import Chunk


class Damaged(Exception):
    """A saved snapshot whose files do not match its manifest."""


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _checked(folder: Path, manifest: dict, names: list[str]) -> None:
    """Damaged unless each named file matches the checksum the manifest recorded for it."""
    sums = manifest.get("sha256")
    if not isinstance(sums, dict):
        raise Damaged("its manifest has no checksums (written by an older kb)")
    for name in names:
        try:
            ok = _sha256(folder / name) == sums[name]
        except (OSError, KeyError):
            ok = False
        if not ok:
            raise Damaged(f"{name} does not match its checksum")


class Bm25Index:
    """A BM25 index over chunk ids."""

    def __init__(self, model, ids: list[str], token: str, corpus=None) -> None:
        self.model, self.ids, self.token = model, ids, token
        self._corpus = corpus  # (documents, token lists) when built here: saved for patching

    @classmethod
    def build(cls, chunks: list[Chunk]) -> Bm25Index:
        """Index the chunks' texts (with their headings), in the order given."""
        return cls._index([c.chunk_id for c in chunks], [c.doc_id for c in chunks], _tokens(chunks))

    @classmethod
    def _index(cls, ids: list[str], docs: list[str], tokens: list[list[str]]) -> Bm25Index:
        import bm25s

        model = bm25s.BM25()
        if tokens:
            model.index(tokens, show_progress=False)
        return cls(model, ids, uuid.uuid4().hex, (docs, tokens))

    @classmethod
    def patch(cls, folder: Path, drop_docs: set[str], chunks: list[Chunk]) -> Bm25Index | None:
        """The saved snapshot without `drop_docs`' chunks, plus these; None if it has no tokens."""
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
            _checked(folder, manifest, ["tokens.npz"])
            old_ids = manifest["ids"]
            with np.load(folder / "tokens.npz", allow_pickle=False) as z:
                vocab, flat, offsets, old_docs = z["vocab"], z["flat"], z["offsets"], z["docs"]
        except (OSError, ValueError, KeyError, Damaged, zipfile.BadZipFile):
            return None
        if len(old_ids) != len(old_docs):
            return None
        old_docs, words = old_docs.tolist(), vocab.tolist()
        keep = [i for i, d in enumerate(old_docs) if d not in drop_docs]
        kept_tokens = [[words[t] for t in flat[offsets[i] : offsets[i + 1]].tolist()] for i in keep]
        rows = sorted(  # in id order, like a full rebuild, so both give the same index
            zip(
                [old_ids[i] for i in keep] + [c.chunk_id for c in chunks],
                [old_docs[i] for i in keep] + [c.doc_id for c in chunks],
                kept_tokens + _tokens(chunks),
            )
        )
        return cls._index([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        """Best chunk ids with their BM25 score (only those sharing a term with the query)."""
        tokens = tokenize(query)
        if not tokens or not self.ids:
            return []
        n = min(n, len(self.ids))
        docs, scores = self.model.retrieve([tokens], k=n, show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def idf(self, tokens: list[str]) -> dict[str, float]:
        """bm25s' (Lucene) inverse document frequency of each of these tokens that the index has."""
        vocab = getattr(self.model, "vocab_dict", None) or {}
        ids = {t: vocab[t] for t in tokens if t in vocab}
        if not ids or not self.ids:
            return {}
        indptr = np.asarray(self.model.scores["indptr"])  # column per token: its df is its length
        n = int(self.model.scores["num_docs"])
        df = {t: int(indptr[i + 1] - indptr[i]) if i + 1 < len(indptr) else 0 for t, i in ids.items()}
        return {t: float(np.log(1 + (n - d + 0.5) / (d + 0.5))) for t, d in df.items()}

    def ideal_score(self, query: str) -> float:
        """What a chunk of average length holding each of the query's indexed terms once would score.

        In bm25s' (Lucene) scoring a term adds idf * tf / (tf + k1 * length_norm), so one
        occurrence at average length adds idf / (1 + k1). Dividing a BM25 score by this puts it on
        a fixed scale, about "how much of the question's vocabulary the chunk covers", instead of
        relative to whichever chunk matched best (which is 1.0 even when it matched one stray word).
        """
        tokens = tokenize(query)  # repeated words count again, as they do in search()
        idf = self.idf(tokens)
        return sum(idf.get(t, 0.0) for t in tokens) / (1 + self.model.k1)

    def save(self, folder: Path) -> None:
        """Write the snapshot to a temporary folder, then rename it into place (OSError if it can't)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(folder.name + f".tmp-{uuid.uuid4().hex[:8]}")
        try:
            tmp.mkdir()
            if self.ids:
                self.model.save(str(tmp / "model"))
            if self._corpus is not None:
                _save_tokens(tmp / "tokens.npz", *self._corpus)
            files = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
            sums = {name: _sha256(tmp / name) for name in files}
            manifest = {"token": self.token, "ids": self.ids, "sha256": sums}
            (tmp / "manifest.json").write_text(json.dumps(manifest))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)  # e.g. a full disk: leave nothing half-written
            raise
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index | None:
        """The saved snapshot, or None when there is none; Damaged when it does not check out."""
        import bm25s

        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            raise Damaged(f"its manifest is unreadable ({e})") from e
        names = [n for n in manifest.get("sha256") or [] if n.startswith("model/")]
        _checked(folder, manifest, names)
        try:
            model = bm25s.BM25.load(str(folder / "model")) if manifest["ids"] else bm25s.BM25()
            return cls(model, manifest["ids"], manifest["token"])
        except Exception as e:  # noqa: BLE001 - checksums matched, so this is a bm25s format change
            raise Damaged(f"bm25s cannot load it ({type(e).__name__}: {e})") from e


def _tokens(chunks: list[Chunk]) -> list[list[str]]:
    """Each chunk's BM25 tokens; a placeholder for one with none (bm25s needs a token)."""
    return [tokenize(c.embedding_text()) or ["_"] for c in chunks]


def _save_tokens(path: Path, docs: list[str], tokens: list[list[str]]) -> None:
    vocab = sorted({t for doc in tokens for t in doc})
    number = {t: i for i, t in enumerate(vocab)}
    flat = np.fromiter((number[t] for doc in tokens for t in doc), dtype=np.int32)
    offsets = np.cumsum([0] + [len(doc) for doc in tokens], dtype=np.int64)
    np.savez(
        path, vocab=np.array(vocab, dtype=str), flat=flat, offsets=offsets, docs=np.array(docs, dtype=str)
    )


def saved_token(folder: Path) -> str | None:
    """The token of the saved snapshot, without loading it."""
    try:
        return json.loads((folder / "manifest.json").read_text())["token"]
    except (OSError, ValueError, KeyError):
        return None
