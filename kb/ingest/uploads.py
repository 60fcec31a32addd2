"""Put a user's uploaded file into the corpus safely, or take a document out of it.

The name is reduced to a plain file name (no folders, no leading dots, only letters, digits,
space, `.`, `_` and `-`), the type must be one kb reads, the size is capped, the content must
pass the same checks as ingest (not binary, a real PDF), and an existing article is never
overwritten with different content. The file is written to a temporary name, checked, then
hard-linked to its name, which fails if the name exists: of two uploads of one new name at
once, exactly one is saved and the other refused. A failure leaves the corpus as it was.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from kb.errors import UploadError
from kb.ingest.loaders import READERS, SkipFile, load_document

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._-]+")


def safe_name(name: str) -> str:
    """A plain, harmless file name for an upload.

    >>> safe_name("../../etc/passwd.md"), safe_name("C:\\\\x\\\\..\\\\Notes (v2).txt"), safe_name(".env.md")
    ('passwd.md', 'Notes _v2_.txt', 'env.md')
    """
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem[:100].strip(" .")
    if not stem:
        raise UploadError(f"{name!r} is not a usable file name")
    return f"{stem}.{ext.lower()}" if ext else stem


def save_upload(name: str, data: bytes, corpus: Path, max_bytes: int, replace: bool = False) -> Path:
    """Write an uploaded file into the corpus folder; UploadError says why not. With `replace`,
    a checked upload takes the place of the document of the same name in one step."""
    clean = safe_name(name)
    suffix = Path(clean).suffix.lower()
    if suffix not in READERS:
        kinds = ", ".join(sorted(READERS))
        raise UploadError(f"{name}: unsupported file type {suffix or '(none)'} (supported: {kinds})")
    if len(data) > max_bytes:
        raise UploadError(f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit")
    corpus = Path(corpus).resolve()
    corpus.mkdir(parents=True, exist_ok=True)
    target = (corpus / clean).resolve()
    if target.parent != corpus:
        raise UploadError(f"{name}: refused (outside the corpus folder)")
    if target.exists() and not replace:
        return _existing(name, target, data)
    with tempfile.NamedTemporaryFile(dir=corpus, prefix=".upload-", suffix=suffix, delete=False) as tmp:
        tmp.write(data)
    tmp_path = Path(tmp.name)
    try:
        load_document(tmp_path, clean, max_bytes)
        if replace:
            os.replace(tmp_path, target)  # atomic: readers see the old file or the new one
        else:
            _place(tmp_path, target, data)
    except SkipFile as e:
        raise UploadError(f"{name}: {e}") from e
    except FileExistsError:  # another upload took the name since the check above
        return _existing(name, target, data)
    finally:
        tmp_path.unlink(missing_ok=True)
    return target


def _place(tmp: Path, target: Path, data: bytes) -> None:
    """Give the checked file its name; FileExistsError when the name is taken (never overwrites)."""
    try:
        os.link(tmp, target)
    except OSError as e:
        if isinstance(e, FileExistsError) or e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
            raise
        with open(target, "xb") as f:  # a file system without hard links: create-exclusive
            f.write(data)


def _existing(name: str, target: Path, data: bytes) -> Path:
    """The same upload again is fine; different content under a taken name is refused."""
    if target.read_bytes() == data:
        return target
    raise UploadError(
        f"{name}: {target.name} already exists in the corpus; rename the file or delete the old one"
    )


def remove_document(doc_id: str, corpus: Path) -> Path:
    """Delete a document's file from the corpus (the next ingest drops it from the index)."""
    corpus = Path(corpus).resolve()
    path = (corpus / doc_id).resolve()
    if not path.is_relative_to(corpus) or path == corpus:
        raise UploadError(f"{doc_id}: refused (outside the corpus folder)")
    try:
        path.unlink()
    except FileNotFoundError as e:
        raise UploadError(f"{doc_id}: no such document in {corpus}") from e
    except OSError as e:
        raise UploadError(f"{doc_id}: cannot delete ({e.strerror})") from e
    return path
