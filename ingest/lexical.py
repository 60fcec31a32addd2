"""The BM25 side of hybrid retrieval (bm25s), persisted next to the index.

Chroma is the source of truth. The BM25 snapshot is rebuilt from all chunks at the end of every
ingest that changed anything, written to a temporary folder and renamed into place, and tagged
with a token that the ingest then records in the index info. A query whose snapshot token
differs from the index's (an ingest was killed in between, or another machine ingested into a
shared Chroma server) rebuilds the snapshot first, so BM25 and Chroma always agree. Rebuilding
is linear in the corpus (about a second per 10k chunks); it is never done per query otherwise.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from functools import cache
from pathlib import Path

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@cache
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-worded, stemmed word tokens.

    >>> tokenize("The Node.js runtimes are running serverless functions")
    ['node', 'js', 'runtim', 'run', 'serverless', 'function']
    """
    words = [w for w in _TOKEN.findall(text.lower()) if w not in _stopwords()]
    return _stemmer().stemWords(words)


class Bm25Index:
    """A BM25 index over chunk ids."""

    def __init__(self, model, ids: list[str], token: str) -> None:
        self.model, self.ids, self.token = model, ids, token

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> Bm25Index:
        import bm25s

        model = bm25s.BM25()
        if texts:
            model.index([tokenize(t) or ["_"] for t in texts], show_progress=False)
        return cls(model, list(ids), uuid.uuid4().hex)

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        """Best chunk ids with their BM25 score (only those sharing a term with the query)."""
        tokens = tokenize(query)
        if not tokens or not self.ids:
            return []
        n = min(n, len(self.ids))
        docs, scores = self.model.retrieve([tokens], k=n, show_progress=False)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def save(self, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(folder.name + f".tmp-{uuid.uuid4().hex[:8]}")
        tmp.mkdir()
        if self.ids:
            self.model.save(str(tmp / "model"))
        (tmp / "manifest.json").write_text(json.dumps({"token": self.token, "ids": self.ids}))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index | None:
        """The saved snapshot, or None when there is none (or it is unreadable)."""
        import bm25s

        try:
            manifest = json.loads((folder / "manifest.json").read_text())
            model = bm25s.BM25.load(str(folder / "model")) if manifest["ids"] else bm25s.BM25()
        except (OSError, ValueError, KeyError):
            return None
        return cls(model, manifest["ids"], manifest["token"])


def bm25_folder(data_dir: Path, collection: str) -> Path:
    return Path(data_dir) / "bm25" / collection
