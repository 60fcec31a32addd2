"""What the chat's pages share: the open index, the chosen collection, saved conversations, the
write lock for changes, and ingest with a progress bar."""

from __future__ import annotations

import hmac
import time

import streamlit as st

from kb.app.render import escape_md
from kb.collections import choose, registered
from kb.errors import KbError
from kb.history import History
from kb.layout import DataLayout
from kb.progress import progress_text
from kb.settings import Settings

LOCAL = {"127.0.0.1", "localhost", "::1"}


def base_settings() -> Settings:
    """The settings from the environment; a bad KB_ variable stops the page with one message."""
    try:
        return Settings()
    except ValueError as e:
        st.error(escape_md(f"Invalid setting: {e}"))
        st.stop()


@st.cache_resource(show_spinner=False)
def load_index(settings_json: str):
    from kb.index.reader import open_index

    return open_index(Settings.model_validate_json(settings_json))


def index_of(settings: Settings):
    return load_index(settings.model_dump_json())


def collection(base: Settings) -> Settings:
    """The settings of the collection chosen in the sidebar; a fresh session (a reload, a link
    opened in a new tab) takes it from the URL, else the default one."""
    if "collection" not in st.session_state:
        st.session_state["collection"] = st.query_params.get("collection")
    try:
        return choose(base, st.session_state["collection"])
    except KbError:  # removed by another session: back to the default
        st.session_state["collection"] = None
        return base


def query_int(name: str) -> int | None:
    """A whole-number URL parameter ("c", "at"), None when absent or not a number."""
    value = st.query_params.get(name)
    return int(value) if value and value.isdigit() else None


def page_query(base: Settings, **params) -> dict:
    """The URL parameters that bring this page state back: the collection unless it is the
    default, and `params` (None values left out)."""
    name = st.session_state.get("collection")
    chosen = {"collection": name} if name and name != base.collection else {}
    return chosen | {k: str(v) for k, v in params.items() if v is not None}


def set_url(base: Settings, **params) -> None:
    """Point the browser's URL at this page state (a reload or a shared link comes back to it)."""
    st.query_params.clear()
    st.query_params.update(page_query(base, **params))


def collections(base: Settings) -> list[str]:
    return list(registered(base))


def history(settings: Settings) -> History:
    return History(DataLayout.of(settings).conversations, settings.collection)


def can_write(settings: Settings) -> bool:
    """May this session change the corpus? Always on this machine; beyond it, with the token."""
    if str(st.get_option("server.address") or "127.0.0.1") in LOCAL:
        return True
    if st.session_state.get("unlocked"):
        return True
    if settings.admin_token is None:
        st.caption("Changes are off: the chat listens on a network and KB_ADMIN_TOKEN is not set.")
        return False
    token = st.text_input("Token for changes", type="password", help="KB_ADMIN_TOKEN")
    if token and hmac.compare_digest(token.encode(), settings.admin_token.get_secret_value().encode()):
        st.session_state["unlocked"] = True
        return True
    if token:
        st.error("That token is not the one set in KB_ADMIN_TOKEN.")
    return False


def reingest(settings: Settings, where=st, redo: frozenset[str] = frozenset()) -> bool:
    """Run an ingest with a progress bar; the summary or the error shown; True if it ran."""
    from kb.ingest.pipeline import ingest

    bar, t0 = where.progress(0.0, text="Reading the corpus…"), time.perf_counter()

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=progress_text(done, total, time.perf_counter() - t0))

    def reading(done: int, total: int) -> None:
        text = progress_text(done, total, time.perf_counter() - t0, "Reading", "files")
        bar.progress(done / max(total, 1), text=text)

    try:
        report = ingest(settings, progress=progress, redo=redo, reading=reading)
    except KbError as e:
        bar.empty()
        where.error(escape_md(f"Ingest failed: {e}"))
        return False
    bar.empty()
    load_index.clear()
    where.success(escape_md(report.summary()))
    for path, reason in report.skipped:
        where.warning(escape_md(f"skipped {path}: {reason}"))
    for path, note in report.notes:
        where.info(escape_md(f"{path}: {note}"))
    return True
