"""Titles and sections (kb/text/sections.py) of the real articles and of markdown."""

from kb.text.sections import split_sections
from tests.conftest import CORPUS, DOC_A, DOC_B


def sections_of(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    title, secs = split_sections(text, "txt")
    return text, title, secs


def test_titles_are_the_first_real_headings():
    assert (
        sections_of(DOC_A)[1]
        == "Python vs Node.js for SaaS Backends: The Decision Guide for Founders in 2026"
    )
    assert sections_of(DOC_B)[1] == "Python vs Node.js for Backend Development"


def test_sections_cover_the_whole_text_in_order():
    for name in (DOC_A, DOC_B):
        text, _, secs = sections_of(name)
        assert secs[0].start == 0 and secs[-1].end == len(text)
        assert all(a.end == b.start for a, b in zip(secs, secs[1:]))


def test_flattened_headings_subheadings_and_faq_questions_are_found():
    paths = [" > ".join(s.path) for s in sections_of(DOC_A)[2]]
    assert "Performance: The Context Most Articles Miss" in paths
    assert "Ecosystem and Libraries > Node.js ecosystem strengths" in paths
    assert "Frequently Asked Questions > Can Python handle high traffic?" in paths
    paths_b = [" > ".join(s.path) for s in sections_of(DOC_B)[2]]
    assert "When Node.js Wins" in paths_b
    assert "Frequently Asked Questions > Which is easier to hire developers for in Europe?" in paths_b


def test_table_rows_are_not_mistaken_for_headings():
    paths = " | ".join(" > ".join(s.path) for s in sections_of(DOC_B)[2])
    assert "Learning curve" not in paths and "Factor" not in paths


def test_markdown_headings_nest():
    text = "# Guide\n\nIntro.\n\n## Costs\n\nMoney talk.\n\n### Hosting\n\nServers.\n\n## Hiring\n\nPeople.\n"
    title, secs = split_sections(text, "md")
    assert title == "Guide"
    assert [s.path for s in secs] == [(), ("Costs",), ("Costs", "Hosting"), ("Hiring",)]


def test_an_admonition_title_opens_no_section():
    md = "# Guide\n\n## Backups\n\nRun pg_dump nightly.\n\n### Note\n\nKeep a copy off site.\n"
    assert [s.path for s in split_sections(md, "md")[1]] == [("Backups",)]
    flat = "Backups\n\nRun pg_dump nightly.\n\n{}\nKeep a copy off site.\n"  # PDF or plain text
    assert [s.path for s in split_sections(flat.format("Copies"), "pdf")[1]] == [(), ("Copies",)]
    assert [s.path for s in split_sections(flat.format("Warning"), "pdf")[1]] == [()]


def test_a_synopsis_line_printed_flat_opens_no_section():
    def headings(text):
        title, secs = split_sections(text, "pdf")
        return {title, *(h for s in secs for h in s.path)}

    flat = "Synopsis\n\nALTER TABLE name\n\n{}\n\nChanges a table.\n"
    assert "SET { LOGGED | UNLOGGED }" not in headings(flat.format("SET { LOGGED | UNLOGGED }"))
    assert "[ IF EXISTS ]" not in headings(flat.format("[ IF EXISTS ]"))
    assert "Description" in headings(flat.format("Description"))
    assert "TL;DR" in headings(flat.format("TL;DR"))  # a semicolon inside a heading is fine


def test_numbered_headings_nest_by_their_numbers_and_lead_ins_to_code_open_nothing():
    text = (
        "R FAQ\n\n1 Introduction\n\nThis answers questions.\n\n1.1 Legalese\n\nIt is free software.\n\n"
        "7 R Miscellanea\n\n7.1 How can I set components of a list to NULL?\n\nYou can use\n\n"
        "x[i] <- list(NULL)\n\nto set component i.\n\n7.2 How can I save my workspace?\n\n"
        "Most commands print nothing. The command\n\nsave.image()\n\nsaves them.\n"
    )
    title, secs = split_sections(text, "pdf")
    paths = [s.path for s in secs]
    assert ("7 R Miscellanea", "7.1 How can I set components of a list to NULL?") in paths
    assert ("7 R Miscellanea", "7.2 How can I save my workspace?") in paths
    assert not any("You can use" in p or "The command" in " ".join(p) for p in paths)
    # without numbered headings, a short line standing alone still opens a section
    assert [s.path for s in split_sections("Guide\n\nIntro.\n\nYou can use\n\nx <- 1\n", "pdf")[1]][-1] == (
        "You can use",
    )
