"""Opening Chroma (kb/index/chroma.py): a damaged database names its folder and the way out, and
a read-only data folder can still be asked (on a real read-only mount when the test may mount)."""

import os
import subprocess

import pytest

from kb.errors import IndexDamagedError
from kb.index.chroma import forget
from kb.index.reader import open_index
from kb.index.store import Store
from kb.ingest.pipeline import ingest
from kb.layout import DataLayout
from kb.qa.ask import ask
from tests.conftest import assert_consistent, copy_corpus, make_settings

pytestmark = pytest.mark.slow


def damage(database) -> None:
    size = database.stat().st_size
    with open(database, "r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(size // 3))


def test_a_damaged_database_names_its_folder_and_a_rebuild_replaces_it(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    folder = DataLayout.of(s).chroma
    damage(folder / "chroma.sqlite3")
    forget(folder)  # as a new process would, this one opens the damaged file
    with pytest.raises(IndexDamagedError) as e:
        open_index(s)
    assert str(folder) in str(e.value) and "`kb ingest --rebuild`" in str(e.value)
    report = ingest(s, rebuild=True)
    assert any(f"removed the unreadable database in {folder}" in note for _, note in report.notes)
    assert_consistent(s)
    assert ask(open_index(s), "Python for serverless?").found


@pytest.fixture
def read_only(tmp_path):
    """A read-only view of tmp_path/rw at tmp_path/ro (a bind mount), or a skip saying why not."""
    rw, ro = tmp_path / "rw", tmp_path / "ro"
    rw.mkdir()
    ro.mkdir()
    mount = subprocess.run(["mount", "--bind", str(rw), str(ro)], capture_output=True, text=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot bind-mount here ({mount.stderr.strip()}); needs root or CAP_SYS_ADMIN")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], check=True)
        yield rw, ro
    finally:
        subprocess.run(["umount", "--lazy", str(ro)], check=True)


def test_a_read_only_data_folder_can_be_asked(read_only):
    rw, ro = read_only
    ingest(make_settings(rw, copy_corpus(rw / "corpus")))
    s = make_settings(ro, ro / "corpus")
    with pytest.raises(OSError):
        (ro / "data" / "probe").write_text("x")  # really read-only
    index = open_index(s)
    answer = ask(index, "How long does a Django MVP take compared to NestJS?")
    assert answer.found and "6-8 weeks" in answer.text
    assert any("is read-only: reading a copy" in n for n in index.notices)
    assert Store(s).count() > 20
