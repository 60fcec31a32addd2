"""Reading an embedded Chroma database through chromadb's compiled bindings alone.

`import chromadb` takes ~0.5 s in a fresh process (its telemetry, auth, embedding-function and
pydantic model modules load whatever the client does), more than the rest of a cold `kb ask`. The
compiled module it wraps, `chromadb_rust_bindings`, imports in 0.02 s and does the work; chromadb's
`RustBindingsAPI` passes a reader's calls through to it. So a reader of an embedded database
calls it directly, with the few calls a question needs (get, query, count). Writes and Chroma
servers go through chromadb.

Trade-off: the bindings are chromadb's internal API. `rust_client` checks that their calls take
the arguments used here (their signatures are introspectable) and returns None when they do not,
so another chromadb version falls back to its client: slower to open, the same answers.
"""

from __future__ import annotations

import json
from pathlib import Path

TENANT, DATABASE = "default_tenant", "default_database"  # what chromadb's clients use by default
_SCOPE = {"tenant", "database"}
CALLS = {  # the arguments used below, by call
    "get": {"collection_id", "ids", "where", "limit", "offset", "where_document", "include"} | _SCOPE,
    "query": {"collection_id", "ids", "query_embeddings", "n_results", "where", "where_document", "include"}
    | _SCOPE,
    "count": {"collection_id"} | _SCOPE,
    "get_collection": {"name"} | _SCOPE,
}


def rust_client(folder: Path) -> RustClient | None:
    """A reading client of the embedded database in `folder`, or None when chromadb's bindings
    are missing or are not the ones this module knows."""
    try:
        import resource  # not on Windows, where chromadb's client is used

        import chromadb_rust_bindings as rust
    except ImportError:
        return None
    if not all(CALLS[name] <= _parameters(getattr(rust.Bindings, name, None)) for name in CALLS):
        return None
    config = rust.SqliteDBConfig(
        hash_type=rust.MigrationHash.MD5,  # chromadb's defaults (its Settings)
        migration_mode=rust.MigrationMode.Apply,
        url=str(folder / "chroma.sqlite3"),
    )
    # chromadb sizes its cache of open vector indexes the same way: 5 files each
    cache = resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 5
    bindings = rust.Bindings(
        allow_reset=False, sqlite_db_config=config, persist_path=str(folder), hnsw_cache_size=cache
    )
    return RustClient(bindings)


def _parameters(method) -> set[str]:
    """Argument names of a compiled method, from its text signature.

    >>> def get_collection(): ...
    >>> get_collection.__text_signature__ = "($self, name, tenant=..., database=...)"
    >>> sorted(_parameters(get_collection))
    ['database', 'name', 'tenant']
    """
    signature = getattr(method, "__text_signature__", None) or ""
    names = (p.strip().split("=")[0] for p in signature.strip("()").split(","))
    return {n for n in names if n and not n.startswith("$") and n not in {"/", "*"}}


class RustClient:
    """The part of chromadb's client API that kb's readers use."""

    def __init__(self, bindings) -> None:
        self._bindings = bindings

    def get_collection(self, name: str, embedding_function=None) -> RustCollection:
        found = self._bindings.get_collection(name=name, tenant=TENANT, database=DATABASE)
        return RustCollection(self._bindings, str(found.id), found.name)


class RustCollection:
    """The part of a chromadb collection's API that kb's readers use; results are plain dicts."""

    def __init__(self, bindings, collection_id: str, name: str) -> None:
        self._bindings, self.id, self.name = bindings, collection_id, name

    def count(self) -> int:
        return self._bindings.count(collection_id=self.id, tenant=TENANT, database=DATABASE)

    def get(self, ids=None, where=None, limit=None, offset=None, include=()) -> dict:
        got = self._bindings.get(
            collection_id=self.id,
            ids=ids,
            where=json.dumps(where) if where else None,
            limit=limit,
            offset=offset or 0,
            where_document=None,
            include=list(include),
            tenant=TENANT,
            database=DATABASE,
        )
        return {key: getattr(got, key) for key in ("ids", "documents", "metadatas", "embeddings")}

    def query(self, query_embeddings, n_results: int, include=()) -> dict:
        got = self._bindings.query(
            collection_id=self.id,
            ids=None,
            query_embeddings=query_embeddings,
            n_results=n_results,
            where=None,
            where_document=None,
            include=list(include),
            tenant=TENANT,
            database=DATABASE,
        )
        return {key: getattr(got, key) for key in ("ids", "documents", "metadatas", "distances")}
