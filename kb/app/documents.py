"""The Documents page: what the collection holds, and adding, replacing, re-ingesting, deleting."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from kb.app.chat import collection_picker
from kb.app.document import show_document
from kb.app.render import escape_md
from kb.app.state import can_write, index_of, page_query, query_int, reingest
from kb.errors import KbError
from kb.settings import Settings


def rows(settings: Settings) -> list[dict]:
    """One row per indexed document, with its file's size (absent: deleted since the last ingest)."""
    out = []
    for d in index_of(settings).documents():
        path = settings.corpus_dir / d.doc_id
        size = path.stat().st_size if path.is_file() else None
        out.append({
            "title": d.title,
            "document": d.doc_id,
            "size (KB)": round(size / 1024, 1) if size is not None else None,
            "chunks": d.n_chunks,
            "ingested": d.ingested_at.replace("T", " ").replace("+00:00", " UTC"),
            "status": d.status if size is not None else "file deleted: re-ingest",
        })  # fmt: skip
    return out


def documents_page(base: Settings) -> None:
    with st.sidebar:
        settings = collection_picker(base)
    if "doc" in st.query_params:
        show_document(settings, st.query_params["doc"], query_int("at"), page_query(base))
        return
    st.title("Documents")
    st.caption(escape_md(f"Collection {settings.collection}: {settings.corpus_dir}"))
    writable = can_write(settings)
    try:
        table = rows(settings)
    except KbError as e:
        st.error(escape_md(str(e)))
        table = []
    if table:
        st.caption(f"{len(table)} documents, {sum(r['chunks'] for r in table)} chunks")
        st.dataframe(table, hide_index=True, use_container_width=True)
        doc_id = st.selectbox("Document", [r["document"] for r in table])
        st.markdown(f"[Open the document]({'?' + urlencode(page_query(base, doc=doc_id))})")
        left, middle, right = st.columns(3)
        if middle.button("Re-ingest this document", disabled=not writable):
            reingest(settings, redo=frozenset({doc_id}))
        if writable:  # the forms that change the corpus are not even drawn otherwise
            with right.popover("Delete", icon=":material/delete:"):
                st.write(escape_md(f"Delete {doc_id} from the corpus folder and the index?"))
                if st.button("Yes, delete it", type="primary"):
                    _delete(settings, doc_id)
            with left.popover("Replace", icon=":material/upload_file:"):
                _upload(settings, replace_name=doc_id)
    st.subheader("Add documents")
    if writable:
        _upload(settings)
        if st.button("Re-ingest the folder", help="pick up files changed outside the chat"):
            reingest(settings)


def _delete(settings: Settings, doc_id: str) -> None:
    from kb.ingest.uploads import remove_document

    try:
        remove_document(doc_id, settings.corpus_dir)
    except KbError as e:
        st.error(escape_md(str(e)))
        return
    reingest(settings)


def _upload(settings: Settings, replace_name: str | None = None) -> None:
    from kb.ingest.loaders import READERS
    from kb.ingest.uploads import save_upload

    files = st.file_uploader(
        f"A new version of {replace_name}" if replace_name else "Files to add",
        type=[Path(replace_name).suffix.lstrip(".")] if replace_name else [e.lstrip(".") for e in READERS],
        accept_multiple_files=replace_name is None,
        max_upload_size=int(settings.max_file_mb),
        key=f"upload-{replace_name or ''}",
    )
    files = [files] if files and not isinstance(files, list) else files or []
    label = "Replace and ingest" if replace_name else "Add to the corpus and ingest"
    if not files or not st.button(label):
        return
    saved, limit = 0, int(settings.max_file_mb * 1e6)
    for f in files:
        try:
            save_upload(replace_name or f.name, f.getvalue(), settings.corpus_dir, limit, bool(replace_name))
            saved += 1
        except KbError as e:
            st.error(escape_md(str(e)))
    if saved:
        reingest(settings)
