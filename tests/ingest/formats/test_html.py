"""HTML pages (kb/ingest/formats/html.py): main content only, headings as sections, code whole."""

import pytest

from kb.ingest.formats.html import html_blocks
from kb.text.blocks import Block, render
from kb.text.sections import split_sections

BODY = """
<h1>Design and History FAQ<a class="headerlink" href="#design" title="Link to this heading">¶</a></h1>
<p>This page answers questions about why the language works the way it does, with examples
that you can run yourself in an interactive interpreter session.</p>
<h2>Why do lambdas defined in a loop all return the same result?<a class="headerlink" href="#why">¶</a></h2>
<p>Assume you use a for loop to define a few different lambdas and expect each of them to
return the square of its own value of x when it is called later on.</p>
<div class="highlight"><pre><span class="gp">&gt;&gt;&gt; </span>squares = []
<span class="gp">&gt;&gt;&gt; </span>for x in range(5):
<span class="gp">... </span>    squares.append(lambda: x**2)
</pre></div>
<p>This happens because x is not local to the lambdas, but is defined in the outer scope, and
it is accessed when the lambda is called, not when it is defined.</p>
<ul><li><p>Bind x as a default argument to keep the value it had in each iteration.</p></li>
<li><p>Or build the functions with a small factory function that takes x as its argument.</p></li></ul>
<h2>How fast are exceptions?<a class="headerlink" href="#fast">¶</a></h2>
<p>A try/except block is extremely efficient if no exceptions are raised, but actually catching
an exception is expensive, so check first when you expect the key to be missing often.</p>
<table><tr><th>Case</th><th>Cost</th></tr><tr><td>no exception</td><td>almost free</td></tr>
<tr><td>exception caught</td><td>expensive</td></tr></table>
"""

SPHINX = f"""<!DOCTYPE html><html><head><title>Design and History FAQ — Python 3.12 documentation</title>
<script>var x = 1;</script><style>.body {{}}</style></head><body>
<div class="related" role="navigation"><h3>Navigation</h3><ul>
<li><a href="genindex.html">index</a></li><li><a href="py-modindex.html">modules</a> |</li>
<li><a href="../index.html">Python 3.12 documentation</a> &#187;</li><li><a href="index.html">FAQ</a> &#187;</li></ul></div>
<div class="document"><div class="body" role="main">{BODY}</div></div>
<div class="sphinxsidebar" role="navigation"><h3><a href="#">Table of Contents</a></h3>
<ul><li><a href="#design">Design and History FAQ</a></li><li><a href="#why">Why do lambdas?</a></li></ul>
<h3>This Page</h3><ul><li><a href="_sources/design.rst.txt">Show Source</a></li>
<li><a href="bugs.html">Report a Bug</a></li></ul></div>
<div class="footer">&copy; Copyright 2001-2024, Python Software Foundation. Last updated on Jan 01, 2024.
Found a bug? Created using Sphinx 7.2.6.</div></body></html>"""

MKDOCS = f"""<html><head><title>FAQ - My Project</title></head><body>
<header class="md-header"><a href="/">My Project</a><form class="md-search"><input></form></header>
<nav class="md-nav md-nav--primary"><ul><li><a href="/">Home</a></li><li><a href="/faq/">FAQ</a></li>
<li><a href="/api/">API reference</a></li></ul></nav>
<nav class="md-nav md-nav--secondary"><label>Table of contents</label><ul>
<li><a href="#why">Why do lambdas defined in a loop all return the same result?</a></li></ul></nav>
<main class="md-main"><article class="md-content__inner md-typeset">
<a href="https://github.com/x/edit/main/docs/faq.md" title="Edit this page" class="md-content__button">Edit this page</a>
{BODY}</article></main>
<footer class="md-footer"><div class="md-copyright">Made with Material for MkDocs</div>
<a href="/api/">Next: API reference</a></footer></body></html>"""

DOCUSAURUS = f"""<html><head><title>FAQ | My Site</title></head><body><div id="__docusaurus">
<nav class="navbar"><a class="navbar__brand" href="/">My Site</a><a href="/docs">Docs</a><a href="/blog">Blog</a></nav>
<aside class="theme-doc-sidebar-container"><ul class="menu__list"><li><a href="/docs/intro">Intro</a></li>
<li><a href="/docs/faq">FAQ</a></li></ul></aside>
<main><nav aria-label="Breadcrumbs"><ul class="breadcrumbs"><li><a href="/">Home</a></li><li>FAQ</li></ul></nav>
<article><div class="theme-doc-markdown markdown">{BODY.replace('class="headerlink"', 'class="hash-link"')}</div>
<div class="theme-doc-footer-edit-meta-row"><a href="https://github.com/x/edit/main/docs/faq.md">Edit this page</a></div>
</article><nav class="pagination-nav"><a href="/docs/intro">Previous Intro</a><a href="/docs/api">Next API</a></nav></main>
<footer class="footer">Copyright © 2024 My Site. Built with Docusaurus.</footer></div></body></html>"""

BLOG = f"""<html><head><title>Loops and lambdas | A blog</title></head><body>
<header><a href="/">A blog</a> <a href="/about">About</a> <a href="/archive">Archive</a></header>
<div class="post">{BODY.replace("¶", "#")}</div>
<div class="share">Share on Twitter · Share on Facebook</div>
<div class="comments"><h3>3 comments</h3><p>Great post, thanks!</p></div>
<footer>© 2024 A blog · <a href="/rss">RSS</a></footer></body></html>"""


@pytest.mark.parametrize(
    "page", [SPHINX, MKDOCS, DOCUSAURUS, BLOG], ids=["sphinx", "mkdocs", "docusaurus", "blog"]
)
def test_main_content_only_with_headings_as_sections_and_code_whole(page):
    blocks, title = html_blocks(page)
    text, _ = render(blocks)
    assert title == "Design and History FAQ"
    for gone in ("¶", "Navigation", "Table of Contents", "Show Source", "Report a Bug", "Copyright", "Edit this page",
                 "Breadcrumbs", "Previous Intro", "Share on", "Archive", "Made with", "API reference", "var x"):  # fmt: skip
        assert gone not in text, gone
    assert "# Why do lambdas defined in a loop all return the same result?\n" in text
    assert "```\n>>> squares = []\n>>> for x in range(5):\n...     squares.append(lambda: x**2)\n```" in text
    assert "- Bind x as a default argument" in text and "| no exception | almost free |" in text
    _, sections = split_sections(text, "html")
    paths = [s.path for s in sections]
    assert ("Why do lambdas defined in a loop all return the same result?",) in paths
    assert ("How fast are exceptions?",) in paths


def test_page_without_main_content_keeps_its_text_and_falls_back_to_the_title():
    blocks, title = html_blocks(
        "<html><head><title>Short</title></head><body><p>Only one line.</p></body></html>"
    )
    assert title == "Short" and render(blocks)[0] == "# Short\n\nOnly one line."


def test_xhtml_with_an_encoding_declaration_is_read():
    page = '<?xml version="1.0" encoding="UTF-8"?><html><body><h1>T</h1><p>Body text here.</p></body></html>'
    assert "Body text here." in render(html_blocks(page, main_only=False)[0])[0]


def test_a_definition_list_reads_term_colon_definition():
    page = """<html><body><h1>pg_dump</h1><p>pg_dump extracts a database into a script file or an archive.</p>
<dl class="variablelist"><dt><span class="term"><code>-s</code><br><code>--schema-only</code></span></dt>
<dd><p>Dump only the object definitions (schema), not data.</p><p>This is the inverse of --data-only.</p>
<ul><li>A nested item.</li></ul><p>After the nested list.</p></dd>
<dt>-Fc</dt><dd><pre>pg_dump -Fc mydb > db.dump</pre></dd>
<dt>&gt;&gt;&gt;<a class="headerlink" href="#p">¶</a></dt><dd><p>The default Python prompt.</p></dd>
<dt><a href="next.html">Next page</a></dt><dd><p>Goes on.</p></dd></dl></body></html>"""
    text, _ = render(html_blocks(page, main_only=False)[0])
    assert "- >>>: The default Python prompt.\n" in text  # a term of symbols is still a term
    assert "\n\nGoes on." in text and "Next page" not in text  # a term that is a link: navigation
    # a definition's paragraphs stay in its item; one after a nested list stands alone
    assert (
        "- -s --schema-only: Dump only the object definitions (schema), not data. This is the inverse of --data-only.\n"
        in text
    )
    assert "- A nested item.\n\nAfter the nested list." in text
    assert "- -Fc\n\n```\npg_dump -Fc mydb > db.dump\n```" in text


MANPAGE = """<html><head><title>git-stash(1)</title></head><body class="manpage">
<div id="header"><h1>git-stash(1) Manual Page</h1><h2>NAME</h2>
<div class="sectionbody"><p>git-stash - Stash the changes in a dirty working directory away</p></div></div>
<div id="content"><div class="sect1"><h2 id="_synopsis">SYNOPSIS</h2><div class="sectionbody">
<pre class="content">git stash list [&lt;log-options&gt;]
git stash pop [--index] [-q | --quiet] [&lt;stash&gt;]</pre></div></div>
<div class="sect1"><h2 id="_description">DESCRIPTION</h2><div class="sectionbody">
<p>Use git stash when you want to record the current state of the working directory and the
index, but want to go back to a clean working directory. The command saves your local
modifications away and reverts the working directory to match the HEAD commit.</p>
<p>The modifications stashed away by this command can be listed with git stash list, inspected
with git stash show, and restored (potentially on top of a different commit) with git stash
apply. Calling git stash without any arguments is equivalent to git stash push.</p></div></div></div>
<div id="footer"><div id="footer-text">Last updated 2023-02-14 21:27:04 UTC</div></div></body></html>"""


def test_what_comes_between_the_page_title_and_the_main_content_is_kept():
    text, _ = render(html_blocks(MANPAGE)[0])  # asciidoc puts a manual page's NAME line in its header div
    assert text.startswith(
        "# git-stash(1) Manual Page\n\n## NAME\n\ngit-stash - Stash the changes in a dirty"
    )
    assert "Use git stash when you want" in text and "Last updated" not in text


def test_texinfo_navigation_lines_go():
    page = """<html><head><title>The Basics (libffi)</title></head><body>
<div class="header"><p>Next: <a href="Simple-Example.html">Simple Example</a>, Up: <a href="Using-libffi.html">Using
libffi</a> &nbsp; [<a href="Index.html">Index</a>]</p></div><hr>
<h3 class="section">2.1 The Basics</h3>
<p>libffi assumes that you have a pointer to the function you wish to call and that you know the
number and types of arguments to pass it, as well as the return type of the function.</p>
<p>See <a href="Types.html">Types</a> for the types libffi knows.</p></body></html>"""
    text, _ = render(html_blocks(page)[0])
    assert "Next:" not in text and "[Index]" not in text
    assert "See Types for the types libffi knows." in text  # a link inside a sentence stays


def test_an_admonition_title_labels_its_note_and_opens_no_section():
    page = """<html><body><h2>8.1. Numeric Types</h2><p>Numeric types hold integers and decimals of several sizes.</p>
<h3>8.1.4. Serial Types</h3><div class="note"><h3 class="title">Note</h3>
<p>This section describes a PostgreSQL-specific way to create an autoincrementing column.</p></div>
<p>The data types smallserial, serial and bigserial are not true types, but a convenience.</p></body></html>"""
    text, _ = render(html_blocks(page)[0])
    assert (
        "### 8.1.4. Serial Types\n\nNote\n\nThis section describes" in text
    )  # the heading kept, "Note" a label
    secs = split_sections(text, "html")[1]
    assert secs[-1].path == ("8.1.4. Serial Types",)


def test_an_exponent_reads_as_a_power_and_a_footnote_mark_stays_as_it_was():
    page = """<html><body><h1>Limits</h1><p>The maximum page number is 4294967294
(2<sup><small>32</small></sup> - 2), and bigserial allows 2<sup>31</sup> identifiers.</p>
<p>Operators are listed in precedence<sup>1</sup> order.</p>
<table><tr><td>pages</td><td>2<sup>32</sup></td></tr></table></body></html>"""
    text, _ = render(html_blocks(page, main_only=False)[0])
    assert "4294967294 (2^32 - 2), and bigserial allows 2^31 identifiers." in text
    assert "listed in precedence1 order." in text and "| pages | 2^32 |" in text


def test_a_link_to_the_source_code_is_not_part_of_a_heading_or_signature():
    page = """<html><body><h2>Stream<a class="srclink" href="https://github.com/x/lib/stream.js#L54">[src]</a></h2>
<p>A stream is an abstract interface for working with streaming data in Node.js.</p>
<dl class="py function"><dt class="sig"><span class="sig-name">fetch</span>(<em>url</em>)<a class="reference internal"
href="../_modules/pkg.html#fetch"><span class="viewcode-link"><span class="pre">[source]</span></span></a></dt>
<dd><p>Fetch a page and return its text.</p></dd></dl></body></html>"""
    text, _ = render(html_blocks(page, main_only=False)[0])
    assert "## Stream\n" in text and "[src]" not in text and "[source]" not in text
    assert "fetch(url): Fetch a page and return its text." in text


def test_an_empty_list_item_leaves_the_paragraphs_after_it_paragraphs():
    page = """<html><body><ul class="wy-breadcrumbs"><li>Options</li><li class="wy-breadcrumbs-aside">
</li></ul><hr/><h1>Required CLI Options</h1><p>We said before that <em>by default</em>:</p>
<ul><li>CLI options are optional</li></ul><p>But if you really want, you can change that.</p></body></html>"""
    blocks, _ = html_blocks(page, main_only=False)
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["We said before that by default:"] == "para"  # the MkDocs readthedocs theme's breadcrumbs
    assert (
        kinds["CLI options are optional"] == "item"
        and kinds["But if you really want, you can change that."] == "para"
    )


def test_a_section_heading_after_text_is_not_the_page_title():
    page = """<html><head><title>CLI Application Directory - Typer</title></head><body>
<p>You can get the application directory where you can save configuration files with get_app_dir().</p>
<h2>About Path</h2><p>If you hadn't seen something like that, a Path joins folder names.</p></body></html>"""
    blocks, title = html_blocks(page, main_only=False)
    assert title == "CLI Application Directory - Typer" and blocks[0].text == title
    assert blocks[2] == Block("heading", "About Path", 2)  # a section of the page


MDBOOK = """<html><head><title>Lint Levels - The rustc book</title></head><body>
<nav id="sidebar" class="sidebar"><ol class="chapter"><li><a href="what-is-rustc.html">1. What is rustc?</a></li>
<li><a href="lints/levels.html" class="active">3.1. Lint Levels</a></li></ol></nav>
<div id="menu-bar" class="menu-bar"><button id="sidebar-toggle" class="icon-button" title="Toggle Table of Contents"></button>
<h1 class="menu-title">The rustc book</h1><a href="print.html" title="Print this book"><i class="fa fa-print"></i></a></div>
<main><h1 id="lint-levels"><a class="header" href="#lint-levels">Lint Levels</a></h1>
<p>In <code>rustc</code>, lints are divided into five <em>levels</em>:</p>
<ol><li>allow</li><li>warn</li><li>force-warn</li><li>deny</li><li>forbid</li></ol>
<p>Each lint has a default level, and the compiler has a default warning level.</p>
<h2 id="allow"><a class="header" href="#allow">allow</a></h2><p>These lints exist, but by default, do nothing.</p>
<h2 id="warn"><a class="header" href="#warn">warn</a></h2><p>The warn lint level will produce a warning.</p>
<h2 id="force-warn"><a class="header" href="#force-warn">force-warn</a></h2><p>A warning that cannot be overridden.</p>
<h2 id="deny"><a class="header" href="#deny">deny</a></h2><p>A deny lint produces an error if you violate it.</p>
<h2 id="forbid"><a class="header" href="#forbid">forbid</a></h2><p>An error that can not be overridden.</p>
</main><nav class="nav-wrapper"><a rel="prev" href="../lints/index.html" title="Previous chapter">‹</a></nav>
</body></html>"""


def test_an_mdbook_page_is_titled_by_its_own_heading_not_the_books_name_in_the_menu_bar():
    blocks, title = html_blocks(MDBOOK, main_only=False)
    text, _ = render(blocks)
    assert title == "Lint Levels" and text.startswith("# Lint Levels\n")
    assert "The rustc book" not in text and "Toggle Table of Contents" not in text
    # a list naming the page's sections is content, not a table of contents
    assert "- allow\n- warn\n- force-warn\n- deny\n- forbid" in text
    assert "## forbid\n\nAn error that can not be overridden." in text


def test_a_page_asking_not_to_be_indexed_says_so():
    from kb.ingest.formats.html import asks_not_to_be_indexed

    print_page = MDBOOK.replace("<head>", '<head><meta name="robots" content="noindex" />')
    stub = MDBOOK.replace("<head>", "<head><meta content='noindex,follow' name='ROBOTS'>")
    assert asks_not_to_be_indexed(print_page) and asks_not_to_be_indexed(stub)
    assert not asks_not_to_be_indexed(
        MDBOOK.replace("<head>", '<head><meta name="keywords" content="noindex">')
    )
    assert not asks_not_to_be_indexed("<body><p>Use a meta robots noindex tag to hide a page.</p></body>")


# Doxygen 1.9's page layout: the project banner, the page title in a div, sections as <h1>
DOXYGEN = """<html><head><title>Doxygen: Getting started</title></head><body>
<div id="top"><div id="titlearea"><table><tr><td><div id="projectname">Doxygen</div></td></tr>
</table></div></div>
<div id="doc-content"><div class="header"><div class="summary"><a href="#pub-types">Public Types</a>
&#124; <a href="x-members.html">List of all members</a></div>
<div class="headertitle"><div class="title">Getting started </div></div></div>
<div class="contents"><div class="toc"><h3>Table of Contents</h3><ul>
<li class="level1"><a href="#step0">Step 0: Check your language</a></li>
<li class="level1"><a href="#step1">Step 1: Creating a configuration file</a></li></ul></div>
<div class="textblock"><p>The executable doxygen is the main program that parses the sources and
generates the documentation (<a href="usage.html">more...</a>).</p>
<h1 class="doxsection"><a class="anchor" id="step1"></a>Step 1: Creating a configuration file</h1>
<p>Doxygen uses a configuration file to determine all of its settings, and writes HTML, RTF,
<img class="formulaInl" alt="{\\LaTeX}" src="form_0.png"/>, XML and man pages.</p>
<dl><dt>Disk space:</dt><dd>Some documentation may be available outside of the output directory.</dd></dl>
<h2 class="memtitle"><span class="permalink"><a href="#a1">&#9670;&#160;</a></span>EnumType</h2>
<p>An enum type. <a href="#details">More...</a></p>
<p>Use the <a href="more.html">more</a> powerful features when you need them.</p>
</div></div></div></body></html>"""


def test_a_doxygen_page_reads_as_its_site_shows_it():
    blocks, title = html_blocks(DOXYGEN, main_only=False)
    text, _ = render(blocks)
    assert title == "Getting started" and text.startswith("# Getting started\n\nThe executable")
    assert "Doxygen\n" not in text and "Table of Contents" not in text and "Public Types" not in text
    assert "generates the documentation." in text  # "(more...)", a link to the rest, goes
    assert "## Step 1: Creating a configuration file\n\nDoxygen uses" in text  # under the title
    assert "- Disk space: Some documentation" in text  # the term's own colon, not "::"
    assert "writes HTML, RTF, {\\LaTeX}, XML and man pages." in text  # a formula image's LaTeX
    assert "### EnumType\n\nAn enum type.\n" in text  # no "◆" anchor, no "More..."
    assert "Use the more powerful features" in text  # a link whose word is content stays


def test_an_mdbook_code_example_shows_without_its_hidden_lines():
    page = (
        "<html><body><main><h1>Constants</h1><p>Here is an example of a constant declaration:</p>"
        '<pre><code class="language-rust"><span class="boring">#![allow(unused)]\n</span>'
        '<span class="boring">fn main() {\n</span>const THREE_HOURS_IN_SECONDS: u32 = 60 * 60 * 3;\n'
        '<span class="boring">}\n</span></code></pre></main></body></html>'
    )
    text, _ = render(html_blocks(page, main_only=False)[0])
    assert "```\nconst THREE_HOURS_IN_SECONDS: u32 = 60 * 60 * 3;\n```" in text
    assert "fn main" not in text and "allow(unused)" not in text


def test_a_doxygen_members_brief_joins_its_declaration():
    page = """<html><body><div class="headertitle"><div class="title">Window</div></div>
    <div class="contents"><h2 class="groupheader">Functions</h2><table class="memberdecls">
    <tr class="memitem:ga1"><td class="memItemLeft">void</td><td class="memItemRight">
    <a class="el" href="#ga1">glfwShowWindow</a> (GLFWwindow *window)</td></tr>
    <tr class="memdesc:ga1"><td class="mdescLeft">&#160;</td><td class="mdescRight">Makes the
    specified window visible. <a href="#ga1">More...</a></td></tr></table></div></body></html>"""
    text, _ = render(html_blocks(page, main_only=False)[0])
    assert "| void | glfwShowWindow (GLFWwindow *window) — Makes the specified window visible. |" in text
    assert "|  |" not in text and "| |" not in text
