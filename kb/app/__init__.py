"""The Streamlit chat over the knowledge base (`streamlit run app.py` runs `main`). The top layer.

Pages, each a file in app_pages/ that calls its module here: Chat (chat.py), Documents
(documents.py), Eval (evalpage.py). Corpus text is data: everything from the documents is
escaped before it reaches st.markdown (render.py), and no HTML is ever rendered.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kb.app.render import escape_md, highlighted

__all__ = ["escape_md", "highlighted", "main"]
PAGES = Path("app_pages")  # beside app.py: Streamlit resolves pages from the main script's folder


def main() -> None:
    st.set_page_config(page_title="kb", page_icon="📚")
    pages = [
        st.Page(PAGES / "chat.py", title="Chat", icon=":material/chat:", default=True),
        st.Page(PAGES / "documents.py", title="Documents", icon=":material/folder:"),
        st.Page(PAGES / "eval.py", title="Eval", icon=":material/monitoring:"),
    ]
    st.navigation(pages).run()
