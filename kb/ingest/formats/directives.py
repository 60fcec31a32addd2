"""Documentation directives and roles (Sphinx, MyST, MkDocs, Docusaurus): which hold prose, which code.

Shared by the Markdown and reStructuredText readers. An admonition or version note keeps its
body as text, its label leading the first paragraph as a rendered page shows it ("Warning: …",
"Changed in version 20.0: …"); a tab or titled box leads with its title; an API or option
description (`option`, `envvar`, `py:method`, any domain-qualified name) is an entry
"signature: description", like a definition list's; code directives are code; a directive kb
does not know (`toctree`, `autoclass`, a project's own) holds nothing to read in
reStructuredText, and stays verbatim as code in a Markdown fence. Trade-off: a project's own
prose directive is lost in reStructuredText until its name is listed here.
"""

from __future__ import annotations

import re

from kb.text.blocks import Block

_ROLE_TARGET = re.compile(r"\s*<[^<>]*>$")

# admonitions and version notes: the label that leads their first paragraph
LABELS = {
    "note": "Note", "warning": "Warning", "tip": "Tip", "hint": "Hint", "important": "Important",
    "caution": "Caution", "danger": "Danger", "attention": "Attention", "error": "Error",
    "seealso": "See also", "todo": "To do", "info": "Info", "abstract": "Abstract",
    "success": "Success", "question": "Question", "failure": "Failure", "bug": "Bug",
    "example": "Example", "quote": "Quote",
    "versionadded": "New in version", "versionchanged": "Changed in version",
    "deprecated": "Deprecated since version", "versionremoved": "Removed in version",
}  # fmt: skip
VERSIONS = {"versionadded", "versionchanged", "deprecated", "versionremoved"}
# boxes whose argument, when given, is a title
CONTAINERS = {
    "admonition", "tab", "tab-item", "tab-set", "tabs", "group-tab", "card", "grid",
    "grid-item", "grid-item-card", "dropdown", "details", "sidebar", "topic", "margin",
    "container", "div", "only", "epigraph", "pull-quote", "highlights", "compound",
    "glossary", "centered", "hlist", "rubric",
}  # fmt: skip
CODE = {"code", "code-block", "sourcecode", "code-cell", "doctest", "testcode", "testoutput",
        "parsed-literal", "prompt", "jupyter-execute", "ipython"}  # fmt: skip

# nothing a reader reads: navigation, files pulled in, API stubs generated at build time
NOTHING = {"toctree", "contents", "include", "literalinclude", "image", "raw", "index", "meta",
           "autosummary", "automodule", "autoclass", "autofunction", "automethod"}  # fmt: skip


# descriptions of an API object or a setting: their argument is the signature
DESCRIPTIONS = {"option", "envvar", "confval", "describe", "object", "function", "class", "method",
                "attribute", "data", "exception", "decorator", "program", "setting"}  # fmt: skip


def describes(name: str) -> bool:
    """A description directive: listed, or qualified by a Sphinx domain ("py:method", "c:macro")."""
    return name in DESCRIPTIONS or (":" in name and name.split(":")[0].isalpha())


def is_prose(name: str) -> bool:
    return name in LABELS or name in CONTAINERS or describes(name)


def lead(name: str, argument: str) -> str:
    """What leads a directive's first paragraph ("" for none).

    >>> lead("versionchanged", "20.0"), lead("warning", ""), lead("tab", "Linux"), lead("only", "html")
    ('Changed in version 20.0:', 'Warning:', 'Linux:', '')
    """
    argument = " ".join(argument.split())
    if name in VERSIONS:
        return f"{LABELS[name]} {argument}:" if argument else f"{LABELS[name]}:"
    if name in LABELS:
        return f"{argument or LABELS[name]}:"
    if (name in CONTAINERS or describes(name)) and argument and name not in ("only", "div", "grid"):
        return argument if argument[-1] in ".:?!" else f"{argument}:"
    return ""


def directive_blocks(name: str, argument: str, body: list[Block]) -> list[Block]:
    """A directive's body with its label leading the first paragraph, or as a block of its own
    before a body that opens with code (a lead-in); an empty version note is a sentence of its
    own, any other empty directive nothing.

    >>> directive_blocks("note", "", [Block("para", "Only ASCII.")])
    [Block(kind='para', text='Note: Only ASCII.', level=0, page=0)]
    >>> directive_blocks("versionadded", "10.0", []), directive_blocks("tab", "Linux", [])
    ([Block(kind='para', text='New in version 10.0.', level=0, page=0)], [])
    >>> directive_blocks("option", "--no-deps", [Block("para", "Don't install dependencies.")])
    [Block(kind='item', text="--no-deps: Don't install dependencies.", level=0, page=0)]
    """
    label = lead(name, argument)
    if not body:
        alone = label[:-1] + "." if name in VERSIONS else label if describes(name) else ""
        return [Block("item" if describes(name) else "para", alone)] if alone else []
    if not label:
        return body
    if body[0].kind in ("para", "item"):
        kind = "item" if describes(name) else body[0].kind
        return [Block(kind, f"{label} {body[0].text}"), *body[1:]]
    return [Block("para", label), *body]


def role_text(name: str, content: str) -> str:
    """What a MyST or Sphinx role shows: its text without the `<target>`, "~" or "!"; a `doc`
    role's bare path shows as the document's name.

    >>> role_text("ref", "the guide <guide-label>"), role_text("func", "~pkg.mod.func")
    ('the guide', 'func')
    >>> role_text("doc", "../cli/pip_cache"), role_text("file", "/etc/pip.conf")
    ('pip_cache', '/etc/pip.conf')
    """
    text = _ROLE_TARGET.sub("", content) or content
    if name.rsplit(":", 1)[-1] == "doc" and text == content:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    if text.startswith("~"):
        text = text[1:].rsplit(".", 1)[-1]
    return text.lstrip("!")
