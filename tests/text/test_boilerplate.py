"""Boilerplate at the edges of most documents of a kind is left out of their bodies."""

from kb.text.boilerplate import bodies, body
from kb.types import Document


def page(name: str, text: str, kind: str = "html") -> Document:
    return Document(name, name, text, name, kind)


def manual(name: str, n: int) -> Document:
    text = f"# {name}(1)\n\n## NAME\n\n{name} - does thing {n}.\n\n## GIT\n\nPart of the git(1) suite\n"
    return page(name, text)


def test_a_footer_heading_and_line_on_most_pages_are_cut_off_the_end():
    docs = [manual(f"git-{c}", i) for i, c in enumerate("abcd")] + [page("x", "# Other\n\nText here.\n")]
    trimmed, lines = bodies(docs)
    assert set(trimmed) == {"git-a", "git-b", "git-c", "git-d"}
    start, end = trimmed["git-a"]
    assert docs[0].text[start:end].endswith("does thing 0.") and start == 0
    assert lines == ["## GIT", "Part of the git(1) suite"]


def test_a_banner_before_the_title_goes_and_dates_do_not_make_a_footer_unique():
    docs = [
        page(
            f"p{c}",
            f"### Navigation\n\nThis is the current version.\n\n# Page {i}\n\nBody {c}.\n\n"
            f"This page last modified on 2022-0{i}-1{i}\n",
        )
        for i, c in enumerate("abc", 1)
    ]
    trimmed = bodies(docs)[0]
    for i, (d, c) in enumerate(zip(docs, "abc"), 1):
        start, end = trimmed[d.doc_id]
        assert d.text[start:end] == f"# Page {i}\n\nBody {c}."  # the titles share a shape, and stay


def test_plain_text_keeps_its_first_lines_which_may_be_its_title():
    docs = [
        page(f"c{i}.txt", f"Chapter {i}\n\nText of chapter {c}.\n", "txt") for i, c in enumerate("abc", 1)
    ]
    assert bodies(docs) == ({}, [])


def test_too_few_documents_other_kinds_and_lines_mid_text_are_kept():
    two = [manual("git-a", 1), manual("git-b", 2)]
    assert bodies(two) == ({}, [])  # fewer than 3: nothing is boilerplate
    mixed = two + [page(f"n{c}.md", f"# N{c}\n\nPart of the git(1) suite\n", "md") for c in "xyz"]
    assert set(bodies(mixed)[0]) == {"nx.md", "ny.md", "nz.md"}  # compared with their own kind only
    text = "# T\n\nFirst.\n\nShared line.\n\nSecond.\n\nThird.\n\nFourth.\n"
    assert body(text, {"shared line."}, {"shared line."}) == (0, len(text))  # not at an edge: kept


def test_a_document_of_nothing_but_boilerplate_is_kept_whole():
    text = "Part of the suite\nLast modified 2024\n"
    assert body(text, set(), {"part of the suite", "last modified #"}) == (0, len(text))
    assert body(text, {"part of the suite", "last modified #"}, set()) == (0, len(text))


def test_a_closing_code_fence_that_ends_most_pages_is_no_footer():
    docs = [
        page(f"{c}.md", f"# {c}\n\nRun:\n\n```\nmake {c}\n```\n\nLast updated 2024-0{i}-01\n", "md")
        for i, c in enumerate("abc", 1)
    ]
    trimmed, lines = bodies(docs)
    assert lines == ["Last updated 2024-01-01"]
    assert all(d.text[slice(*trimmed[d.doc_id])].endswith("```") for d in docs)
