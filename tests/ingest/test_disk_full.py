"""A full disk (a small tmpfs the test mounts; skipped with the reason where it may not): ingest
stops with a clear error, leaves nothing half-written, and completes once there is space."""

import subprocess

import pytest

from kb.errors import IndexWriteError
from kb.index.reader import open_index
from kb.ingest.pipeline import ingest
from kb.qa.ask import ask
from tests.conftest import assert_consistent, copy_corpus, make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path):
    """tmp_path/disk: a 1 MB tmpfs; yields a function that resizes it."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mount.stderr.strip()}); needs root or CAP_SYS_ADMIN")

    def resize(size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)

    try:
        yield disk, resize
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=True)  # Chroma may still hold files


def test_a_full_disk_stops_ingest_cleanly_and_a_later_run_completes(tmp_path, small_disk):
    disk, resize = small_disk
    s = make_settings(disk, copy_corpus(tmp_path / "corpus"))  # the index on the small disk
    with pytest.raises(IndexWriteError, match=r"the disk holding .* is full"):
        ingest(s)
    resize("40m")  # room for the index, not for the 90 MB ONNX export
    report = ingest(s)
    assert any("No space left on device" in note for _, note in report.notes)
    assert not list((disk / "data").rglob("*.tmp*"))  # no half-written export or snapshot
    assert_consistent(s)
    assert ask(open_index(s), "Python for serverless?").found  # questions use torch meanwhile
    resize("400m")
    assert ingest(s).notes == []  # the export is made once there is room
    assert type(open_index(s).embedder).__name__ == "OnnxEmbedder"
