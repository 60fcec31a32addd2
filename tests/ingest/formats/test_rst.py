"""reStructuredText files (kb/ingest/formats/rst.py) through load_document and the chunker."""

from kb.ingest.loaders import load_document
from kb.text.chunker import chunk_document
from kb.text.sentences import answer_spans

GUIDE = """.. _user-guide:

==========
User Guide
==========

.. Comments are never text.

Constraints Files
=================

Including a package in a constraints file does not trigger installation of the
package. See :ref:`Requirements Files <req>`, :pep:`440` and `the docs <https://pip.pypa.io>`_.

.. versionadded:: 7.1

   Constraints files.

.. note::

   pip's code is *not* thread safe.

.. versionchanged:: 2.3
    Not set by default, does not fall back to ``SERVER_NAME``.

.. seealso:: The :doc:`install` page.

.. toctree::
   :maxdepth: 2

   install

.. tab:: ``bash`` on Unix/macOS

   .. code-block:: shell

      python -m pip install -c constraints.txt

.. pip-command-usage:: install

.. include:: /etc/passwd

.. raw:: html

   <script>alert(1)</script>

Upgrades
--------

- ``eager``: upgrades all dependencies
- ``only-if-needed``: upgrades a dependency only when needed [#f1]_

--upgrade-strategy
    How dependencies are upgraded.

.. option:: --no-deps

   Don't install package dependencies.

.. py:method:: Configuration.load()
   :noindex:

   Loads every configuration file.

.. rubric:: Footnotes

.. [#f1] The default.
"""


def test_sphinx_sources_read_as_sphinx_renders_them(tmp_path):
    p = tmp_path / "user_guide.rst"
    p.write_text(GUIDE)
    doc, _ = load_document(p, "user_guide.rst", 10**6)
    lines = doc.text.splitlines()
    assert doc.title == "User Guide" and doc.kind == "rst"
    assert lines[0] == "# User Guide" and "## Constraints Files" in lines and "### Upgrades" in lines
    assert (
        "Including a package in a constraints file does not trigger installation of the package. "
        "See Requirements Files, PEP 440 and the docs." in lines
    )  # roles (Sphinx's own too) and links show their text
    assert "New in version 7.1: Constraints files." in lines
    assert "Note: pip's code is not thread safe." in lines
    assert "Changed in version 2.3: Not set by default, does not fall back to SERVER_NAME." in lines
    assert "See also: The install page." in lines  # Sphinx's admonition: its first line is text
    assert "- only-if-needed: upgrades a dependency only when needed" in lines  # no footnote mark
    assert "- --upgrade-strategy: How dependencies are upgraded." in lines
    assert "- --no-deps: Don't install package dependencies." in lines  # a description: an entry
    assert "- Configuration.load(): Loads every configuration file." in lines
    assert lines[-1] == "The default."  # a footnote without its label
    for gone in ("Comments", "toctree", "maxdepth", "pip-command-usage", "passwd", "root:", "script"):
        assert gone not in doc.text, gone  # includes and raw HTML are never read
    answers = [c.text[s:e] for c in chunk_document(doc) for s, e in answer_spans(c.text)]
    assert "bash on Unix/macOS:\n\n```\npython -m pip install -c constraints.txt\n```" in answers
    assert {c.section for c in chunk_document(doc)} >= {"Constraints Files", "Constraints Files > Upgrades"}


def test_an_unreadable_rst_file_is_skipped_with_its_name(tmp_path):
    from kb.ingest.loaders import SkipFile

    p = tmp_path / "empty.rst"
    p.write_text(".. toctree::\n\n   a\n")
    try:
        load_document(p, "empty.rst", 10**6)
    except SkipFile as e:
        assert str(e) == "has no text"  # not "is empty": the file has markup, none of it text
    else:
        raise AssertionError("a file with nothing to read was indexed")
