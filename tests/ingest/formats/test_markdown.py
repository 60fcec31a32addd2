"""Markdown files (kb/ingest/formats/markdown.py) through load_document and the chunker."""

import pytest

from kb.ingest.loaders import load_document
from kb.text.chunker import chunk_document
from kb.text.sentences import answer_spans

PAGE = """---
title: "Deploy guide"
tags: [ops]
---
# Deploying

Read [the install notes](install.md) and ![a diagram](d.png) first.

```bash
# build the image
docker build -t app .
```

Indented code works too:

    make deploy

| Target | Time |
|--------|------|
| staging | 4 min, after the smoke tests |
"""


def test_front_matter_links_code_and_tables(tmp_path):
    p = tmp_path / "deploy.md"
    p.write_text(PAGE)
    doc, _ = load_document(p, "deploy.md", 10**6)
    assert doc.title == "Deploy guide" and "tags:" not in doc.text
    assert "Read the install notes and a diagram first." in doc.text and "](" not in doc.text
    assert "```\n# build the image\ndocker build -t app .\n```" in doc.text
    assert "```\nmake deploy\n```" in doc.text
    assert "| Target | Time |\n| staging | 4 min, after the smoke tests |" in doc.text
    chunks = chunk_document(doc)
    assert {c.section for c in chunks} == {""}  # "# build the image" is code, not a heading
    answers = [c.text[s:e] for c in chunks for s, e in answer_spans(c.text)]
    assert not any("docker" in a for a in answers)  # code is an answer only after its lead-in
    assert "Indented code works too:\n\n```\nmake deploy\n```" in answers
    assert "| staging | 4 min, after the smoke tests |" in answers


SITE = """# Caching

```{versionadded} 6.0
```

(wheel-caching)=

## Where

```{warning}
The use of `git+http` is discouraged.
```

```{toctree}
:maxdepth: 1
install
```

````{tab} Linux
```
~/.cache/pip
```
````

Clear it with {ref}`the cache command <pip-cache>` or see {doc}`../cli/pip_cache` and {file}`/etc/pip.conf`.

```{pip-cli}
$ pip cache purge
```

!!! tip "Heads up"
    Wheels are **cached** per version.

:::danger
Never delete the cache while pip runs.
:::

> [!IMPORTANT]
> Pin your versions.

Global
: A system-wide file.

```{option} --no-cache-dir
Disable the cache.
```
"""


def read(tmp_path, name: str, text: str):
    """The document kb makes of a file with this name and text."""
    (tmp_path / name).write_text(text)
    return load_document(tmp_path / name, name, 10**6)[0]


def test_documentation_site_markdown_reads_as_the_site_shows_it(tmp_path):
    doc = read(tmp_path, "caching.md", SITE)
    lines = doc.text.splitlines()
    assert "New in version 6.0." in lines and "wheel-caching" not in doc.text
    assert "Warning: The use of git+http is discouraged." in lines  # an admonition is prose
    assert "toctree" not in doc.text and "maxdepth" not in doc.text
    assert "Clear it with the cache command or see pip_cache and /etc/pip.conf." in lines  # roles' text
    assert "Heads up: Wheels are cached per version." in lines  # MkDocs, not indented code
    assert "Danger: Never delete the cache while pip runs." in lines  # Docusaurus
    assert "Important: Pin your versions." in lines  # GitHub alert
    assert "- Global: A system-wide file." in lines  # definition list
    assert "- --no-cache-dir: Disable the cache." in lines  # a description directive: an entry
    answers = [c.text[s:e] for c in chunk_document(doc) for s, e in answer_spans(c.text)]
    assert "Warning: The use of git+http is discouraged." in answers
    assert "Linux:\n\n```\n~/.cache/pip\n```" in answers  # a tab's title leads its code
    assert not any("$ pip cache purge" in a for a in answers)  # an unknown directive stays code
    assert "```\n$ pip cache purge\n```" in doc.text


@pytest.mark.parametrize("name", ["install.mdx", "install.md"])  # Docusaurus reads .md as MDX
def test_mdx_imports_go_and_docusaurus_titles_lead(tmp_path, name):
    p = tmp_path / name
    p.write_text(
        "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n# Install\n\n"
        '<Tabs>\n<TabItem value="npm" label="With npm">\n\nRun the installer first.\n\n'
        "```js\nimport x from 'y';\n```\n\n"
        "</TabItem>\n</Tabs>\n\n:::tip[Pro tip]\nUse the cache.\n:::\n\n```{include} ../README.md\n```\n"
    )
    doc, _ = load_document(p, name, 10**6)
    assert doc.text == (
        "# Install\n\nWith npm:\n\nRun the installer first.\n\n```\nimport x from 'y';\n```\n\n"
        "Pro tip: Use the cache."
    )


MKDOCS = """# Setup { #setup }

=== "Linux"

    Install it with the package manager:

    ```
    apt install tool
    ```

=== "macOS"

    Use Homebrew, which keeps it up to date.

!!! warning "The [`site_url`][mkdocs.site_url] setting must be set"
    Note that you must set [site_url][mkdocs.site_url] when using instant loading.

[Get started](start.md){ .md-button } now, or read on. { .annotate }

```
=== "not a tab inside code"
```
"""


def test_mkdocs_material_pages_read_as_the_site_shows_them(tmp_path):
    doc = read(tmp_path, "setup.md", MKDOCS)
    lines = doc.text.splitlines()
    assert lines[0] == "# Setup"  # attribute lists go
    assert "Linux: Install it with the package manager:" in lines  # a content tab, not indented code
    assert "```\napt install tool\n```" in doc.text
    assert "macOS: Use Homebrew, which keeps it up to date." in lines
    assert (
        "The site_url setting must be set: Note that you must set site_url when using instant loading."
        in lines
    )  # a title's markup read, links to undefined references reduced to their text
    assert "Get started now, or read on." in lines
    assert '```\n=== "not a tab inside code"\n```' in doc.text


NOTE = """# Backups

Nightly jobs follow [[Runbooks#Backups|the backup runbook]]; restores are in [[Restore Guide]].
![[backup-flow.png]]
See [[#Retention]] and [[Storage#^a1b2c3]] for where they go.

![[Retention policy]]

```python
nested = [[1, 2], [3, 4]]
```

| Job | Owner |
|-----|-------|
| [[Nightly dump\\|dump]] | ops |
"""


def test_wiki_links_read_as_the_wiki_shows_them(tmp_path):
    """An Obsidian vault's or a wiki's note: links show their label or page, images nothing."""
    p = tmp_path / "Backups.md"
    p.write_text(NOTE)
    doc, _ = load_document(p, "Backups.md", 10**6)
    assert "Nightly jobs follow the backup runbook; restores are in Restore Guide." in doc.text
    assert "See Retention and Storage for where they go." in doc.text
    assert "Retention policy" in doc.text and "backup-flow" not in doc.text
    assert "nested = [[1, 2], [3, 4]]" in doc.text  # code as written
    assert "| dump | ops |" in doc.text
    assert "[[" not in doc.text.replace("[[1, 2]", "")


def test_a_github_wiki_reads_its_links_in_its_own_order_and_names_its_pages(tmp_path):
    """GitHub (Gollum) writes [[label|Page-Name]]: the side naming a page beside it is the page."""
    (tmp_path / "Home.md").write_text("Welcome. [[Read this first|Getting-Started]], then [[Home]].\n")
    (tmp_path / "Getting-Started.md").write_text("# Setup\n\nSee [[Home|the start page]].\n")
    home, _ = load_document(tmp_path / "Home.md", "Home.md", 10**6)
    assert home.text == "Welcome. Read this first, then Home." and home.title == "Home"
    start, _ = load_document(tmp_path / "Getting-Started.md", "Getting-Started.md", 10**6)
    assert "See the start page." in start.text and start.title == "Setup"
    (tmp_path / "Release-Notes.md").write_text("Version 2 is out.\n")
    notes, _ = load_document(tmp_path / "Release-Notes.md", "Release-Notes.md", 10**6)
    assert notes.title == "Release Notes"  # no heading: the wiki's page name, not its first line
