"""The Chat page: saved conversations in the sidebar, follow-up questions read in context."""

from __future__ import annotations

import streamlit as st

from kb.app.document import show_document
from kb.app.render import escape_md, show_answer
from kb.app.state import (
    can_write,
    collection,
    collections,
    history,
    index_of,
    page_query,
    query_int,
    reingest,
    set_url,
)
from kb.errors import IndexMissingError, IndexOutdatedError, KbError
from kb.history import History
from kb.settings import EXTRACTIVE, RetrieverName, Settings

ADDING = "add-collection"  # the "Add a collection" popover's open state


def collection_picker(base: Settings) -> Settings:
    names, settings = collections(base), collection(base)
    current = settings.collection
    chosen = st.selectbox("Collection", names, index=names.index(current) if current in names else 0)
    if chosen != current:
        st.session_state.update(collection=chosen, conversation=None)
        set_url(base)
        st.rerun()
    if st.session_state.pop("collection-added", False):  # closed and emptied for the next one
        st.session_state[ADDING] = False
        for key in ("new-name", "new-folder"):
            st.session_state.pop(key, None)
    with st.popover("Add a collection", icon=":material/add:", key=ADDING, on_change="rerun"):
        if can_write(base):
            _add_collection(base)
    return settings


def _add_collection(base: Settings) -> None:
    from kb.collections import add

    name = st.text_input("Name", placeholder="docs", key="new-name")
    folder = st.text_input("Corpus folder", placeholder="/path/to/documents", key="new-folder")
    if not st.button("Add", disabled=not (name and folder)):
        return
    try:
        add(base, name, folder)
    except KbError as e:
        st.error(escape_md(str(e)))
        return
    st.session_state.update({"collection": name, "conversation": None, "collection-added": True})
    set_url(base)
    st.rerun()


def conversations_panel(base: Settings, hist: History) -> int | None:
    """The list of saved conversations; the open one's id (None: a new one, not saved yet)."""
    current = st.session_state.get("conversation")
    if st.button("New conversation", icon=":material/edit_square:", use_container_width=True):
        st.session_state["conversation"] = None
        set_url(base)
        st.rerun()
    saved = hist.conversations()
    if current not in {c.id for c in saved}:  # deleted, or another collection's: start a new one
        current = st.session_state["conversation"] = None
    for conv in saved[:30]:
        kind = "primary" if conv.id == current else "tertiary"
        if st.button(escape_md(conv.title), key=f"conv-{conv.id}", type=kind, use_container_width=True):
            st.session_state["conversation"] = conv.id
            set_url(base, c=conv.id)
            st.rerun()
    if current is not None:
        with st.popover("Rename or delete", icon=":material/more_horiz:"):
            title = st.text_input("Title", value=next(c.title for c in saved if c.id == current))
            if st.button("Rename"):
                hist.rename(current, title)
                st.rerun()
            if st.button("Delete this conversation", type="primary"):
                hist.delete(current)
                st.session_state["conversation"] = None
                set_url(base)
                st.rerun()
    return current


def answer_settings(settings: Settings) -> Settings:
    from kb.qa.llm import BACKENDS, availability

    with st.expander("Answer settings"):
        why_not = {name: availability(name, settings) for name in BACKENDS}
        modes = [EXTRACTIVE] + [name for name, why in why_not.items() if why is None]
        mode = st.radio("Answer mode", modes, help="extractive: sentences picked from the documents")
        unavailable = [f"{name} ({why})" for name, why in why_not.items() if why]
        if unavailable:
            st.caption(escape_md("Not available: " + "; ".join(unavailable)))
        k = st.slider("Passages", 1, 10, settings.k)
        retriever = st.selectbox("Retriever", list(RetrieverName), index=0)
    return settings.model_copy(
        update={"k": k, "retriever": retriever, "llm": None if mode == EXTRACTIVE else mode}
    )


def ensure_index(settings: Settings) -> bool:
    """Ingest the corpus first when there is no index yet, or it is out of date; False on failure."""
    try:
        index_of(settings)
        return True
    except IndexMissingError as e:
        state = "The index is out of date" if isinstance(e, IndexOutdatedError) else "No index yet"
        st.info(escape_md(f"{state}: ingesting {settings.corpus_dir} first."))
        return reingest(settings)
    except KbError as e:
        st.error(escape_md(str(e)))
        return False


def chat_page(base: Settings) -> None:
    if "conversation" not in st.session_state:  # a fresh session: the URL names the conversation
        st.session_state["conversation"] = query_int("c")
    with st.sidebar:
        settings = collection_picker(base)
        hist = history(settings)
        st.subheader("Conversations")
        conv = conversations_panel(base, hist)
        settings = answer_settings(settings)
    if "doc" in st.query_params:
        show_document(settings, st.query_params["doc"], query_int("at"), page_query(base, c=conv))
        return
    st.title("kb: ask the documents")
    if not ensure_index(settings):
        return
    answers = hist.answers(conv) if conv is not None else []
    ratings = hist.ratings(conv) if conv is not None else []
    for i, answer in enumerate(answers):
        with st.chat_message("user"):
            st.markdown(escape_md(answer.question))
        with st.chat_message("assistant"):
            show_answer(answer, page_query(base, c=conv))
            _thumbs(hist, conv, i, ratings[i])
    question = st.chat_input("Ask a question; follow-ups are read in context")
    if question:
        _ask(base, settings, hist, conv, question, answers[-1] if answers else None)


def _thumbs(hist: History, conv: int, n: int, rating: int | None) -> None:
    key = f"thumbs-{conv}-{n}"
    if key not in st.session_state:
        st.session_state[key] = rating
    value = st.feedback("thumbs", key=key)
    if value != rating:
        hist.rate(conv, n, value)


def _ask(
    base: Settings, settings: Settings, hist: History, conv: int | None, question: str, previous
) -> None:
    from kb.qa.ask import ask

    with st.chat_message("user"):
        st.markdown(escape_md(question))
    with st.chat_message("assistant"):
        live, text = st.empty(), []

        def on_token(piece: str) -> None:  # LLM modes stream here; the checked answer replaces it
            text.append(piece)
            live.markdown(escape_md("".join(text)) + " ▌")

        try:
            with st.spinner("Searching…"):
                index = index_of(settings)
                mode = settings.llm or EXTRACTIVE
                answer = ask(index, question, k=settings.k, retriever=settings.retriever, on_token=on_token,
                             mode=mode, previous=previous)  # fmt: skip
        except KbError as e:
            st.error(escape_md(str(e)))
            return
        live.empty()
    if conv is None:
        conv = hist.start(question)
        st.session_state["conversation"] = conv
        set_url(base, c=conv)
    hist.add(conv, answer)
    st.rerun()  # shown from the saved conversation, with its thumbs
