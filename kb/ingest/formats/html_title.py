"""A page's title among its blocks: its only top heading, else its <title> (the first heading when
the <title> is that heading and the book's name); a heading that only names the site (mdBook's
menu bar) is none. Trade-off: a <title> is split at " - ", " | ",
" — " and the like, so a page title holding one of those with spaces around loses its tail when
a heading repeats that tail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from kb.text.blocks import Block


def only_top(blocks: list[Block]) -> int | None:
    """Where the page's only heading of the top level is, if it has one."""
    heads = [(i, b.level) for i, b in enumerate(blocks) if b.kind == "heading"]
    top = min((level for _, level in heads), default=0)
    tops = [i for i, level in heads if level == top]
    return tops[0] if len(tops) == 1 else None


_TITLE_PARTS = re.compile(r"\s+[-–—|·»]\s+")


def _without_site_name(blocks: list[Block], page_title: str) -> tuple[list[Block], str]:
    """The blocks without a heading that only names the site, as the end of the <title> does ("What
    Is Ownership? - The Rust Programming Language": mdBook's menu bar) with the page's own heading
    right after it, and the <title>'s part that names the page.

    >>> b = [Block("heading", "The Book", 1), Block("heading", "Slices", 2), Block("para", "A slice.")]
    >>> blocks, title = _without_site_name(b, "Slices - The Book")
    >>> [x.text for x in blocks], title
    (['Slices', 'A slice.'], 'Slices')
    >>> _without_site_name(b[1:], "Slices - The Book")[1]  # no heading names the site
    'Slices - The Book'
    """
    parts = [p.strip() for p in _TITLE_PARTS.split(page_title)]
    if len(parts) < 2 or parts[-1].lower() == parts[0].lower():
        return blocks, page_title
    for i, b in enumerate(blocks):
        if b.kind != "heading":
            break
        if b.text.lower() == parts[-1].lower() and blocks[i + 1 : i + 2] and blocks[i + 1].kind == "heading":
            return blocks[:i] + blocks[i + 1 :], " - ".join(parts[:-1])
    return blocks, page_title


_AFFIX = re.compile(r"\s+[-–—|·»]\s+|:\s+")  # where a site's name meets a page's in a <title>


def without_site_name(title: str, site_titles: Sequence[str]) -> str:
    """A <title> without the site's name: its first or last part, cut at a separator, when at
    least a third of the site's <title>s (3 or more) start or end the same way.

    >>> site = ["Caching - Django REST framework", "Routers - Django REST framework", "Home"] * 2
    >>> without_site_name("Authentication - Django REST framework", site)
    'Authentication'
    >>> without_site_name("Gtk – 4.0: Common Questions", ["Gtk – 4.0: Actions", "Gtk – 4.0: Overview"] * 2)
    'Common Questions'
    >>> without_site_name("Tutorial: Part 2", ["Tutorial: Part 1", "Install", "Usage", "FAQ"])
    'Tutorial: Part 2'
    """
    cuts = list(_AFFIX.finditer(title))
    if not cuts:
        return title

    def shared(count: int) -> bool:
        return count >= 3 and count >= len(site_titles) / 3

    start = next((c.end() for c in reversed(cuts) if shared(sum(t.startswith(title[: c.end()]) for t in
                                                                 site_titles))), 0)  # fmt: skip
    end = next((c.start() for c in cuts if c.start() >= start
                and shared(sum(t.endswith(title[c.start():]) for t in site_titles))), len(title))  # fmt: skip
    return title[start:end].strip() or title


def titled(blocks: list[Block], page_title: str) -> tuple[list[Block], str]:
    """Blocks under one top heading (the page's only top heading, else its <title>) and that title.
    A theme's label before the only top heading ("Navigation") does not make the <title> ("Tasks —
    Celery 5.2.6 documentation") the title when it holds that heading ("Tasks"); text before it
    does ("About Path", a page's one section, is not the title of "CLI Application Directory").
    A heading naming the site, not the page, is no heading (`_without_site_name`)."""
    blocks, page_title = _without_site_name(blocks, page_title)
    heads = [b for b in blocks if b.kind == "heading"]
    if not heads:
        return ([Block("heading", page_title, 1)] if page_title else []) + blocks, page_title
    top = min(b.level for b in heads)
    only = only_top(blocks)
    if only is not None and (
        only == blocks.index(heads[0])
        and all(b.kind == "heading" for b in blocks[:only])
        or blocks[only].text.lower() in page_title.lower()
    ):
        return blocks, blocks[only].text
    title = page_title or heads[0].text
    if _book_of(page_title, heads[0].text):  # "Conventions: GObject Reference Manual"
        title = heads[0].text
        blocks = [b for b in blocks if b is not heads[0]]
    demoted = [replace(b, level=min(b.level - top + 2, 6)) if b.kind == "heading" else b for b in blocks]
    return [Block("heading", title, 1), *demoted], title


def _book_of(page_title: str, first: str) -> bool:
    """Is a <title> the page's first heading and then, after a colon, the book's name, as DocBook's
    HTML (gtk-doc's) writes them?

    >>> _book_of("Signals: GObject Reference Manual", "Signals"), _book_of("Tutorial: Part 2", "Setup")
    (True, False)
    """
    head, colon, book = page_title.partition(": ")
    return bool(colon and book.strip()) and head.strip().lower() == first.strip().lower()
