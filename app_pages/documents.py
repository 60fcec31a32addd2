"""The Documents page (kb/app/documents.py)."""

from kb.app.documents import documents_page
from kb.app.state import base_settings

documents_page(base_settings())
