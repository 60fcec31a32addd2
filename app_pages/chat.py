"""The Chat page (kb/app/chat.py)."""

from kb.app.chat import chat_page
from kb.app.state import base_settings

chat_page(base_settings())
