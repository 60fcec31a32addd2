"""MediaWiki XML exports (kb/ingest/formats/mediawiki.py): every content page of the export read
as a section of one document, wikitext reduced to kb's text."""

from collections import Counter

import pytest

from kb.ingest.files import corpus_files, left_out
from kb.ingest.loaders import SkipFile, load_document

MB = 10 * 1024 * 1024

EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">
  <siteinfo><sitename>Team Wiki</sitename><generator>MediaWiki 1.39.3</generator></siteinfo>
  <page>
    <title>Deploying</title><ns>0</ns><id>12</id>
    <revision><id>100</id><text xml:space="preserve">Old text: deploys run on Fridays.</text></revision>
    <revision><id>101</id><parentid>100</parentid><model>wikitext</model><format>text/x-wiki</format>
      <text xml:space="preserve">{{Infobox service|owner=Platform|tier=1}}
'''Deploying''' ships a release from the [[Release branch|release branch]] every Tuesday.&lt;ref&gt;From the
2022 retro.&lt;/ref&gt;
__TOC__
== Steps ==
# Tag the release.
* Never deploy on a Friday. [[File:Pipeline.png|thumb|The pipeline]]
=== Commands ===
&lt;syntaxhighlight lang="bash"&gt;
./deploy.sh --env production
&lt;/syntaxhighlight&gt;
== Owners ==
{| class="wikitable"
! Service !! Owner
|-
| api || Platform
|}
See [https://status.example.com the status page]. [[Category:Operations]] [[de:Bereitstellung]]</text>
    </revision>
  </page>
  <page><title>Deploy</title><ns>0</ns><redirect title="Deploying" />
    <revision><text xml:space="preserve">#REDIRECT [[Deploying]]</text></revision></page>
  <page><title>Talk:Deploying</title><ns>1</ns>
    <revision><text xml:space="preserve">Should we deploy on Mondays too?</text></revision></page>
  <page><title>On-call</title><ns>0</ns>
    <revision><text xml:space="preserve">The rotation changes every '''Monday'''.</text></revision></page>
</mediawiki>"""


def test_an_export_reads_as_one_document_with_each_page_a_section(tmp_path):
    (tmp_path / "wiki.xml").write_text(EXPORT, encoding="utf-8")
    doc, _ = load_document(tmp_path / "wiki.xml", "wiki.xml", MB)
    assert doc.title == "Team Wiki" and doc.kind == "wiki"
    assert doc.text.startswith(
        "# Team Wiki\n\n## Deploying\n\nDeploying ships a release from the release branch every Tuesday.\n\n"
        "### Steps\n\n- Tag the release.\n- Never deploy on a Friday.\n\n#### Commands\n\n"
        "```\n./deploy.sh --env production\n```\n\n### Owners\n\n| Service | Owner |\n| api | Platform |"
    )
    assert doc.text.endswith("See the status page.\n\n## On-call\n\nThe rotation changes every Monday.")
    gone = ("Old text", "REDIRECT", "Mondays too", "Infobox", "retro", "TOC", "Category", "Pipeline", "de:")
    assert not [g for g in gone if g in doc.text]  # old revisions, redirects, talk pages, templates …


def test_other_xml_is_not_read_and_a_broken_export_is_skipped_with_its_reason(tmp_path):
    (tmp_path / "build.xml").write_text('<?xml version="1.0"?><project name="app"><target/></project>')
    (tmp_path / "wiki.xml").write_text(EXPORT[:400], encoding="utf-8")  # cut off mid-page
    others = Counter()
    files = corpus_files(tmp_path, others=others)[0]
    assert [d for _, d in files] == ["wiki.xml"] and left_out(others) == "not read: 1 .xml"
    with pytest.raises(SkipFile, match=r"unreadable wiki file \(ParseError: unclosed token"):
        load_document(tmp_path / "wiki.xml", "wiki.xml", MB)
    (tmp_path / "notes.xml").write_text("<notes/>")  # named on purpose (an upload): told why not
    with pytest.raises(SkipFile, match="is not a MediaWiki export"):
        load_document(tmp_path / "notes.xml", "notes.xml", MB)
