"""Jupyter notebooks (kb/ingest/formats/notebook.py) through load_document and the chunker."""

import json

import pytest

from kb.ingest.loaders import SkipFile, load_document
from kb.text.chunker import chunk_document
from kb.text.sentences import answer_spans

NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "cells": [
        {
            "cell_type": "markdown",
            "id": "a1",
            "metadata": {},
            "source": ["# Fitting a model\n", "\n", "Load the data first:"],
        },
        {
            "cell_type": "code",
            "id": "a2",
            "metadata": {},
            "execution_count": 1,
            "source": ["import pandas as pd\n", "df = pd.read_csv('sales.csv')"],
            "outputs": [{"output_type": "stream", "name": "stdout", "text": ["SECRET OUTPUT 12345\n"]}],
        },
        {"cell_type": "raw", "id": "a3", "metadata": {}, "source": "raw cell text"},
        {
            "cell_type": "markdown",
            "id": "a4",
            "metadata": {},
            "source": "## Results\n\nThe model reaches an accuracy of 0.93 on the test set.",
        },
    ],
}


def test_a_notebook_reads_as_its_markdown_and_code_without_outputs(tmp_path):
    p = tmp_path / "fit.ipynb"
    p.write_text(json.dumps(NOTEBOOK))
    doc, _ = load_document(p, "fit.ipynb", 10**6)
    assert doc.title == "Fitting a model" and doc.kind == "ipynb"
    assert doc.text == (
        "# Fitting a model\n\nLoad the data first:\n\n"
        "```\nimport pandas as pd\ndf = pd.read_csv('sales.csv')\n```\n\n"
        "## Results\n\nThe model reaches an accuracy of 0.93 on the test set."
    )
    answers = [c.text[s:e] for c in chunk_document(doc) for s, e in answer_spans(c.text)]
    assert "The model reaches an accuracy of 0.93 on the test set." in answers
    assert any(a.startswith("Load the data first:\n\n```") for a in answers)  # a lead-in and its code


@pytest.mark.parametrize("content", ["{not json", '{"cells": "nope"}', "[1, 2]"])
def test_a_broken_notebook_is_skipped_naming_why(tmp_path, content):
    p = tmp_path / "broken.ipynb"
    p.write_text(content)
    with pytest.raises(SkipFile, match="unreadable ipynb file"):
        load_document(p, "broken.ipynb", 10**6)
