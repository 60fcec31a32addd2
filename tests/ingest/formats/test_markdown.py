"""Markdown files (kb/ingest/formats/markdown.py) through load_document and the chunker."""

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
