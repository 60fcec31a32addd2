r"""Site generators' markup that kb's HTML walker would misread, rewritten as plain HTML first.

Doxygen puts a page's title in `<div class="headertitle"><div class="title">`, not a heading, so
the title read as a paragraph and the page had no top heading; and it shows the project's
banner (`#titlearea`: logo, name, version, brief) above every page. The title becomes an `<h1>`
and the page's headings (Doxygen's sections are `<h1>`s too) go one level down; the banner goes.
Its member tables give each member two rows, the declaration ("| void | func () |") and below
it the brief ("| | function in group 1 |"): the brief joins its declaration's row. Its formulas
are images whose `alt` holds their LaTeX ("in HTML, RTF, , XML" lost "{\LaTeX}"): the LaTeX
stands in. mdBook hides the lines a code example needs only to compile (`<span
class="boring">fn main() {`) until the reader asks for them: they go. DocBook (gtk-doc, Valgrind's
manual) lays a Q&A set out as a table, a row for each question and for each answer, so an answer's
paragraphs and code read as one table row: each question becomes a heading and its answer the
text under it. docs/design.md, "Reading documents".
"""

from __future__ import annotations

_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' %s ')"  # XPath: has this class


def _joined(brief) -> None:
    """A Doxygen member's brief row moved into the end of its declaration's row, after " — "."""
    decl, text = brief.getprevious(), brief.xpath("./td[starts-with(@class, 'mdescRight')]")
    cells = [] if decl is None else decl.xpath("./td[starts-with(@class, 'memItemRight')]")
    if not text or not cells or not (decl.get("class") or "").startswith("memitem"):
        return
    src, dst = text[0], cells[-1]
    glue = " — " + (src.text or "")
    if len(dst):
        dst[-1].tail = (dst[-1].tail or "") + glue
    else:
        dst.text = (dst.text or "") + glue
    dst.extend(list(src))
    brief.getparent().remove(brief)


def _questions(table) -> None:
    """A DocBook Q&A set's table replaced by its questions as headings ("1.4. How does …?"), each
    followed by its answer's content; the rows listing the questions (a table of contents) go."""
    box = table.makeelement("div", {})
    for row in table.xpath("./tr|./tbody/tr"):
        kind, cells = row.get("class", ""), row.xpath("./td|./th")
        if not cells:
            continue
        if kind == "question":
            head = box.makeelement("h6", {})
            label, question = (cells[0] if len(cells) > 1 else None), cells[-1]  # "1.4.", "How …?"
            parts = [" ".join(c.text_content().split()) for c in (label, question) if c is not None]
            head.text = " ".join(p for p in parts if p)
            box.append(head)
        elif kind in ("answer", "qandadiv"):
            cells[-1].tag = "div"
            box.append(cells[-1])
    table.getparent().replace(table, box)


def rewritten(root) -> None:
    """Rewrite, in place, what a site generator marks up in its own way.

    >>> from lxml import html
    >>> page = html.fromstring('<body><div id="titlearea"><div id="projectname">Doxygen</div></div>'
    ...     '<div class="headertitle"><div class="title">Lists </div></div><h1>Using dashes</h1></body>')
    >>> rewritten(page)
    >>> page.findtext(".//h1"), page.findtext(".//h2"), page.text_content()
    ('Lists ', 'Using dashes', 'Lists Using dashes')
    >>> code = html.fromstring('<pre><code><span class="boring">fn main() {\\n</span>let x = 5;\\n'
    ...     '<span class="boring">}\\n</span></code></pre>')
    >>> rewritten(code)
    >>> code.text_content()
    'let x = 5;\\n'
    >>> rows = html.fromstring('<table><tr class="memitem:a"><td class="memItemLeft">void</td>'
    ...     '<td class="memItemRight"><a>func</a> ()</td></tr><tr class="memdesc:a"><td class="mdescLeft">'
    ...     '</td><td class="mdescRight">function in <b>group 1</b></td></tr></table>')
    >>> rewritten(rows)
    >>> [r.text_content() for r in rows.iter("tr")]
    ['voidfunc () — function in group 1']
    """
    for table in root.xpath(f"//div[{_CLASS % 'qandaset'}]//table[.//tr[{_CLASS % 'question'}]]"):
        _questions(table)
    for banner in root.xpath('//div[@id="titlearea"]'):
        banner.drop_tree()
    for hidden in root.xpath(f"//pre//span[{_CLASS % 'boring'}]"):
        hidden.drop_tree()
    for brief in root.xpath("//tr[starts-with(@class, 'memdesc')]"):
        _joined(brief)
    for formula in root.xpath(f"//img[{_CLASS % 'formulaInl'} or {_CLASS % 'formulaDsp'}]"):
        alt, tail = formula.get("alt") or "", formula.tail
        formula.clear()  # its attributes too
        formula.tag, formula.text, formula.tail = "span", alt, tail
    titles = root.xpath(f"//div[{_CLASS % 'headertitle'}]/div[{_CLASS % 'title'}]")
    if titles:
        for level in range(5, 0, -1):
            for el in root.iter(f"h{level}"):
                el.tag = f"h{level + 1}"
        for el in titles:
            el.tag = "h1"
