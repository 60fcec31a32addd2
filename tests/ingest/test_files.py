"""Which files of a corpus kb reads (kb/ingest/files.py): hidden and unsupported files, links,
and the sources of built pages left out."""

from collections import Counter

import pytest

from kb.ingest.files import corpus_files, left_out

PAGE = "<html><body><h1>git-stash(1)</h1><p>{}</p></body></html>"
OPTIONS = "Show the changes recorded in the stash entry as a diff between the stashed contents."


def test_corpus_files_are_recursive_sorted_and_skip_hidden_and_unsupported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("b.txt", "sub/a.md", "sub/c.html", "x.docx", "y.odt", ".git/d.txt", ".hidden.txt"):
        (tmp_path / rel).write_text("x")
    assert [d for _, d in corpus_files(tmp_path)[0]] == ["b.txt", "sub/a.md", "sub/c.html", "x.docx"]


def test_symlinks_are_followed_only_inside_the_corpus_and_never_loop(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    (corpus / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("s")
    (corpus / "sub" / "a.txt").write_text("a")
    (corpus / "in.txt").symlink_to(corpus / "sub" / "a.txt")  # inside: followed
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "out").symlink_to(outside)
    (corpus / "sub" / "loop").symlink_to(corpus)
    (corpus / "gone.txt").symlink_to(tmp_path / "nothing.txt")
    (corpus / "jquery.js").symlink_to(tmp_path / "nothing.js")  # broken, but not a kind kb reads
    (outside / "theme.css").write_text("body {}")
    (corpus / "theme.css").symlink_to(outside / "theme.css")  # outside, but not a kind kb reads
    others = Counter()
    files, refused = corpus_files(corpus, others=others)
    assert [d for _, d in files] == ["in.txt", "sub/a.txt"]
    why = dict(refused)
    assert set(why) == {"gone.txt", "out", "passwd.txt", "sub/loop"}
    assert others == Counter({".js": 1, ".css": 1})  # counted as not read, not warned about
    assert (
        "outside the corpus" in why["passwd.txt"]
        and "loop" in why["sub/loop"]
        and "broken" in why["gone.txt"]
    )
    assert [d for _, d in corpus_files(corpus, links_outside=True)[0]] == [
        "in.txt", "out/secret.txt", "passwd.txt", "sub/a.txt"
    ]  # fmt: skip


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_listed(tmp_path, monkeypatch):
    import os

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text("x")
    (tmp_path / "a.txt").write_text("a")
    scandir = os.scandir

    def refusing(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr("kb.ingest.files.os.scandir", refusing)
    files, refused = corpus_files(tmp_path)
    assert [d for _, d in files] == ["a.txt"] and refused == [
        ("locked/", "cannot be listed (Permission denied)")
    ]


def test_a_source_beside_its_built_page_is_left_out_and_counted(tmp_path):
    (tmp_path / "git-stash.html").write_text(PAGE.format(OPTIONS))
    (tmp_path / "git-stash.txt").write_text("git-stash(1)\n============\n\n" + OPTIONS)
    (tmp_path / "notes.txt").write_text("Notes of my own, built into no page.")
    others = Counter()
    files = [d for _, d in corpus_files(tmp_path, others=others)[0]]
    assert files == ["git-stash.html", "notes.txt"] and others == Counter({".txt:page": 1})


def test_an_include_fragment_whose_words_a_page_holds_is_left_out_a_source_of_its_own_is_read(tmp_path):
    (tmp_path / "git-stash.html").write_text(PAGE.format("Intro of the page. " + OPTIONS))
    (tmp_path / "git-stash.txt").write_text("Intro of the page.\n\ninclude::stash-options.txt[]")
    (tmp_path / "stash-options.txt").write_text("--stat::\n\t" + OPTIONS)  # the fragment it includes
    (tmp_path / "git-subtree.txt").write_text("Merge subtrees together and split a repository into subtrees.")
    files = [d for _, d in corpus_files(tmp_path)[0]]
    assert files == ["git-stash.html", "git-subtree.txt"]


def test_without_a_source_page_pair_every_file_is_read(tmp_path):
    (tmp_path / "guide.html").write_text(PAGE.format(OPTIONS))
    (tmp_path / "excerpt.md").write_text(OPTIONS)  # the same words, but no page was built from a source here
    assert [d for _, d in corpus_files(tmp_path)[0]] == ["excerpt.md", "guide.html"]


def write(root, files: dict) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


@pytest.mark.parametrize(
    "home, build", [("docs", "docs/_build/html"), ("docs/source", "docs/build/html")]
)  # sphinx-quickstart's two layouts
def test_the_sources_a_sphinx_build_in_the_corpus_was_made_from_are_left_out(tmp_path, home, build):
    write(tmp_path, {
        f"{home}/conf.py": "project = 'x'",
        f"{home}/index.rst": "Index\n=====\n\nHi.",
        f"{home}/guide/install.md": "# Install\n\nRun it.",
        f"{home}/notes.rst": "Notes\n=====\n\nNot built.",
        f"{build}/index.html": PAGE.format("Hi."),
        f"{build}/_sources/index.rst.txt": "copy",
        f"{build}/_sources/guide/install.md.txt": "copy",
    })  # fmt: skip
    others = Counter()
    files = [d for _, d in corpus_files(tmp_path, others=others)[0]]
    assert files == [f"{build}/index.html", f"{home}/notes.rst"]
    assert others == Counter({".rst:page": 1, ".md:page": 1, ".rst.txt": 1, ".md.txt": 1, ".py": 1})


def test_the_sources_of_a_site_built_into_another_folder_are_left_out(tmp_path):
    setup = "Install the tool with pip, then run the init command in your project folder to start."
    write(
        tmp_path,
        {
            "mkdocs.yml": "site_name: Tool\n",
            "docs/index.md": "# Tool\n\nA tool that does one job well.",
            "docs/guide/setup.md": f"# Setup\n\n{setup}",
            "docs/guide/faq.md": "# FAQ\n\nAnswers written after the site was last built.",  # no page
            "docs/api.md": "# API\n\nThe functions the tool exports, one per section.",  # page: other words
            "site/index.html": PAGE.format("A tool that does one job well."),
            "site/guide/setup/index.html": f"<nav>Home Guide</nav>{PAGE.format(setup)}",
            "site/api/index.html": PAGE.format("Not built from this source at all: other words here."),
        },
    )
    others = Counter()
    files = [d for _, d in corpus_files(tmp_path, others=others)[0]]
    assert "docs/guide/setup.md" not in files and "site/guide/setup/index.html" in files
    assert "docs/index.md" not in files and "site/index.html" in files  # the home page too
    assert {"docs/guide/faq.md", "docs/api.md", "site/api/index.html"} <= set(files)
    assert others[".md:page"] == 2


def test_a_home_page_with_other_words_than_the_built_home_page_is_read(tmp_path):
    write(
        tmp_path,
        {
            "notes/index.md": "# Notes\n\nMeeting notes about the budget for next year's offsite.",
            "site/index.html": PAGE.format("A tool that does one job well, with its guide and API."),
        },
    )
    files = [d for _, d in corpus_files(tmp_path)[0]]
    assert files == ["notes/index.md", "site/index.html"]


def test_the_indexes_and_source_listings_a_sphinx_build_generates_are_left_out(tmp_path):
    write(tmp_path, {
        "html/searchindex.js": "Search.setIndex({})",
        "html/index.html": PAGE.format("Welcome."),
        "html/userguide/tasks.html": PAGE.format("Tasks are the building blocks."),
        "html/genindex.html": PAGE.format("Index A B C"),
        "html/py-modindex.html": PAGE.format("Python Module Index"),
        "html/search.html": PAGE.format("Searching for multiple words"),
        "html/_modules/index.html": PAGE.format("All modules for which code is available"),
        "html/_modules/pkg/task.html": PAGE.format("import sys"),
        "other/search.html": PAGE.format("A page of its own about searching."),  # no build here
    })  # fmt: skip
    others = Counter()
    files = [d for _, d in corpus_files(tmp_path, others=others)[0]]
    assert files == ["html/index.html", "html/userguide/tasks.html", "other/search.html"]
    assert others[".html:generated"] == 5


def test_the_search_pages_a_doxygen_build_generates_are_left_out(tmp_path):
    (tmp_path / "search").mkdir()
    for rel in ("index.html", "search/all_0.html", "search/searchdata.js", "search/all_0.js"):
        (tmp_path / rel).write_text(PAGE.format("Loading... Searching... No Matches"))
    others = Counter()
    assert [d for _, d in corpus_files(tmp_path, others=others)[0]] == ["index.html"]
    assert left_out(others) == "not read: 1 .html (generated indexes, search, source listings), 2 .js"


def test_the_symbol_indexes_a_gtk_doc_build_generates_are_left_out(tmp_path):
    (tmp_path / "gobject.devhelp2").write_text("<book/>")
    names = ("index.html", "gobject-Signals.html", "api-index-full.html", "api-index-2-26.html",
             "deprecated-api-index.html", "annotation-glossary.html")  # fmt: skip
    for name in names:
        (tmp_path / name).write_text(PAGE.format("g_signal_new, function in Signals"))
    (tmp_path / "other").mkdir()  # no gtk-doc build there: a page of its own
    (tmp_path / "other" / "api-index-full.html").write_text(PAGE.format("Our API at a glance."))
    others = Counter()
    files = [d for _, d in corpus_files(tmp_path, others=others)[0]]
    pages = ["annotation-glossary.html", "gobject-Signals.html", "index.html", "other/api-index-full.html"]
    assert files == pages
    assert others[".html:generated"] == 3


def test_a_wikis_sidebar_header_and_footer_are_left_out_and_counted(tmp_path):
    for name in ("Home.md", "Getting-Started.md", "_Sidebar.md", "_Footer.md", "Sidebar.md"):
        (tmp_path / name).write_text("- [[Home]]")
    others = Counter()
    files = [d for _, d in corpus_files(tmp_path, others=others)[0]]
    assert files == ["Getting-Started.md", "Home.md", "Sidebar.md"]
    assert left_out(others) == "not read: 2 .md (a wiki's sidebars, headers and footers)"
