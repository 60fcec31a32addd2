"""reStructuredText files to blocks, parsed by docutils.

Sphinx sources use roles and directives plain docutils does not know: before parsing, each unknown
role a file uses is registered to show its text (`:ref:`the guide <guide>`` → "the guide"), each
unknown prose directive (kb/ingest/formats/directives.py: `versionadded`, `tab`, `seealso` …) to
keep its body, and any other unknown one (`toctree`, `autoclass`) to show nothing. Includes and
raw HTML are never read: a document is data, it does not get to open other files.
"""

from __future__ import annotations

import io
import re

from kb.ingest.formats.directives import CODE, LABELS, VERSIONS, directive_blocks, is_prose, role_text
from kb.text.blocks import Block, squash

_ROLE = re.compile(r"(?<![\w`]):((?:[A-Za-z][\w-]*:)?[A-Za-z][\w.+-]*):`")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+([A-Za-z][\w:.+-]*)::", re.M)
_SETTINGS = {
    "report_level": 5, "halt_level": 5,
    "file_insertion_enabled": False, "raw_enabled": False, "doctitle_xform": False,
    "sectsubtitle_xform": False, "syntax_highlight": "none", "input_encoding": "unicode",
}  # fmt: skip


def _register(text: str) -> None:
    """Give docutils the roles and directives this file uses that it lacks (see the docstring)."""
    from docutils import nodes, utils
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Directive, Parser, directives, roles
    from docutils.parsers.rst.languages import en
    from docutils.statemachine import StringList

    def show(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.Text(role_text(name, text))], []

    class Any(dict):
        def __missing__(self, key):
            return directives.unchanged

    class Box(Directive):
        has_content, optional_arguments, final_argument_whitespace = True, 1, True
        option_spec = Any(name=directives.unchanged)

        def run(self):
            argument, content, text = " ".join(self.arguments), self.content, ""
            if self.name in VERSIONS:  # "2.3 Not set by default …": the version, then text
                argument, text = (argument.split(None, 1) + [""])[:2]
            elif self.name in LABELS:  # an admonition Sphinx adds (seealso): its first line
                argument, text = "", argument
            if text:
                content = StringList([text, "", *content])
            elif argument:  # a title, with its inline markup read
                argument = "".join(n.astext() for n in self.state.inline_text(argument, self.lineno)[0])
            box = nodes.container(kb_name=self.name, kb_arg=argument)
            self.state.nested_parse(content, self.content_offset, box)
            return [box]

    class Code(Box):
        def run(self):
            return [nodes.literal_block(text="\n".join(self.content))]

    class Nothing(Box):
        def run(self):
            return []

    settings = get_default_settings(Parser)
    settings.report_level, settings.warning_stream = 5, io.StringIO()
    quiet = utils.new_document("", settings)
    for name in set(_ROLE.findall(text)):
        if roles.role(name, en, 0, quiet.reporter)[0] is None:
            roles.register_local_role(name, show)
    for name in set(_DIRECTIVE.findall(text)):
        if directives.directive(name, en, quiet)[0] is None:
            kind = Code if name in CODE else Box if is_prose(name) else Nothing
            directives.register_directive(name, kind)


def rst_blocks(text: str) -> tuple[list[Block], str]:
    """Blocks of a reStructuredText document ("" for its title: its first heading is).

    >>> blocks, _ = rst_blocks("Use\\n===\\n\\n.. versionadded:: 7.1\\n\\n   Try :ref:`it <x>`.\\n")
    >>> [(b.kind, b.text) for b in blocks]
    [('heading', 'Use'), ('para', 'New in version 7.1: Try it.')]
    """
    from docutils.core import publish_doctree

    _register(text)
    doctree = publish_doctree(text, settings_overrides=dict(_SETTINGS, warning_stream=io.StringIO()))
    return _Walk().children(doctree, 0), ""


class _Walk:
    def children(self, node, depth: int) -> list[Block]:
        return self.each(node.children, depth)

    def each(self, children, depth: int) -> list[Block]:
        return [b for child in children for b in self.node(child, depth)]

    def node(self, node, depth: int) -> list[Block]:  # noqa: PLR0911 - one case per node kind
        from docutils import nodes

        if isinstance(node, (nodes.comment, nodes.system_message, nodes.target, nodes.raw,
                             nodes.substitution_definition, nodes.image, nodes.problematic,
                             nodes.footnote_reference, nodes.citation_reference, nodes.label)):  # fmt: skip
            return []
        if isinstance(node, nodes.topic) and "contents" in node["classes"]:
            return []
        if isinstance(node, nodes.section):
            return self.children(node, depth + 1)
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            return [Block("heading", _text(node), depth)]
        if isinstance(node, nodes.rubric):
            return [Block("heading", _text(node), depth + 1)]
        if isinstance(node, nodes.title):  # of a table, topic or sidebar: it leads what follows
            return [Block("para", f"{_text(node)}:")]
        if isinstance(node, (nodes.paragraph, nodes.line_block)):
            return [Block("para", t)] if (t := _text(node)) else []
        if isinstance(node, (nodes.literal_block, nodes.doctest_block)):
            return [Block("code", node.astext())]
        if isinstance(node, nodes.list_item):
            return _as_items(self.children(node, depth))
        if isinstance(node, nodes.row):
            return [Block("row", "| " + " | ".join(_text(e) for e in node.children) + " |")]
        if isinstance(node, (nodes.definition_list_item, nodes.field, nodes.option_list_item)):
            head, *body = node.children
            return _as_items(directive_blocks("admonition", _text(head), self.each(body, depth)))
        if isinstance(node, nodes.Admonition):
            name = node.tagname
            if name == "admonition" and node.children and isinstance(node[0], nodes.title):
                return directive_blocks(name, _text(node[0]), self.each(node[1:], depth))
            return directive_blocks(name, "", self.children(node, depth))
        if isinstance(node, nodes.container) and node.get("kb_name"):
            return directive_blocks(node["kb_name"], node["kb_arg"], self.children(node, depth))
        if isinstance(node, (nodes.Text, nodes.Inline)):
            return [Block("para", t)] if (t := _text(node)) else []
        return self.children(node, depth)


def _text(node) -> str:
    """A node's words, footnote marks left out."""
    from docutils import nodes

    for ref in list(node.findall(lambda n: isinstance(n, (nodes.footnote_reference, nodes.problematic)))):
        ref.parent.remove(ref)
    return squash(node.astext())


def _as_items(blocks: list[Block]) -> list[Block]:
    """A list entry's first paragraph as its item."""
    return [Block("item", blocks[0].text), *blocks[1:]] if blocks and blocks[0].kind == "para" else blocks
