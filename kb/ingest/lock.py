"""One ingest at a time per index: an exclusive `flock` on a file in the data folder, held for
the whole run, with the holder's pid written in it for the message a second ingest prints.

The kernel releases the lock when its process dies, so a killed ingest never leaves a stale lock
behind (its pid stays in the file, unheld). Trade-off: the lock lives on this machine; two hosts
ingesting into one Chroma server are not serialised by it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.errors import IndexWriteError, IngestBusyError


@contextmanager
def writer_lock(path: Path, wait: bool = False) -> Iterator[None]:
    """Hold the ingest lock at `path`; IngestBusyError naming the holder when it is taken and
    `wait` is false, else block until it is free."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise IndexWriteError(f"cannot write to the data folder {path.parent}: {e.strerror or e}") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise IngestBusyError(
                f"another ingest is running on this index (pid {holder}); wait for it to finish, "
                "or run `kb ingest --wait`"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
