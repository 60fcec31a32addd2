"""Collections (kb/collections.py): registered in the data folder, chosen by name."""

import pytest

from kb.collections import add, choose, registered, remove
from kb.errors import ConfigError
from tests.conftest import make_settings


def test_add_choose_and_remove(tmp_path):
    s = make_settings(tmp_path)
    (tmp_path / "go").mkdir()
    go = add(s, "go", tmp_path / "go")
    assert go.collection == "go" and go.corpus_dir == (tmp_path / "go").resolve()
    assert list(registered(s)) == ["kb", "go"] and choose(s, "go") == go and choose(s, None) == s
    remove(s, "go")
    assert list(registered(s)) == ["kb"] and (tmp_path / "go").is_dir()  # the folder is left alone


@pytest.mark.parametrize(
    "name, folder, message",
    [("bad name!", "go", "collection name 'bad name!'"), ("go", "missing", "does not exist"),
     ("kb", "go", "already exists")],
)  # fmt: skip
def test_bad_names_and_folders_are_refused(tmp_path, name, folder, message):
    (tmp_path / "go").mkdir()
    with pytest.raises(ConfigError, match=message):
        add(make_settings(tmp_path), name, tmp_path / folder)


def test_an_unknown_collection_names_the_known_ones(tmp_path):
    with pytest.raises(ConfigError, match=r"no collection 'x' \(known: kb\)"):
        choose(make_settings(tmp_path), "x")
