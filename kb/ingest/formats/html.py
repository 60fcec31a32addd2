"""HTML pages to blocks: the page's own structure, kept only where it is main content.

trafilatura decides what is main content (it drops navigation, sidebars, breadcrumbs, footers);
kb walks the original DOM for the structure trafilatura flattens or drops (headings, `<pre>`
code, lists, table rows, "term: definition" for `<dl>`, "2^32" for an exponent; an admonition's
"Note" heading is a label) and keeps each block whose words trafilatura kept, and the headings
of kept sections. A line repeating a heading (a table of contents) and a block of nothing but
links (menus, "Edit this page") or of links between navigation labels ("Next: Types, Up: Using
libffi [Index]") go, as do heading permalinks ("¶") and links to the source code ("[source]").
Trade-off: a page trafilatura finds nothing in keeps all but scripts, styles, nav, header,
footer and aside.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import html as lxml_html

from kb.ingest.formats.html_main import main_blocks, words_of
from kb.ingest.formats.html_sites import rewritten
from kb.ingest.formats.html_title import titled
from kb.text.blocks import Block, squash
from kb.text.sections import admonition

DROP = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
        "button", "iframe", "select", "textarea", "head"}  # fmt: skip
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCKS = {"p", "div", "section", "article", "main", "body", "blockquote", "ul", "ol", "dl", "dd",
          "li", "figure", "figcaption", "center", "details", "summary", "caption", "br", "hr",
          "html", "address", "tbody", "thead"}  # fmt: skip
PERMALINK = {"¶", "§", "#", "🔗", "◆", "link", "[src]", "[source]"}  # and links to the source code
# a link to the rest ("More...", "(more…)", "Read more »"), not "the <a>more</a> powerful features"
_MORE = re.compile(r"(?:read more|more)\s*(?:\.\.\.|…|»|→)|read more", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")  # lxml refuses str input that declares an encoding


def _permalink(el) -> bool:
    if el.tag != "a":
        return False
    cls, text = el.get("class", ""), el.text_content().strip()
    return (
        text in PERMALINK
        or bool(_MORE.fullmatch(text))
        or any(k in cls for k in ("headerlink", "anchor-link", "hash-link", "permalink"))
    )


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.item = False  # the next paragraph is a list item
        self.links: list[str] = []  # the buffer's link texts
        self.term = ""  # a definition list's term, written before its definition's first paragraph
        self.definition: int | None = None  # the block a definition's later paragraphs join
        self.dropped = 0  # blocks left out as navigation so far

    def flush(self) -> None:
        text = squash("".join(self.buf))
        links, self.buf, self.links = self.links, [], []
        if text and _navigation(text, links):
            self.dropped += 1
        elif text:
            if self.term:
                text, self.term, self.item = f"{self.term.removesuffix(':')}: {text}", "", True
                self.definition = len(self.blocks)
            elif self.definition == len(self.blocks) - 1 and not self.item:
                self.blocks[-1] = Block("item", f"{self.blocks[-1].text} {text}")
                return
            self.blocks.append(Block("item" if self.item else "para", text))
        self.item = self.item and not text

    def definitions(self, dl) -> None:
        """A definition list: each definition as one item, "term: definition", its paragraphs
        joined (a paragraph after a nested list or code block stands alone)."""
        terms: list[str] = []
        outer = self.definition
        for child in dl:
            if child.tag == "dt":
                term, links = _inline(child), [_inline(a) for a in child.iter("a")]
                if not _alnum("".join(links)) or not _navigation(term, links):  # ">>>¶" is a term
                    terms.append(term)
            elif child.tag == "dd":
                self.term, terms = " ".join(t for t in terms if t), []
                self.walk_cell(child)
                self.term_alone()
                self.definition = None
            else:
                self.walk(child)
        self.blocks += [Block("item", t) for t in terms if t]
        self.definition = outer

    def term_alone(self) -> None:
        if self.term:
            self.blocks.append(Block("item", self.term))
            self.term = ""

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in DROP or _permalink(el):
            tail = el.tail or ""
            if self.buf and self.buf[-1].rstrip().endswith("(") and tail.lstrip().startswith(")"):
                self.buf[-1], tail = self.buf[-1].rstrip()[:-1].rstrip(), tail.lstrip()[1:]  # "(more...)"
            self.buf.append(tail)
            return
        if tag in HEADINGS or tag == "pre" or tag == "table":
            self.flush()
            self.special(el, tag)
        elif tag == "dl":
            self.flush()
            self.definitions(el)
        elif tag in BLOCKS:
            self.flush()
            outer, start, dropped = self.item, len(self.blocks), self.dropped
            self.item = tag in ("li", "dt") or self.item
            self.buf.append(el.text or "")
            for child in el:
                self.walk(child)
            self.flush()
            added = self.blocks[start:]
            if self.dropped > dropped and all(b.kind == "heading" and b.level > 1 for b in added):
                del self.blocks[start:]  # a box of links' title ("Table of Contents"), not a page's
            if tag in ("li", "dt"):  # an empty item (<li class="wy-breadcrumbs-aside">) ends here
                self.item = outer
        else:
            if tag == "a":
                self.links.append(el.text_content())
            if tag == "sup" and _power(el, next((b for b in reversed(self.buf) if b), "")):
                self.buf.append("^")
            self.buf.append(el.text or "")
            for child in el:
                self.walk(child)
        self.buf.append(el.tail or "")

    def special(self, el, tag: str) -> None:
        if tag in HEADINGS:
            if (text := _inline(el)) and admonition(text):  # DocBook's <h3 class="title">Note</h3>
                self.blocks.append(Block("para", text))
            elif text:
                self.blocks.append(Block("heading", text, HEADINGS[tag]))
        elif tag == "pre":
            self.term_alone()
            self.blocks.append(Block("code", el.text_content()))
        else:
            for row in (r for r in el.iter("tr") if next(r.iterancestors("table")) is el):
                tds = list(row.iterchildren("td", "th"))
                cells = [_inline(c) for c in tds]
                if len(cells) == 1 or _laid_out(tds, cells):  # a layout table: its cells are ordinary content
                    for cell, text in zip(tds, cells):
                        if not (len(cells) > 1 and _LINE_NUMBERS.fullmatch(text)):
                            self.walk_cell(cell)
                elif any(cells) and not _navigation(" ".join(cells), [_inline(a) for a in row.iter("a")]):
                    self.blocks.append(Block("row", "| " + " | ".join(cells) + " |"))

    def walk_cell(self, cell) -> None:
        self.buf.append(cell.text or "")
        for child in cell:
            self.walk(child)
        self.flush()


_LINE_NUMBERS = re.compile(r"[\d\s]*")  # a code listing's column of line numbers ("1 2 3")


def _laid_out(cells: list, texts: list[str]) -> bool:
    """Is a table row layout, not data: a cell holding a heading (gtk-doc's page title), code beside
    its line numbers (gtk-doc, Sphinx) or beside more code, or an admonition's label beside its text
    (asciidoc's "Note")? Its cells are then read as ordinary content, the line numbers left out.

    >>> row = lxml_html.fromstring('<tr><td><pre>1\\n2</pre></td><td><pre>a = 1\\nb = 2</pre></td></tr>')
    >>> _laid_out(list(row), ["1 2", "a = 1 b = 2"])
    True
    >>> row = lxml_html.fromstring("<tr><td>x</td><td><pre>3 * cols</pre></td></tr>")  # data
    >>> _laid_out(list(row), ["x", "3 * cols"])
    False
    """
    if any(c.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6") for c in cells):
        return True
    filled = [(c, t) for c, t in zip(cells, texts) if t]
    if len(filled) == 2 and admonition(filled[0][1]):
        return True
    code = [c.find(".//pre") is not None for c, _ in filled]
    return any(code) and all(has or _LINE_NUMBERS.fullmatch(t) for has, (_, t) in zip(code, filled))


def _alnum(text: str) -> int:
    return sum(c.isalnum() for c in text)


NAV_WORDS = {"next", "previous", "prev", "up", "home", "top", "contents", "index", "back", "forward"}


def _navigation(text: str, links: list[str]) -> bool:
    """Is a block nothing but links ("Edit this page", a menu), or links with nothing but
    navigation labels between them (Texinfo's "Next: Types, Up: Using libffi [Index]")?

    >>> _navigation("Next: Types, Up: Using libffi [Index]", ["Types", "Using libffi", "Index"])
    True
    >>> _navigation("See Types for the index of types.", ["Types"])
    False
    """
    if sum(_alnum(t) for t in links) >= 0.9 * _alnum(text):
        return True
    rest = Counter(words_of(text)) - Counter(w for t in links for w in words_of(t))
    return bool(links) and all(w in NAV_WORDS for w in rest)


def _inline(el) -> str:
    return squash(_raw_inline(el))


def _raw_inline(el) -> str:
    out = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            out.append(" ")
        elif tag and tag not in DROP and not _permalink(child):
            if tag == "sup" and _power(child, "".join(out)):
                out.append("^")
            out.append(_raw_inline(child))
        out.append(child.tail or "")
    return "".join(out)


def _power(sup, before: str) -> bool:
    """Is a <sup> an exponent: digits right after a digit ("2<sup>32</sup>" reads "2^32", not "232")?

    >>> _power(lxml_html.fromstring("<sup><small>32</small></sup>"), "size 2")
    True
    >>> _power(lxml_html.fromstring("<sup>1</sup>"), "precedence")
    False
    """
    return before[-1:].isdigit() and sup.text_content().strip().lstrip("-−").isdigit()


_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)


def asks_not_to_be_indexed(html: str) -> bool:
    """Does the page's <meta name="robots"> say noindex (mdBook's print.html, a moved page's stub)?

    >>> asks_not_to_be_indexed('<head><meta content="noindex,follow" name="robots"></head>')
    True
    >>> asks_not_to_be_indexed('<meta name="description" content="noindex">')
    False
    """
    end = html.lower().find("</head>")
    for tag in _META.findall(html if end < 0 else html[:end]):
        low = tag.lower()
        if re.search(r"name\s*=\s*[\"']?robots\b", low) and "noindex" in low:
            return True
    return False


def _content(block: Block, heads: list[str]) -> bool:
    """Is a block content, not a line of a table of contents (a line repeating a heading)? A list
    item repeating a section's heading is: the list names the sections ("five levels: allow, warn,
    …"); one repeating the page's first heading is a breadcrumb's last item.

    >>> heads, blocks = ["lint levels", "deny"], [("item", "deny"), ("para", "deny"), ("item", "Lint levels")]
    >>> [_content(Block(kind, text), heads) for kind, text in blocks]
    [True, False, False]
    """
    words = " ".join(words_of(block.text))
    return words not in heads or block.kind == "item" and words != heads[0]


def html_blocks(html: str, main_only: bool = True) -> tuple[list[Block], str]:
    """Blocks of the page's main content, and the page's title ("" when it has none)."""
    if not html.strip():
        return [], ""
    root = lxml_html.document_fromstring(_XML_DECL.sub("", html, count=1))
    rewritten(root)
    title = squash(root.findtext(".//title") or "")
    walker = _Walker()
    walker.walk(root.find("body") if root.find("body") is not None else root)
    walker.flush()
    heads = [" ".join(words_of(b.text)) for b in walker.blocks if b.kind == "heading"]
    blocks = [b for b in walker.blocks if b.kind == "heading" or _content(b, heads)]
    if main_only:
        import trafilatura

        main = trafilatura.extract(html, include_tables=True, include_comments=False, favor_recall=True,
                                   deduplicate=False)  # fmt: skip
        if main and (kept := main_blocks(blocks, main)):
            blocks = kept
    return titled(blocks, title)
