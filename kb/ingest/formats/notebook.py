"""Jupyter notebooks to blocks: Markdown cells read as Markdown, code cells as code blocks.

Outputs are left out (images, tables of numbers, tracebacks: what the code printed, not what the
author wrote), and so are raw cells. Both the current format (nbformat 4) and the old one with
worksheets (3) are read; the notebook's first heading is its title.
"""

from __future__ import annotations

import json

from kb.ingest.formats.markdown import markdown_blocks
from kb.text.blocks import Block


def notebook_blocks(text: str) -> tuple[list[Block], str]:
    """Blocks of a notebook's cells, in order.

    >>> nb = {"cells": [{"cell_type": "markdown", "source": ["# Fit\\n", "A *model*."]},
    ...                 {"cell_type": "code", "source": "fit(x)", "outputs": [{"text": "ok"}]}]}
    >>> [(b.kind, b.text) for b in notebook_blocks(json.dumps(nb))[0]]
    [('heading', 'Fit'), ('para', 'A model.'), ('code', 'fit(x)')]
    """
    nb = json.loads(text)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", nb.get("worksheets")), list):
        raise ValueError("not a Jupyter notebook (no cells)")
    cells = nb.get("cells") or [c for sheet in nb.get("worksheets", []) for c in sheet.get("cells", [])]
    blocks: list[Block] = []
    for cell in cells:
        source = cell.get("source", cell.get("input", ""))
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            blocks += markdown_blocks(source)[0]
        elif cell.get("cell_type") == "code" and source.strip():
            blocks.append(Block("code", source))
    return blocks, ""
