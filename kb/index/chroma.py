"""Opening Chroma and the one place its errors become kb's (by exception type).

Embedded (a folder in the data folder) or a server (`KB_CHROMA_HOST`). An embedded database in a
folder kb cannot write (a read-only mount, another user's files) is copied to a temporary folder
and read there: Chroma writes to its database even to read it. Trade-off: that copy costs the
index's size in disk and time once per process. A reader of an embedded database gets a client
over chromadb's compiled bindings (kb/index/chroma_rust.py), and errors are mapped only once one
is raised, so a question that succeeds never imports chromadb.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.errors import IndexDamagedError, IndexMissingError, IndexWriteError, KbError, StoreUnavailableError
from kb.index.chroma_rust import rust_client
from kb.layout import DataLayout
from kb.settings import Settings


@contextmanager
def mapped(what: str, folder: Path | None = None) -> Iterator[None]:
    """Turn chromadb's and its HTTP client's failures into kb errors; anything else is a bug.
    `folder`: the embedded database's, named in the error with what to do about it."""
    try:
        yield
    except KbError:
        raise
    except Exception as e:
        error = _kb_error(e, what, folder)
        if error is None:
            raise
        raise error from e


def _kb_error(e: Exception, what: str, folder: Path | None) -> KbError | None:
    import sqlite3  # imported here: a reader that never fails never imports chromadb

    import httpx
    from chromadb.errors import ChromaError, NotFoundError

    if isinstance(e, NotFoundError):
        return IndexMissingError("there is no index yet: run `kb ingest` first")
    if isinstance(e, (httpx.TransportError, ConnectionError)):
        return StoreUnavailableError(f"Chroma server unreachable while {what}: {e}")
    if not isinstance(e, (ChromaError, httpx.HTTPError, sqlite3.Error, OSError, ValueError, RuntimeError)):
        return None
    if folder is None:
        return StoreUnavailableError(f"Chroma failed while {what}: {type(e).__name__}: {e}")
    free = _free_bytes(folder)
    if free < LOW_SPACE:  # Chroma's own messages rarely say so
        return IndexWriteError(
            f"the disk holding {folder} is full ({free // 1024} KB free) while {what}: "
            "free some space and run the command again"
        )
    return IndexDamagedError(
        f"the Chroma database in {folder} failed while {what} ({type(e).__name__}: {e}); if it "
        "is damaged, `kb ingest --rebuild` rebuilds the index from the corpus"
    )


LOW_SPACE = 16 * 1024 * 1024


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder if folder.exists() else folder.parent).free
    except OSError:
        return LOW_SPACE


def open_client(settings: Settings, create: bool, read_only: bool = False):
    """(client, folder of an embedded database or None, notice or None); `create` opens it to
    write (ingest holds the lock), always with a client of its own. `read_only`: an embedded
    database is read through chromadb's compiled bindings alone (kb/index/chroma_rust.py)."""
    if settings.chroma_host:
        return _server_client(settings)
    path, notice = DataLayout.of(settings).chroma, None
    if not create and not path.exists():
        raise IndexMissingError(f"there is no index at {path}: run `kb ingest` first")
    if not create and not os.access(path, os.W_OK):
        path, notice = _readable_copy(path), f"{path} is read-only: reading a copy of the index"
    if create:  # a writer starts from what is on disk: a client this process opened earlier may
        forget(path)  # not have seen other processes' writes, and would persist its stale vectors
    with mapped(f"opening {path}", path):
        if read_only and (client := rust_client(path)) is not None:
            return client, path, notice
        import chromadb

        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings()), path, notice


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def _server_client(settings: Settings):
    import chromadb

    where = f"{settings.chroma_host}:{settings.chroma_port}"
    try:
        with mapped(f"connecting to {where}"):
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings()
            )
            return client, None, None
    except StoreUnavailableError as e:
        raise StoreUnavailableError(
            f"cannot reach the Chroma server at {where} ({e.__cause__}); start it "
            f"(`chroma run --host {settings.chroma_host} --port {settings.chroma_port}`) "
            "or unset KB_CHROMA_HOST to use the embedded store"
        ) from e


def _readable_copy(path: Path) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="kb-read-only-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    try:
        return Path(shutil.copytree(path, tmp / "chroma"))
    except OSError as e:
        raise StoreUnavailableError(f"{path} is read-only and cannot be copied to {tmp}: {e}") from e


def forget(folder: Path) -> None:
    """Make the next client of this embedded database a new one (chromadb shares one per path):
    it then reads what is on disk now. Clients already open keep theirs."""
    if "chromadb" not in sys.modules:
        return  # no chromadb client in this process to forget
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(folder), None)
    SharedSystemClient._identifier_to_refcount.pop(str(folder), None)


def remove_database(settings: Settings) -> Path:
    """Delete the embedded database folder (for a rebuild of one that cannot be opened)."""
    path = DataLayout.of(settings).chroma
    forget(path)
    shutil.rmtree(path, ignore_errors=True)
    return path
