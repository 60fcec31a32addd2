"""The Streamlit chat over the knowledge base (`streamlit run app.py` runs `main`). The top layer.

Pages: Chat (kb/app/chat.py), Documents (documents.py), Eval (evalpage.py). Corpus text is data:
everything from the documents is escaped before it reaches st.markdown (render.py), and no HTML
is ever rendered.
"""

from __future__ import annotations

import streamlit as st

from kb.app.chat import chat_page
from kb.app.documents import documents_page
from kb.app.evalpage import eval_page
from kb.app.render import escape_md, highlighted
from kb.errors import KbError
from kb.settings import Settings

__all__ = ["escape_md", "highlighted", "main"]


def main() -> None:
    st.set_page_config(page_title="kb", page_icon="📚")
    try:
        base = Settings()
    except ValueError as e:  # a bad KB_ variable: said once, plainly
        st.error(escape_md(f"Invalid setting: {e}"))
        return
    pages = [
        st.Page(lambda: chat_page(base), title="Chat", icon=":material/chat:", url_path="chat", default=True),
        st.Page(
            lambda: documents_page(base), title="Documents", icon=":material/folder:", url_path="documents"
        ),
        st.Page(lambda: eval_page(base), title="Eval", icon=":material/monitoring:", url_path="eval"),
    ]
    try:
        st.navigation(pages).run()
    except KbError as e:
        st.error(escape_md(str(e)))
