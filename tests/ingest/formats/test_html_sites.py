"""Site generators' own markup (kb/ingest/formats/html_sites.py and the table rules of html.py):
gtk-doc and DocBook pages read as their sites show them."""

from kb.ingest.formats.html import html_blocks
from kb.text.blocks import render
from kb.text.sections import manual_title

GTK_DOC = """<html><head><title>Signals: GObject Reference Manual</title></head><body>
<table class="navigation" id="top"><tr><td><a accesskey="h" href="index.html">Home</a></td>
<td><a accesskey="u" href="rn01.html">Up</a></td></tr></table>
<div class="refentry"><div class="refnamediv"><table width="100%"><tr><td valign="top">
<h2><span class="refentrytitle"><a name="gobject-Signals.top_of_page"></a>Signals</span></h2>
<p>Signals &#8212; A means for customization of object behaviour</p></td>
<td class="gallery_image" valign="top" align="right"></td></tr></table></div>
<div class="refsect1"><h2>Description</h2>
<p>The basic concept of the signal system is that of the emission of a signal.</p>
<p>Connecting a handler looks like this:</p>
<div class="informalexample"><table class="listing_frame" border="0"><tbody><tr>
<td class="listing_lines" align="right"><pre>1
2</pre></td>
<td class="listing_code"><pre class="programlisting">g_signal_connect (obj, "changed",
                  G_CALLBACK (on_changed), NULL);</pre></td></tr></tbody></table></div>
<p>The handler runs each time the signal is emitted.</p></div>
<div class="refsect1"><h2>Functions</h2><p>Every function of the signal system.</p></div>
</div></body></html>"""

QANDA = """<html><head><title>Common Questions: GTK+ 3 Reference Manual</title></head><body>
<h2>Questions and Answers</h2><p>An index of the manual by common questions.</p>
<div class="qandaset"><table border="0"><tbody>
<tr class="qandadiv"><td colspan="2"><h5 class="title">1. General</h5></td></tr>
<tr class="toc"><td colspan="2">1.1. <a href="#q1">How do I get started with GTK+?</a></td></tr>
<tr class="question"><td><p><b>1.1.</b></p></td><td><p>How do I get started with GTK+?</p></td></tr>
<tr class="answer"><td></td><td><p>The website offers some tutorials.</p>
<p>Then come back to this manual for details.</p></td></tr>
<tr class="question"><td><p><b>1.2.</b></p></td><td><p>Why does my program leak memory?</p></td></tr>
<tr class="answer"><td></td><td><p>Nobody assumed the initial floating reference:</p>
<pre>foo = gtk_foo_new ();</pre></td></tr>
</tbody></table></div></body></html>"""


def test_a_gtk_doc_page_is_titled_by_its_heading_and_its_code_listing_reads_as_code():
    blocks, title = html_blocks(GTK_DOC, main_only=False)
    text, _ = render(blocks)
    assert title == "Signals"  # not "Signals: GObject Reference Manual", the <title>
    assert text.startswith("# Signals\n\nSignals — A means for customization of object behaviour\n\n")
    assert "## Description\n\nThe basic concept" in text
    code = '```\ng_signal_connect (obj, "changed",\n                  G_CALLBACK (on_changed), NULL);\n```'
    assert f"Connecting a handler looks like this:\n\n{code}\n\nThe handler runs" in text
    assert "| 1 2 |" not in text and "\n1\n2\n" not in text  # the line numbers go
    # its one-line summary says what the page is about, as a DocBook reference page's does
    assert manual_title(text, "html") == "Signals — A means for customization of object behaviour"


def test_a_docbook_question_and_answer_set_reads_as_questions_heading_their_answers():
    text, _ = render(html_blocks(QANDA, main_only=False)[0])
    assert "##### 1. General\n\n###### 1.1. How do I get started with GTK+?\n\n" in text
    assert "How do I get started with GTK+?\n\nThe website offers some tutorials.\n\nThen come back" in text
    assert "###### 1.2. Why does my program leak memory?\n\nNobody assumed" in text
    assert "```\nfoo = gtk_foo_new ();\n```" in text
    assert "|" not in text  # no answer squeezed into a table row
    assert text.count("How do I get started") == 1  # the list of questions (a table of contents) goes


def test_asciidoc_admonitions_and_side_by_side_code_are_content_but_a_data_row_stays_a_row():
    page = """<html><body><h1>git-rebase</h1><p>Reapply commits on top of another base tip.</p>
    <div class="admonitionblock"><table><tr><td class="icon"><div class="title">Note</div></td>
    <td class="content">ORIG_HEAD is not guaranteed to point to the previous tip.</td></tr></table></div>
    <table><tr><td><pre>CREATE TABLE t1(a ANY) STRICT;</pre></td>
    <td><pre>CREATE TABLE t1(a ANY);</pre></td></tr>
    <tr><td>x</td><td><pre>3 * cols * phrases</pre></td></tr></table></body></html>"""
    text, _ = render(html_blocks(page, main_only=False)[0])
    assert "Note\n\nORIG_HEAD is not guaranteed to point" in text and "| Note |" not in text
    assert "```\nCREATE TABLE t1(a ANY) STRICT;\n```\n\n```\nCREATE TABLE t1(a ANY);\n```" in text
    assert "| x | 3 * cols * phrases |" in text


CONFLUENCE = """<html><head><title>Engineering : Deploying to production</title></head><body>
<div id="page"><div id="main" class="aui-page-panel"><div id="main-header">
<div id="breadcrumb-section"><ol id="breadcrumbs"><li class="first"><span><a href="index.html">Engineering</a>
</span></li><li><span><a href="Engineering-Home_65538.html">Engineering Home</a></span></li></ol></div>
<h1 id="title-heading" class="pagetitle">
<span id="title-text"> Engineering : Deploying to production </span></h1>
</div><div id="content" class="view">
<div class="page-metadata">Created by <span class="author"> Dana Smith</span>,
last modified on Mar 03, 2023</div>
<div id="main-content" class="wiki-content group">
<h1 id="Deployingtoproduction-Overview">Overview</h1><p>Production deploys run from the release branch
every Tuesday after the change review meeting. Only the on-call engineer may start a deploy.</p>
<table class="confluenceTable"><tr><th>Week</th><th>Engineer</th></tr><tr><td>1</td><td>Dana</td></tr></table>
</div>
<div class="pageSection group"><div class="pageSectionHeader"><h2 id="attachments" class="pageSectionTitle">
Attachments:</h2></div><div class="greybox"><a href="attachments/65540/65541.png">diagram.png</a> (image/png)
</div></div></div></div>
<div id="footer" role="contentinfo"><section class="footer-body">
<p>Document generated by Confluence on Mar 03, 2023 17:20</p></section></div></div></body></html>"""


def test_a_confluence_export_page_is_titled_by_its_name_above_its_own_headings():
    blocks, title = html_blocks(CONFLUENCE)
    text, _ = render(blocks)
    assert title == "Deploying to production"  # not "Engineering : …", nor its first heading "Overview"
    assert text.startswith("# Deploying to production\n\n## Overview\n\nProduction deploys run")
    assert text.endswith("| Week | Engineer |\n| 1 | Dana |")  # the last table kept, the chrome after it gone
    for chrome in ("Created by", "Attachments", "diagram.png", "Document generated", "Engineering Home"):
        assert chrome not in text
