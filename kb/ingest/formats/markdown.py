"""Markdown files to blocks, parsed by markdown-it-py (CommonMark plus tables) and its plugins.

Front matter (YAML `---` or TOML `+++`) is dropped, its `title` kept as the title when the file
has no top heading; links and images are reduced to their text; fenced and indented code become
code blocks; table rows keep their cells. Documentation-site syntax is read as its site renders
it: MyST directives (```{note}, :::{tip}) and roles ({ref}`text <target>`), MkDocs admonitions
(`!!! warning`), Docusaurus admonitions (`:::tip`), GitHub alerts (`> [!NOTE]`), definition lists
and footnotes; labels, targets, comments and MDX's imports are dropped
(kb/ingest/formats/directives.py). Wiki links (`[[Page|label]]`, Obsidian's and GitHub wikis')
show what the wiki shows.
"""

from __future__ import annotations

import re
from functools import cache

from kb.ingest.formats.directives import (
    CODE,
    LABELS,
    NOTHING,
    VERSIONS,
    directive_blocks,
    is_prose,
    role_text,
)
from kb.text.blocks import Block, squash

_FRONT = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?\n)\1[ \t]*(\n|\Z)", re.S)
_TITLE = re.compile(r"^title\s*[:=]\s*[\"']?(.*?)[\"']?\s*$", re.M)
_DIRECTIVE = re.compile(r"\{([\w:.-]+)\}\s*(.*)")
_DOCUSAURUS = re.compile(r"([\w-]*)(?:\[([^\]]*)\])?\s*(.*)")  # :::tip[Title] or :::tip Title
_OPTIONS = re.compile(r"\A(?:---\n.*?\n---\n|(?::[\w-]+:.*\n)+)", re.S)  # MyST directive options
_ALERT = re.compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", re.I)
# MDX's JavaScript lines (Docusaurus reads .md as MDX too): `import Tabs from "@theme/Tabs";`
_ESM = re.compile(
    r"(?:(?:import\s+(?:[\w*{][^\n]*\sfrom\s+)?[\"'][^\"'\n]+[\"'];?|export\s+(?:const|default|function|let)\b.*)"
    r"\s*(?:\n|$))+"
)
_ATTRS = re.compile(r"^\{[^{}\n]*\}")
_ATTR = r"(?:[#.][\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]+)|[a-z]+-[\w-]+)"  # #id .class k=v data-x
_BLOCK_ATTRS = re.compile(rf"\s*\{{\s*{_ATTR}(?:\s+{_ATTR})*\s*\}}$")  # "## Install { #setup }"
_UNRESOLVED = re.compile(r"\[([^\[\]]+)\]\[[^\[\]\s]*\]")  # a reference link with no definition
_JSX_TAG = re.compile(r"<[A-Z]\w*\b([^>]*)>")  # a JSX component's opening tag
_JSX_ATTR = re.compile(r"\b(label|title|value)=[\"']([^\"']+)[\"']")
_TAB = re.compile(r'^(\s*)===\+?\s+"(.*)"\s*$')
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
# a wiki link: [[Page]], [[Page#Part|label]], ![[x.png]] (an embed)
_WIKI_LINK = re.compile(r"(!?)\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_MEDIA = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?|pdf|mp[34]|webm|mov|ogg|wav|m4a)$", re.I)
_MAX_DEPTH = 8  # directives inside directives: deeper ones stay verbatim


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


def page_key(name: str) -> str:
    """A wiki page's name as links match it: case, hyphens, underscores and a Markdown suffix aside.

    >>> page_key("Getting-Started.md"), page_key("getting started")
    ('getting started', 'getting started')
    """
    name = re.sub(r"\.(md|markdown|mdx)$", "", name.strip(), flags=re.I)
    return " ".join(re.sub(r"[-_]", " ", name).lower().split())


def page_title(name: str) -> str:
    """A page's title from its file name, as a wiki shows it (hyphens between words are spaces).

    >>> page_title("Getting-Started"), page_title("2024-05-01 standup"), page_title("C++-FAQ")
    ('Getting Started', '2024-05-01 standup', 'C++ FAQ')
    """
    return re.sub(r"(?<=[^\W\d]|[+#])-(?=[^\W\d])", " ", name)


def _wiki_link(m: re.Match, pages: frozenset[str]) -> str:
    embed, target, label = m.group(1), m.group(2).strip(), (m.group(3) or "").strip()
    if label and embed and re.fullmatch(r"\d+(x\d+)?", label):  # ![[a.png|300]]: a width
        label = ""
    if label and page_key(label) in pages and page_key(target) not in pages:
        target, label = label, target  # GitHub's and Gollum's order: [[label|Page]]
    if label:
        return label
    if embed and _MEDIA.search(target.split("#")[0]):
        return ""
    page, _, part = target.partition("#")
    part = "" if part.startswith("^") else part  # a block reference: the page
    return " > ".join(p.strip() for p in (page, part) if p.strip())


def wiki_links(text: str, pages: frozenset[str] = frozenset()) -> str:
    """Wiki links read as the wiki shows them: the label, else the page (and heading); an embedded
    image or file shows nothing, an embedded note its name. The label follows the "|" (Obsidian,
    MediaWiki) unless only the other side names one of `pages` (`page_key`s), as on GitHub wikis.

    >>> wiki_links("See [[Install Guide]], [[setup#Linux|the setup page]] and [[faq#Proxies]].")
    'See Install Guide, the setup page and faq > Proxies.'
    >>> wiki_links("![[flow.png]]Done, per [[#Limits]] and [[notes#^a1b2]].")
    'Done, per Limits and notes.'
    >>> wiki_links("Read [[the setup page|Setup-Guide]].", frozenset({"setup guide", "home"}))
    'Read the setup page.'
    """
    return _WIKI_LINK.sub(lambda m: _wiki_link(m, pages), text)


def _inline_text(token, pages: frozenset[str]) -> str:
    out, after = [], ""
    for child in token.children or []:
        if child.type in ("text", "code_inline", "image"):
            text = child.content
            if child.type == "text" and after in ("link_close", "image", "code_inline"):
                text = _ATTRS.sub("", text, count=1)  # MkDocs' attr_list: "[Go](x.md){ data-preview }"
            if child.type == "text":
                text = wiki_links(text, pages)
            out.append(text)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "myst_role":
            out.append(role_text(child.meta.get("name", ""), child.content))
        after = child.type
    text = _BLOCK_ATTRS.sub("", _UNRESOLVED.sub(r"\1", squash("".join(out))))
    alert = _ALERT.match(text)
    return f"{LABELS[alert.group(1).lower()]}: {text[alert.end() :]}" if alert else text


def _jsx_title(attributes: str) -> str:
    """The title a JSX component shows (Docusaurus' `<TabItem value="npm">` shows its value).

    >>> _jsx_title(' value="npm"'), _jsx_title(' value="m" label="Module worker"'), _jsx_title("")
    ('npm', 'Module worker', '')
    """
    found = dict(_JSX_ATTR.findall(attributes))
    return squash(found.get("label") or found.get("title") or found.get("value") or "")


def _tabbed(text: str) -> str:
    """MkDocs content tabs (`=== "Linux"`, body indented) as admonitions titled by the tab,
    outside code fences; else their bodies would read as indented code.

    >>> _tabbed('=== "Linux"\\n\\n    Run it.\\n```\\n=== "x"\\n```')
    '!!! tab "Linux"\\n\\n    Run it.\\n```\\n=== "x"\\n```'
    """
    out, fence = [], ""
    for line in text.split("\n"):
        if m := _FENCE_LINE.match(line):
            fence = "" if fence and m.group(1).startswith(fence) else fence or m.group(1)
        elif not fence and (tab := _TAB.match(line)):
            line = f'{tab.group(1)}!!! tab "{tab.group(2)}"'
        out.append(line)
    return "\n".join(out)


@cache
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    md = MarkdownIt("commonmark").enable("table")
    for plugin in (admon_plugin, attrs_plugin, colon_fence_plugin, deflist_plugin, footnote_plugin,
                   myst_block_plugin, myst_role_plugin):  # fmt: skip
        md.use(plugin)
    return md


def _directive(tok, depth: int, pages: frozenset[str]) -> list[Block]:
    """A fence: code, or a directive's body read as Markdown with its label leading it."""
    info = tok.info.strip()
    myst = _DIRECTIVE.match(info)
    if tok.type == "colon_fence":  # MyST ":::{note}" or Docusaurus ":::tip Title"
        docusaurus = _DOCUSAURUS.match(info)
        name, arg = myst.groups() if myst else (docusaurus[1], docusaurus[2] or docusaurus[3])
    elif myst:
        name, arg = myst.group(1), myst.group(2)
    else:
        return [Block("code", tok.content)]
    body = _OPTIONS.sub("", tok.content)
    if name == "eval-rst":
        from kb.ingest.formats.rst import rst_blocks

        return rst_blocks(body)[0]
    if name in CODE:
        return [Block("code", body)] if body.strip() else []
    if depth >= _MAX_DEPTH or not (is_prose(name) or tok.type == "colon_fence"):
        return [Block("code", tok.content)] if tok.content.strip() and name not in NOTHING else []
    if myst and name in LABELS and name not in VERSIONS and arg:  # MyST: the first line of the body
        body, arg = f"{arg}\n{body}", ""
    return directive_blocks(name.lower(), arg, _blocks(body, depth + 1, pages))


def _blocks(text: str, depth: int, pages: frozenset[str]) -> list[Block]:
    blocks: list[Block] = []
    heading, items, cells, term, inside = 0, 0, None, "", ""  # inside: a term or an admonition title
    opened: list[tuple[int, str, str]] = []  # (first block, name, title) of each admonition or definition
    for tok in _parser().parse(text):
        if tok.type == "heading_open":
            heading = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type == "list_item_open":
            items += 1
        elif tok.type == "list_item_close":
            items -= 1
        elif tok.type in ("dt_open", "admonition_title_open"):
            inside = tok.type
        elif tok.type in ("dt_close", "admonition_title_close"):
            inside = ""
        elif tok.type == "admonition_open":
            name, _, title = tok.info.strip().partition(" ")
            opened.append((len(blocks), name.lower(), title.strip().strip("\"'")))
        elif tok.type == "dd_open":
            opened.append((len(blocks), "", term))
        elif tok.type in ("admonition_close", "dd_close") and opened:
            start, name, title = opened.pop()
            if name:  # an admonition: a known one or a titled box
                name = name if name in LABELS else "admonition"
                blocks[start:] = directive_blocks(name, title, blocks[start:])
            elif body := directive_blocks("admonition", title, blocks[start:]):
                blocks[start:] = [Block("item", body[0].text), *body[1:]]
        elif tok.type == "tr_open":
            cells = []
        elif tok.type == "tr_close" and cells is not None:
            blocks.append(Block("row", "| " + " | ".join(cells) + " |"))
            cells = None
        elif tok.type == "code_block":
            blocks.append(Block("code", tok.content))
        elif tok.type in ("fence", "colon_fence"):
            blocks += _directive(tok, depth, pages)
        elif tok.type == "html_block":
            html = re.sub(r"<!--.*?(-->|\Z)", " ", tok.content, flags=re.S)
            blocks += [Block("para", f"{t}:") for t in map(_jsx_title, _JSX_TAG.findall(html)) if t]
            if plain := squash(re.sub(r"<[^>]+>", " ", html)):
                blocks.append(Block("para", plain))
        elif tok.type == "inline":
            line = _inline_text(tok, pages)
            if cells is not None:
                cells.append(line)
            elif heading:
                blocks.append(Block("heading", line, heading))
            elif inside == "dt_open":
                term = line
            elif inside == "admonition_title_open" and opened and opened[-1][2]:
                opened[-1] = (*opened[-1][:2], line)  # an explicit title, its markup read
            elif depth == 0 and tok.level == 1 and _ESM.fullmatch(tok.content):
                pass
            elif line and not inside:
                blocks.append(Block("item" if items else "para", line))
    return blocks


def markdown_blocks(text: str, pages: frozenset[str] = frozenset()) -> tuple[list[Block], str]:
    """Blocks of a Markdown (or MDX) document and its front-matter title. MDX's top-level
    `import` / `export` lines are dropped, its JSX tags go like HTML's. `pages`: the `page_key`s of
    the Markdown files beside it, which tell a wiki link's label from its page (`wiki_links`).

    >>> blocks, _ = markdown_blocks("# Use\\nSee [it](g.md).\\n\\n```\\nkb ask\\n```\\n| a |\\n|-|\\n| 1 |")
    >>> [(b.kind, b.text) for b in blocks]
    [('heading', 'Use'), ('para', 'See it.'), ('code', 'kb ask\\n'), ('row', '| a |'), ('row', '| 1 |')]
    >>> [b.text for b in markdown_blocks("```{warning}\\nThe git scheme is discouraged.\\n```")[0]]
    ['Warning: The git scheme is discouraged.']
    """
    body, title = front_matter(text)
    return _blocks(_tabbed(body), 0, pages), title
