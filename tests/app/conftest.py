"""The chat's pages under AppTest: settings in the environment, a copy of the real corpus."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, copy_corpus, make_settings


@pytest.fixture
def app(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    monkeypatch.setenv("KB_CORPUS_DIR", str(s.corpus_dir))
    monkeypatch.setenv("KB_DATA_DIR", str(s.data_dir))
    monkeypatch.setenv("KB_EVAL_DIR", str(tmp_path / "eval"))
    return s


def open_app(page: str | None = None, timeout: int = 120, **query: str) -> AppTest:
    """The app run once, on a page of app_pages/ ("documents.py"), with query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}").run()
    return at
