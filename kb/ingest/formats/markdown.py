"""Markdown files to blocks, parsed by markdown-it-py (CommonMark plus tables).

Front matter (YAML `---` or TOML `+++`) is dropped, its `title` kept as the title when the file
has no top heading; links and images are reduced to their text; fenced and indented code become
code blocks; table rows keep their cells.
"""

from __future__ import annotations

import re

from kb.text.blocks import Block, squash

_FRONT = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?\n)\1[ \t]*(\n|\Z)", re.S)
_TITLE = re.compile(r"^title\s*[:=]\s*[\"']?(.*?)[\"']?\s*$", re.M)


def front_matter(text: str) -> tuple[str, str]:
    """The text without its front matter, and the front matter's title ("" when none).

    >>> front_matter("---\\ntitle: 'Setup'\\ntags: [a]\\n---\\n# Install\\n")
    ('# Install\\n', 'Setup')
    """
    m = _FRONT.match(text)
    if not m:
        return text, ""
    title = _TITLE.search(m.group(2))
    return text[m.end() :], title.group(1) if title else ""


def _inline_text(token) -> str:
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content)
    return squash("".join(out))


def markdown_blocks(text: str) -> tuple[list[Block], str]:
    """Blocks of a Markdown document and its front-matter title.

    >>> blocks, _ = markdown_blocks("# Use\\nSee [it](g.md).\\n\\n```\\nkb ask\\n```\\n| a |\\n|-|\\n| 1 |")
    >>> [(b.kind, b.text) for b in blocks]
    [('heading', 'Use'), ('para', 'See it.'), ('code', 'kb ask\\n'), ('row', '| a |'), ('row', '| 1 |')]
    """
    from markdown_it import MarkdownIt

    body, title = front_matter(text)
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    blocks: list[Block] = []
    heading, items, cells = 0, 0, None
    for tok in tokens:
        if tok.type == "heading_open":
            heading = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type == "list_item_open":
            items += 1
        elif tok.type == "list_item_close":
            items -= 1
        elif tok.type == "tr_open":
            cells = []
        elif tok.type == "tr_close" and cells is not None:
            blocks.append(Block("row", "| " + " | ".join(cells) + " |"))
            cells = None
        elif tok.type in ("fence", "code_block"):
            blocks.append(Block("code", tok.content))
        elif tok.type == "html_block":
            if plain := squash(re.sub(r"<[^>]+>", " ", tok.content)):
                blocks.append(Block("para", plain))
        elif tok.type == "inline":
            line = _inline_text(tok)
            if cells is not None:
                cells.append(line)
            elif heading:
                blocks.append(Block("heading", line, heading))
            elif line:
                blocks.append(Block("item" if items else "para", line))
    return blocks, title
