"""MediaWiki XML exports (Special:Export, dumpBackup.php) to blocks: one document per export file,
titled by the wiki's name, each page a section with its own sections under it.

mwparserfromhell parses each page's wikitext; kb writes it as the Markdown subset its Markdown
reader reads: `== Heading ==` a heading under the page's title, `*` / `#` list items, `{| … |}`
tables as rows, `<syntaxhighlight>` and `<pre>` as code, links as their label. Templates,
references, categories, files and interlanguage links go (an infobox's fields are not prose).
Only the latest revision of articles, project and help pages is read; redirects and talk, user,
file and template pages are not. Trade-off: a template that holds prose (`{{Note|…}}`) is lost.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from kb.ingest.formats.markdown import markdown_blocks
from kb.text.blocks import Block

CONTENT_NAMESPACES = {"0", "4", "12"}  # articles, the wiki's project pages, help pages
_DROPPED_TAGS = {"ref", "references", "gallery", "templatedata", "indicator", "noinclude", "timeline"}
_CODE_TAGS = {"pre", "syntaxhighlight", "source", "nowiki", "math"}
_NOT_TEXT = re.compile(r"^(file|image|media|category|[a-z]{2,3}(-[a-z]+)?):", re.IGNORECASE)
_MAGIC = re.compile(r"__[A-Z]+__")  # __TOC__, __NOTOC__


def is_export(head: bytes) -> bool:
    """Does a file start like a MediaWiki export?

    >>> is_export(b'<?xml version="1.0"?><mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/">')
    True
    >>> is_export(b'<?xml version="1.0"?><project name="docs">')
    False
    """
    return b"<mediawiki" in head[:4096]


def markdown_of(wikitext: str, below: int = 0) -> str:
    """A page's wikitext as Markdown, its headings `below` levels further down.

    >>> print(markdown_of("Use '''kb''' with [[Chroma|a store]].{{cn}}\\n== Setup ==\\n* Run <b>make</b>", 1))
    Use kb with a store.
    <BLANKLINE>
    ### Setup
    <BLANKLINE>
    - Run make
    """
    import mwparserfromhell

    text = _MAGIC.sub("", _written(mwparserfromhell.parse(wikitext).nodes, below))
    text = re.sub(r"(?m)^((?:- |1\. )+) +", r"\1", text)  # "* item": the mark's own space only
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _written(nodes, below: int = 0) -> str:
    out: list[str] = []
    for node in nodes:
        kind = type(node).__name__
        if kind == "Text":
            out.append(str(node))
        elif kind == "Heading":
            title = " ".join(_written(node.title.nodes, below).split())
            out.append(f"\n\n{'#' * min(node.level + below, 6)} {title}\n\n")
        elif kind == "Wikilink":
            target = str(node.title).strip().lstrip(":")
            if not _NOT_TEXT.match(target):
                out.append(_written(node.text.nodes, below) if node.text else target.split("#")[0])
        elif kind == "ExternalLink":
            out.append(_written(node.title.nodes, below) if node.title else str(node.url))
        elif kind == "HTMLEntity":
            out.append(node.normalize())
        elif kind == "Tag":
            out.append(_tag(node, below))
    return "".join(out)


def _tag(node, below: int) -> str:
    name = str(node.tag).strip().lower()
    if name in _DROPPED_TAGS:
        return ""
    if name in _CODE_TAGS:
        code = str(node.contents or "").strip("\n")
        return f"\n\n```\n{code}\n```\n\n" if name != "nowiki" else code
    if name == "li":
        return "1. " if node.wiki_markup == "#" else "- "
    if name in ("dt", "dd"):
        return ": " if name == "dd" else ""
    if name == "br":
        return "\n"
    if name == "hr":
        return "\n\n"
    if name == "table":
        return _table(node, below)
    return _written(node.contents.nodes, below) if node.contents else ""


def _cells(nodes, below: int) -> list[str]:
    return [
        " ".join(_written(c.contents.nodes, below).split()).replace("|", "/")
        for c in nodes
        if type(c).__name__ == "Tag" and str(c.tag).lower() in ("td", "th")
    ]


def _table(node, below: int) -> str:
    """A wikitable as Markdown rows, its first row the header (cells before the first `|-` are a
    row of their own)."""
    rows, loose = [], _cells(node.contents.nodes, below)
    for row in [loose] + [
        _cells(r.contents.nodes, below)
        for r in node.contents.nodes
        if type(r).__name__ == "Tag" and str(r.tag).lower() == "tr"
    ]:
        if any(row):
            rows.append("| " + " | ".join(row) + " |")
    if not rows:
        return ""
    width = rows[0].count(" | ") + 1
    return "\n\n" + "\n".join([rows[0], "|" + "---|" * width, *rows[1:]]) + "\n\n"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def mediawiki_blocks(path: Path) -> tuple[list[Block], str]:
    """Blocks of every content page in an export, each a section under its title, and the wiki's
    name (the export's file name when it has none)."""
    site, parts = "", []
    for _, el in ET.iterparse(path):
        name = _local(el.tag)
        if name == "sitename":
            site = (el.text or "").strip()
        elif name == "page":
            fields = {_local(c.tag): c for c in el}
            title = (fields["title"].text or "").strip() if "title" in fields else ""
            latest = [c for c in el if _local(c.tag) == "revision"][-1:]  # an export may hold them all
            text = next((c.text or "" for r in latest for c in r if _local(c.tag) == "text"), "")
            namespace = (fields["ns"].text or "0").strip() if "ns" in fields else "0"
            redirect = "redirect" in fields or text.lstrip().upper().startswith("#REDIRECT")
            if title and namespace in CONTENT_NAMESPACES and not redirect:
                parts.append(f"## {title}\n\n{markdown_of(text, below=1)}")  # its "== Steps ==": ###
            el.clear()
    site = site or path.stem
    return markdown_blocks("\n\n".join([f"# {site}", *parts]))[0], site
