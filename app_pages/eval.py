"""The Eval page (kb/app/evalpage.py)."""

from kb.app.evalpage import eval_page
from kb.app.state import base_settings

eval_page(base_settings())
