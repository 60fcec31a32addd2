"""The BM25 side of hybrid retrieval: a tantivy index on disk, updated in place of a rebuild.

Chroma is the source of truth. Each published state is a folder: an ingest copies the current
one (hard links: tantivy never rewrites a file it has written), deletes the changed documents'
chunks, adds their new ones, commits and renames the copy into place, so the cost follows the
change, not the corpus. The folder's manifest holds the token ingest records in the index info
(a reader whose token differs rebuilds from Chroma, kb/index/reader.py) and each file's SHA-256:
a file that does not match on load makes the snapshot `Damaged`. Readers never follow tantivy's
commits on their own; they switch when the token changes. Trade-off: tantivy's BM25 has k1 1.2
and, until segments merge, counts deleted chunks in document frequencies. docs/design.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import uuid
import weakref
from pathlib import Path

from kb.text.tokens import tokenize
from kb.types import Chunk

MANIFEST = "kb-manifest.json"


class Damaged(Exception):
    """A saved snapshot whose files do not match its manifest, or that tantivy cannot open."""


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _files(folder: Path) -> list[str]:
    """The index's own files (tantivy's lock files and kb's manifest left out)."""
    names = (p.name for p in folder.iterdir() if p.is_file())
    return sorted(n for n in names if n != MANIFEST and not n.startswith(".tantivy"))


def _checked(folder: Path, manifest: dict) -> None:
    """Damaged unless the folder holds exactly the files the manifest lists, each matching its checksum."""
    sums = manifest.get("sha256")
    if not isinstance(sums, dict) or "token" not in manifest:
        raise Damaged("its manifest has no checksums (written by an older kb)")
    if sorted(sums) != _files(folder):
        raise Damaged("its files are not the ones its manifest lists")
    for name, digest in sums.items():
        try:
            ok = _sha256(folder / name) == digest
        except OSError:
            ok = False
        if not ok:
            raise Damaged(f"{name} does not match its checksum")


def _schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("chunk", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("doc", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="freq")  # kb's tokens, spaced
    return sb.build()


def _add(writer, chunks: list[Chunk]) -> None:
    import tantivy

    for c in chunks:
        body = " ".join(tokenize(c.embedding_text()))
        writer.add_document(tantivy.Document(chunk=c.chunk_id, doc=c.doc_id, body=body))


def _commit(writer) -> None:
    writer.commit()
    writer.wait_merging_threads()  # merges finish inside this folder, before it is published


class Bm25Index:
    """A BM25 index over chunk ids, in a folder of its own."""

    def __init__(self, folder: Path, token: str) -> None:
        import tantivy

        self.folder, self.token = Path(folder), token
        try:
            self._index = tantivy.Index.open(str(self.folder))
            self._index.config_reader("manual", 0)  # a reader switches only when the token does
            self._searcher = self._index.searcher()
        except ValueError as e:
            raise Damaged(f"tantivy cannot open it ({e})") from e
        self._schema = self._index.schema
        self._ids: list[str] | None = None

    @classmethod
    def build(cls, chunks: list[Chunk], near: Path | None = None) -> Bm25Index:
        """Index the chunks' texts (with their headings) in a new folder beside `near` (where it
        will be saved; the system's temporary folder when that is not writable)."""
        import tantivy

        tmp = _new_folder(near)
        try:
            writer = tantivy.Index(_schema(), path=str(tmp)).writer(heap_size=64_000_000, num_threads=1)
            _add(writer, chunks)
            _commit(writer)
            return _owned(cls(tmp, uuid.uuid4().hex))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def patch(cls, folder: Path, drop_docs: set[str], chunks: list[Chunk]) -> Bm25Index | None:
        """A copy of the saved snapshot without `drop_docs`' chunks, plus these; None if there is no
        sound snapshot to start from (the caller rebuilds)."""
        try:
            _checked(folder, json.loads((folder / MANIFEST).read_text()))
        except (OSError, ValueError, Damaged):
            return None
        tmp = _new_folder(folder)
        try:
            for name in _files(folder):
                _share(folder / name, tmp / name)
            snapshot = _owned(cls(tmp, uuid.uuid4().hex))
            writer = snapshot._index.writer(heap_size=64_000_000, num_threads=1)
            for doc_id in sorted(drop_docs):
                writer.delete_documents_by_term("doc", doc_id)
            _add(writer, chunks)
            _commit(writer)
            snapshot._reload()
            return snapshot
        except Damaged:
            shutil.rmtree(tmp, ignore_errors=True)
            return None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def _reload(self) -> None:
        self._index.reload()
        self._searcher, self._ids = self._index.searcher(), None

    @property
    def ids(self) -> list[str]:
        """Every chunk id in the index, sorted (reads every stored id: for checks, not questions)."""
        if self._ids is None:
            import tantivy

            n = self._searcher.num_docs
            hits = self._searcher.search(tantivy.Query.all_query(), n, count=False).hits if n else []
            self._ids = sorted(self._searcher.doc(addr)["chunk"][0] for _, addr in hits)
        return self._ids

    def __len__(self) -> int:
        return self._searcher.num_docs

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        """Best chunk ids with their BM25 score (only those sharing a term with the query)."""
        tokens = tokenize(query)
        if not tokens or not len(self):
            return []
        return self._hits(self._any_term(tokens), n)

    def scores(self, query: str, ids: list[str]) -> dict[str, float]:
        """The BM25 score of each of these chunks that shares a term with the query: what
        `search` would give them, however far down its list they are."""
        import tantivy

        tokens = tokenize(query)
        if not tokens or not ids or not len(self):
            return {}
        only = tantivy.Query.term_set_query(self._schema, "chunk", ids)
        restricted = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, tantivy.Query.const_score_query(only, 0.0)),
                (tantivy.Occur.Must, self._any_term(tokens)),
            ]  # fmt: skip
        )
        return dict(self._hits(restricted, len(ids)))

    def _any_term(self, tokens: list[str]):
        """A query matching chunks that hold any of these tokens, scored by BM25."""
        import tantivy

        terms = [
            (tantivy.Occur.Should, tantivy.Query.term_query(self._schema, "body", t, "freq")) for t in tokens
        ]
        return tantivy.Query.boolean_query(terms)

    def _hits(self, query, n: int) -> list[tuple[str, float]]:
        hits = self._searcher.search(query, n, count=False).hits
        return [(self._searcher.doc(addr)["chunk"][0], float(score)) for score, addr in hits if score > 0]

    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25's inverse document frequency of each of these tokens that the index has."""
        n = len(self)
        out = {}
        for t in set(tokens):
            df = self._searcher.doc_freq("body", t)
            if df and n:
                out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return out

    def ideal_score(self, query: str) -> float:
        """What a chunk of average length holding each of the query's indexed terms once would score.

        tantivy's BM25 adds idf * tf * (k1 + 1) / (tf + k1 * length_norm) per term, so one
        occurrence at average length adds idf. Dividing a BM25 score by this puts it on a fixed
        scale, about "how much of the question's vocabulary the chunk covers", instead of
        relative to whichever chunk matched best (which is 1.0 even when it matched one stray word).
        """
        tokens = tokenize(query)  # repeated words count again, as they do in search()
        idf = self.idf(tokens)
        return sum(idf.get(t, 0.0) for t in tokens)

    def save(self, folder: Path) -> None:
        """Publish this index as `folder`: manifest written, then renamed into place (OSError if it
        can't; the old snapshot is left as it was)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.folder
        try:
            if self.folder.parent != folder.parent:  # built in the system's temporary folder
                tmp = _new_folder(folder, fallback=False)
                shutil.copytree(self.folder, tmp, dirs_exist_ok=True)
            sums = {name: _sha256(tmp / name) for name in _files(tmp)}
            (tmp / MANIFEST).write_text(json.dumps({"token": self.token, "sha256": sums}))
        except BaseException:
            if tmp != self.folder:
                shutil.rmtree(tmp, ignore_errors=True)
            raise
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)  # readers that opened it keep their open files
        if tmp == self.folder:
            self.folder = folder
            _disown(self)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index | None:
        """The saved snapshot, or None when there is none; Damaged when it does not check out."""
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            raise Damaged(f"its manifest is unreadable ({e})") from e
        _checked(folder, manifest)
        return cls(folder, manifest["token"])


def _share(src: Path, dest: Path) -> None:
    """A hard link (tantivy never rewrites a file, so the copy can share it), or a copy where the
    file system has no hard links."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def _new_folder(near: Path | None, fallback: bool = True) -> Path:
    """An empty folder beside `near` (same file system: it can be renamed into place), else in the
    system's temporary folder."""
    if near is not None:
        try:
            near.parent.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=near.name + ".tmp-", dir=near.parent))
        except OSError:
            if not fallback:
                raise
    return Path(tempfile.mkdtemp(prefix="kb-bm25-"))


def _owned(index: Bm25Index) -> Bm25Index:
    """An index in a temporary folder: removed with the object unless it is saved."""
    index._cleanup = weakref.finalize(index, shutil.rmtree, str(index.folder), True)
    return index


def _disown(index: Bm25Index) -> None:
    cleanup = getattr(index, "_cleanup", None)
    if cleanup is not None:
        cleanup.detach()


def saved_token(folder: Path) -> str | None:
    """The token of the saved snapshot, without loading it."""
    try:
        return json.loads((folder / MANIFEST).read_text())["token"]
    except (OSError, ValueError, KeyError):
        return None
