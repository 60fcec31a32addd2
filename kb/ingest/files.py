"""Which files of a corpus folder kb reads: every file of a kind it reads, but copies of pages.

A built documentation site often keeps its pages' sources beside them (git-doc's `git-stash.txt`
beside `git-stash.html`, include fragments, a Sphinx build's `_sources/`); read as well, every
page would be indexed twice. So the built page is read and not: a source with a page of its
name beside it; in a folder of such pairs, a source whose words its pages hold (a fragment); the
sources a Sphinx build in the corpus lists; a source a site generator built under the same path
elsewhere (MkDocs `docs/a.md` → `site/a/index.html`, `docs/index.md` → `site/index.html`) when
that page holds most of its words; the pages a Sphinx build generates (`_modules/` source
listings, indexes, search) and Doxygen's search pages. A source with no page built from it is
read. docs/design.md, "Reading documents".
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from kb.ingest.formats.mediawiki import is_export
from kb.ingest.loaders import READERS, file_head

_SOURCE_COPIES = (".rst.txt", ".md.txt", ".ipynb.txt")  # a Sphinx build's copies of its sources
_SOURCES = (".txt", ".adoc", ".asciidoc", ".md", ".markdown", ".rst")
_PAGES = (".html", ".htm")
BESIDE = ":page"  # the mark, in `others`' keys, of sources left out for their built page
_NOTES = {s: "copies of Sphinx page sources" for s in _SOURCE_COPIES}
GENERATED = ":generated"  # the mark, in `others`' keys, of a site generator's generated pages
# what a Sphinx build generates beside its pages (searchindex.js marks the build's root): the
# highlighted source code of its modules, the indexes, the search page
_SPHINX_PAGES = re.compile(r"^(_modules|genindex(-\w+)?\.html|py-modindex\.html|search\.html)$")
# what gtk-doc generates beside its pages (a .devhelp2 book file marks the build): symbol indexes
_GTKDOC_PAGES = re.compile(r"^(api-index-[\w.-]+|deprecated-api-index)\.html$")
WIKI_CHROME = ":wiki"  # the mark, in `others`' keys, of a wiki's sidebars, headers and footers
# what a GitHub (Gollum) wiki shows around every page of its folder: navigation, not a page
_WIKI_CHROME = re.compile(r"^_(Sidebar|Header|Footer)\.\w+$")
FRAGMENT_SHARE = 0.5  # share of a source's word 5-grams found in the folder's pages


def _claimed(path: Path) -> bool:
    """Is a file of a kind kb reads by its suffix really one? Of XML files, only MediaWiki
    exports are: a Doxygen build's or a project's other XML is counted as not read."""
    if path.suffix.lower() != ".xml":
        return True
    try:
        return is_export(file_head(path, 4096))
    except OSError:
        return True  # the reader reports it


def source_copy(name: str) -> str:
    """What a Sphinx build's copy of a page's source is named after (`_sources/x.rst.txt`), else "".
    The page itself is in the build: read as text too, every page would be indexed twice.

    >>> source_copy("install.rst.txt"), source_copy("notes.txt")
    ('.rst.txt', '')
    """
    return next((s for s in _SOURCE_COPIES if name.lower().endswith(s)), "")


def left_out(others: Counter) -> str:
    """The files `corpus_files` left out: pages kb chose not to read, then kinds it does not read,
    most common first.

    >>> left_out(Counter({".png": 27, ".rst.txt": 3, ".py": 1}))
    'not read: 27 .png, 3 .rst.txt (copies of Sphinx page sources), 1 .py'
    >>> left_out(Counter({".txt:page": 2}))
    'not read: 2 .txt (sources of pages kb reads)'
    >>> left_out(Counter({".png": 8, ".css": 1, ".gif": 1, ".svg": 4, ".html:generated": 1}))
    'not read: 1 .html (generated indexes, search, source listings), 8 .png, 4 .svg, 1 .css, 1 .gif'
    """
    shown = []
    marked = (BESIDE, GENERATED, WIKI_CHROME)  # pages kb chose not to read come first, then counts
    for kind, n in sorted(others.items(), key=lambda kv: (not kv[0].endswith(marked), -kv[1], kv[0]))[:5]:
        if kind.endswith(BESIDE):
            shown.append(f"{n} {kind.removesuffix(BESIDE)} (sources of pages kb reads)")
        elif kind.endswith(GENERATED):
            shown.append(f"{n} {kind.removesuffix(GENERATED)} (generated indexes, search, source listings)")
        elif kind.endswith(WIKI_CHROME):
            shown.append(f"{n} {kind.removesuffix(WIKI_CHROME)} (a wiki's sidebars, headers and footers)")
        else:
            shown.append(f"{n} {kind}" + (f" ({_NOTES[kind]})" if kind in _NOTES else ""))
    more = len(others) - 5
    return f"not read: {', '.join(shown)}" + (f" and {more} more kinds" if more > 0 else "")


_WORD = re.compile(r"[a-z0-9]+")
_TAG = re.compile(r"<[^>]*>")


def _grams(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(tuple(words[i : i + 5])) for i in range(len(words) - 4)}


def built_from(folder: list[os.DirEntry]) -> set[str]:
    """Names of the source files in one folder's listing that its pages were built from.

    A source is a page's when the page has its name (x.txt, x.html); once a folder holds such a
    pair, a source whose word 5-grams are mostly in the folder's pages is an include fragment.
    """
    pages = {Path(e.name).stem.lower(): e for e in folder if e.name.lower().endswith(_PAGES)}
    sources = [e for e in folder if e.name.lower().endswith(_SOURCES) and not source_copy(e.name)]
    twins = {e.name for e in sources if Path(e.name).stem.lower() in pages}
    rest = [e for e in sources if e.name not in twins]
    if not twins or not rest:
        return twins
    built: set[int] = set()
    for page in pages.values():
        try:
            built |= _grams(_TAG.sub(" ", Path(page.path).read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    for e in rest:
        try:
            own = _grams(Path(e.path).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if own and len(own & built) >= FRAGMENT_SHARE * len(own):
            twins.add(e.name)
    return twins


def corpus_files(
    corpus: Path, links_outside: bool = False, others: Counter | None = None
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """(path, doc id) of every supported file under the corpus, hidden files skipped; and (doc id,
    reason) of each symbolic link left out (broken, pointing outside the corpus folder unless
    `links_outside`, or leading back into a folder already walked) and each folder not listable.
    `others` counts the files left out, by suffix: kinds kb does not read, copies of pages."""
    root = corpus.resolve()
    files: list[tuple[Path, str]] = []
    refused: list[tuple[str, str]] = []
    walked = {root}
    copies: list[Path] = []  # a Sphinx build's copies of its sources

    def walk(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:  # e.g. a folder the user may not list: its files are left out
            refused.append(
                (folder.relative_to(corpus).as_posix() + "/", f"cannot be listed ({e.strerror or e})")
            )
            return
        built = built_from([e for e in entries if not e.name.startswith(".") and e.is_file()])
        sphinx = any(e.name == "searchindex.js" for e in entries)
        search = any(e.name == "searchdata.js" for e in entries)  # Doxygen's search/ folder
        gtkdoc = any(e.name.endswith((".devhelp2", ".devhelp")) for e in entries)
        generated = _SPHINX_PAGES if sphinx else _GTKDOC_PAGES if gtkdoc else None  # its pages' names
        for entry in entries:
            path, copy = Path(entry.path), source_copy(entry.name)
            rel = path.relative_to(corpus).as_posix()
            if entry.name.startswith("."):
                continue
            if generated and generated.match(entry.name) or search and entry.name.endswith(".html"):
                if others is not None:
                    others[".html" + GENERATED] += 1 if entry.is_file() else len(list(path.rglob("*.html")))
                continue
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    if path.suffix.lower() in READERS:  # else a file kb would not read anyway
                        refused.append((rel, "is a broken symbolic link"))
                    elif others is not None:
                        others[path.suffix.lower() or path.name] += 1
                    continue
                if not links_outside and not target.is_relative_to(root):
                    if target.is_file() and path.suffix.lower() not in READERS:  # not read anyway
                        if others is not None:
                            others[path.suffix.lower() or path.name] += 1
                        continue
                    why = (
                        f"links to {target}, outside the corpus folder (KB_CORPUS_LINKS_OUTSIDE=1 follows it)"
                    )
                    refused.append((rel, why))
                    continue
            if entry.is_dir():
                real = path.resolve()
                if real in walked:
                    refused.append((rel, f"leads back to {real}, already read (a loop)"))
                    continue
                walked.add(real)
                walk(path)
            elif entry.name in built:
                if others is not None:
                    others[path.suffix.lower() + BESIDE] += 1
            elif _WIKI_CHROME.match(entry.name) and entry.is_file():
                if others is not None:
                    others[path.suffix.lower() + WIKI_CHROME] += 1
            elif entry.is_file() and path.suffix.lower() in READERS and not copy and _claimed(path):
                files.append((path, rel))
            elif entry.is_file():
                if copy:
                    copies.append(path)
                if others is not None:
                    others[copy or path.suffix.lower() or path.name] += 1

    walk(corpus)
    if built := sphinx_sources(copies, corpus) | built_elsewhere(files):
        if others is not None:
            others.update(p.suffix.lower() + BESIDE for p, _ in files if p in built)
        files = [(p, rel) for p, rel in files if p not in built]
    return files, refused


def sphinx_sources(copies: list[Path], corpus: Path) -> set[Path]:
    """The source files, inside the corpus, that a Sphinx build in it was made from: each copy
    `<build>/_sources/<name>.txt` names `<name>` under the folder holding `conf.py` (the build's
    nearest ancestor, or its `source/` folder: `docs/_build/html`, `docs/build/html`)."""
    out: set[Path] = set()
    for copy in copies:
        parts = copy.parts
        at = len(parts) - 1 - parts[::-1].index("_sources") if "_sources" in parts else 0
        if not at:
            continue
        build, name = Path(*parts[:at]), Path(*parts[at + 1 :]).with_suffix("")
        for folder in (build, *build.parents):
            if not folder.is_relative_to(corpus):
                break
            home = next((f for f in (folder, folder / "source") if (f / "conf.py").is_file()), None)
            if home is not None:
                out.add(home / name)
                break
    return out


_INDEX = {"index", "readme", "_index"}


def _slug(rel: str) -> tuple[str, ...]:
    """A file's path without its suffix and a trailing index page: what a site generator maps.

    >>> _slug("docs/guide/setup.md"), _slug("site/guide/setup/index.html"), _slug("docs/README.md")
    (('docs', 'guide', 'setup'), ('site', 'guide', 'setup'), ('docs',))
    """
    parts = tuple(p.lower() for p in Path(rel).with_suffix("").parts)
    return parts[:-1] if parts and parts[-1] in _INDEX else parts


def built_elsewhere(files: list[tuple[Path, str]]) -> set[Path]:
    """The sources among `files` that a page in another folder was built from: the page's path
    ends as the source's does (the longest such ending wins), or both are their folder's home page
    (`docs/index.md`, `site/index.html`), and the page holds most of the source's words."""
    pages: dict[tuple[str, ...], list[Path]] = {}
    homes: list[Path] = []  # index pages at the top of a folder: site/index.html
    for path, rel in files:
        if path.suffix.lower() in _PAGES:
            slug = _slug(rel)
            for k in range(1, len(slug) + 1):
                pages.setdefault(slug[-k:], []).append(path)
            if len(slug) == 1 and len(Path(rel).parts) == 2:
                homes.append(path)
    out: set[Path] = set()
    if not pages:
        return out
    for path, rel in files:
        slug = _slug(rel)
        if path.suffix.lower() not in _SOURCES:
            continue
        if len(slug) < 2:  # a home page is built into another folder's home page
            home = len(Path(rel).parts) - len(slug) == 1
            candidates = [p for p in homes if p.parent != path.parent] if home else []
        else:
            ending = next((slug[k:] for k in range(1, len(slug)) if slug[k:] in pages), None)
            candidates = pages[ending] if ending is not None else []
        if not candidates:
            continue
        try:
            own = _grams(path.read_text(encoding="utf-8", errors="replace"))
            for page in candidates[:3]:
                html = _TAG.sub(" ", page.read_text(encoding="utf-8", errors="replace"))
                if own and len(own & _grams(html)) >= FRAGMENT_SHARE * len(own):
                    out.add(path)
                    break
        except OSError:
            continue
    return out
