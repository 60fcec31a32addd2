"""The Streamlit chat over the knowledge base (`streamlit run app.py` runs `main`). The top layer.

Corpus text is data: everything from the documents is escaped before it reaches st.markdown,
and no HTML is ever rendered.
"""

from __future__ import annotations

import re

import streamlit as st

from kb.errors import IndexMissingError, IndexOutdatedError, KbError
from kb.settings import EXTRACTIVE, RetrieverName, Settings
from kb.text.blocks import segments
from kb.types import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$@])")
# GitHub-flavoured markdown links bare URLs, www. names and e-mail addresses after escapes are
# resolved, so escaping cannot stop it: an invisible WORD JOINER (U+2060) breaks each pattern
_AUTOLINK = re.compile(r"(?=://)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)


def escape_md(text: str) -> str:
    """Text shown literally by st.markdown (no markdown, no HTML, no automatic links).

    >>> escape_md("**x** [a](b)")
    '\\\\*\\\\*x\\\\*\\\\* \\\\[a\\\\]\\\\(b\\\\)'
    >>> [escape_md(t).count("\\u2060") for t in ("www.a.io", "http://b", "me@b.io")]
    [1, 1, 1]
    """
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub("\u2060", text))


def highlighted(c: Citation) -> str:
    """The cited passage, escaped, with its supporting sentences highlighted and code shown as code."""
    chunk, out, pos = c.hit.chunk, [], 0
    spans = [(s.char_start - chunk.char_start, s.char_end - chunk.char_start) for s in c.supporting]
    for code, piece in segments(chunk.text):
        if code:  # fenced by kb with a fence longer than any backtick run inside: shown verbatim
            out.append(f"\n\n{piece}\n\n")
        else:
            out.append(_marked(piece, pos, spans).replace("\n", "  \n"))
        pos += len(piece)
    return "".join(out)


def _marked(piece: str, pos: int, spans: list[tuple[int, int]]) -> str:
    """Prose escaped, the supporting sentences inside it (offsets in the passage) highlighted."""
    out, at = [], 0
    for a, b in sorted(spans):
        a, b = a - pos, b - pos
        if a < at or b > len(piece):
            continue
        out += [escape_md(piece[at:a]), f":orange-background[{escape_md(piece[a:b])}]"]
        at = b
    out.append(escape_md(piece[at:]))
    return "".join(out)


@st.cache_resource(show_spinner="Loading the model and the index…")
def load_index(settings_json: str):
    from kb.index.reader import open_index

    return open_index(Settings.model_validate_json(settings_json))


def show_answer(answer: Answer) -> None:
    if not answer.found:
        st.warning(escape_md(answer.text), icon=":material/search_off:")
        return
    st.markdown(escape_md(answer.text).replace(r"\[", "[").replace(r"\]", "]"))
    if answer.timings:
        t = answer.timings
        st.caption(
            escape_md(f"{answer.mode}: first token {t['first_token_s']} s, {t['tokens_per_s']} tokens/s")
        )
    if answer.note:
        st.caption(escape_md(answer.note))
    for c in answer.citations:
        h = c.hit.chunk
        where = f" › {h.section}" if h.section else ""
        page = f" · p. {h.page}" if h.page else ""
        with st.expander(escape_md(f"[{c.n}] {h.title}{where}")):
            where = f"{h.doc_id}{page} · chars {h.char_start}–{h.char_end} · score {c.hit.score:.4f}"
            st.caption(escape_md(where))
            st.markdown(highlighted(c))


def upload_panel(settings: Settings) -> None:
    from kb.ingest.loaders import READERS
    from kb.ingest.uploads import save_upload

    files = st.file_uploader(
        "Add articles",
        type=[ext.lstrip(".") for ext in READERS],
        accept_multiple_files=True,
        max_upload_size=int(settings.max_file_mb),
    )
    if files and st.button("Add to corpus and ingest"):
        saved = 0
        for f in files:
            try:
                save_upload(f.name, f.getvalue(), settings.corpus_dir, int(settings.max_file_mb * 1e6))
                saved += 1
            except KbError as e:
                st.error(escape_md(str(e)))
        if saved:
            reingest(settings)


def sidebar(settings: Settings) -> Settings:
    with st.sidebar:
        st.header("Settings")
        from kb.qa.llm import BACKENDS, availability

        why_not = {name: availability(name, settings) for name in BACKENDS}
        modes = [EXTRACTIVE] + [name for name, why in why_not.items() if why is None]
        mode = st.radio("Answer mode", modes, help="extractive: sentences picked from the articles")
        for name, why in why_not.items():
            if why:
                st.caption(escape_md(f"{name}: unavailable ({why})"))
        k = st.slider("Passages", 1, 10, settings.k)
        retriever = st.selectbox("Retriever", list(RetrieverName), index=0)
        st.header("Corpus")
        if st.button("Re-ingest"):
            reingest(settings)
        upload_panel(settings)
        try:
            index = load_index(settings.model_dump_json())
            for notice in index.notices:
                st.caption(escape_md(f"Notice: {notice}"))
            docs = index.documents()
            st.caption(f"{len(docs)} documents, {sum(d.n_chunks for d in docs)} chunks")
            for d in docs:
                when = d.ingested_at.replace("T", " ").replace("+00:00", " UTC")
                st.markdown(
                    f"**{escape_md(d.title)}**  \n{escape_md(d.doc_id)} · {d.n_chunks} chunks · {when}"
                )
        except KbError as e:
            st.error(escape_md(str(e)))
    return settings.model_copy(
        update={"k": k, "retriever": retriever, "llm": None if mode == EXTRACTIVE else mode}
    )


def reingest(settings: Settings) -> None:
    from kb.ingest.pipeline import ingest

    bar = st.progress(0.0, text="Embedding…")
    try:
        report = ingest(
            settings, progress=lambda d, t: bar.progress(d / max(t, 1), text=f"Embedding {d}/{t}")
        )
    except KbError as e:
        st.error(escape_md(f"Re-ingest failed: {e}"))
        return
    bar.empty()
    load_index.clear()
    st.success(escape_md(report.summary()))
    for path, reason in report.skipped:
        st.warning(escape_md(f"skipped {path}: {reason}"))
    for path, note in report.notes:
        st.info(escape_md(f"{path}: {note}"))


def ensure_index(settings: Settings) -> None:
    """Ingest the corpus first when there is no index yet, or it is out of date."""
    try:
        load_index(settings.model_dump_json())
    except IndexMissingError as e:
        state = "The index is out of date" if isinstance(e, IndexOutdatedError) else "No index yet"
        st.info(escape_md(f"{state}: ingesting {settings.corpus_dir} first."))
        reingest(settings)
    except KbError:
        pass  # shown by the sidebar


def main() -> None:
    st.set_page_config(page_title="kb", page_icon="📚")
    st.title("kb: ask the articles")
    base = Settings()
    ensure_index(base)
    settings = sidebar(base)
    history = st.session_state.setdefault("history", [])
    for role, content in history:
        with st.chat_message(role):
            if role == "assistant":
                show_answer(content)
            else:
                st.markdown(escape_md(content))
    question = st.chat_input("Ask a question about the articles")
    if not question:
        return
    with st.chat_message("user"):
        st.markdown(escape_md(question))
    with st.chat_message("assistant"):
        live, text = st.empty(), []

        def on_token(piece: str) -> None:  # LLM modes stream here; the checked answer replaces it
            text.append(piece)
            live.markdown(escape_md("".join(text)) + " ▌")

        try:
            from kb.qa.ask import ask

            index = load_index(base.model_dump_json())
            mode = settings.llm or EXTRACTIVE
            answer = ask(
                index, question, k=settings.k, retriever=settings.retriever, on_token=on_token, mode=mode
            )
        except KbError as e:
            st.error(escape_md(str(e)))
            return
        live.empty()
        show_answer(answer)
    history += [("user", question), ("assistant", answer)]
