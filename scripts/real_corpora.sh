#!/usr/bin/env bash
# Copy a real documentation corpus, installed by a Debian package, into a folder kb can ingest.
# Usage: scripts/real_corpora.sh NAME DEST
#   NAME: postgresql (part of the PostgreSQL 15 manual), sqlite (the SQLite documentation),
#         sphinx (the Python FAQ as Sphinx builds it) or
#         pdf (eight reference pages of the PostgreSQL manual printed to PDF by headless chromium) or
#         pip (pip's documentation sources: MyST Markdown and reStructuredText, gzipped files unpacked) or
#         git (Git's documentation folder as git-doc installs it: asciidoc HTML pages beside their sources) or
#         celery (Celery's Sphinx build as python-celery-doc installs it, but its API reference, internals
#         and history: user guide, getting started, Django, tutorial, FAQ, with _modules/ and _sources/) or
#         texpdf (three R manuals typeset by TeX as r-doc-pdf installs them: R FAQ, An Introduction to R,
#         R Data Import/Export) or
#         valgrind (Valgrind's manual, a PDF book made by DocBook and Apache FOP, as the valgrind package
#         installs it) or
#         drf (Django REST framework's MkDocs site, Bootstrap theme, as python-djangorestframework-doc installs it) or
#         typer (Typer's MkDocs site, readthedocs theme, as python-typer-doc installs it) or
#         rustbook (The Rust Programming Language, an mdBook site as rust-doc installs it: its top folder
#         but chapters 11-20, so with print.html, the whole book on one page, and the old links' pages) or
#         rustc (the rustc book, an mdBook site as rust-doc installs it, the whole folder) or
#         doxygen (Doxygen's manual, a Doxygen site as doxygen-doc installs it, the whole folder: the
#         manual's pages and the example projects' generated API pages) or
#         glfw (GLFW 3's documentation, a Doxygen site as libglfw3-doc installs it, the whole folder:
#         its guides and the API reference generated from its header) or
#         gobject (the GObject Reference Manual, a gtk-doc site as libglib2.0-doc installs it, the whole
#         folder: concepts, tutorials, tools and the generated API pages) or
#         glib (the GLib Reference Manual, a gtk-doc site from the same package, the whole folder)
# Installs the packages with apt-get when they are missing (root). The corpora are not committed.
set -euo pipefail
name=${1:?usage: $0 NAME DEST}
dest=${2:?usage: $0 NAME DEST}
case "$name" in
  postgresql)
    package=postgresql-doc-15
    src=/usr/share/doc/postgresql-doc-15/html
    # about 200 pages: tutorial, SQL language, data types, indexes, concurrency, backup, WAL,
    # server configuration, client authentication, full text search, PL/pgSQL
    pattern='^(tutorial|ddl|dml|queries|indexes|datatype|mvcc|backup|runtime|auth|textsearch|plpgsql|wal|transaction|explicit|routine|continuous|warm|hot|sql-createindex|sql-vacuum|sql-copy|sql-explain|using-explain|performance|populate|client-auth|pgtrgm|functions-json|functions-uuid|rowtypes|arrays).*\.html$'
    ;;
  sqlite)
    package=sqlite3-doc
    src=/usr/share/doc/sqlite3
    # every top-level page but the generated indexes, the requirements list, the C API reference
    # and the release logs (hundreds of KB each of lists, not prose)
    skip='(_crossref|^requirements|^capi3ref|^changes|^chronology|^news|^oldnews|^releaselog|^sitemap|^doclist|^keyword_index|^syntaxdiagrams)'
    ;;
  sphinx)
    package=python3.11-doc
    src=/usr/share/doc/python3.11/html/faq
    pattern='\.html$'
    ;;
  pdf)
    package=postgresql-doc-15
    src=/usr/share/doc/postgresql-doc-15/html
    pages="app-pgdump app-pgrestore sql-grant sql-insert sql-altertable sql-createtable sql-select sql-copy"
    ;;
  pip)
    package=python3-pip
    src=/usr/share/doc/python3-pip/html
    ;;
  git)
    package=git-doc
    src=/usr/share/doc/git-doc
    ;;
  celery)
    package=python-celery-doc
    src=/usr/share/doc/python-celery-doc/html
    ;;
  texpdf)
    package=r-doc-pdf
    src=/usr/share/R/doc/manual
    ;;
  valgrind)
    package=valgrind
    src=/usr/share/doc/valgrind
    ;;
  drf)
    package=python-djangorestframework-doc
    src=/usr/share/doc/python3-djangorestframework/html
    ;;
  typer)
    package=python-typer-doc
    src=/usr/share/doc/python-typer-doc/html
    ;;
  rustbook)
    package=rust-doc
    src=/usr/share/doc/rust-doc/html/book
    skip='^ch(1[1-9]|20)-'  # about 1,500 passages of the book's first ten chapters and appendices
    ;;
  rustc)
    package=rust-doc
    src=/usr/share/doc/rust-doc/html/rustc
    ;;
  doxygen)
    package=doxygen-doc
    src=/usr/share/doc/doxygen/html
    ;;
  glfw)
    package=libglfw3-doc
    src=/usr/share/doc/libglfw3-dev/html
    ;;
  gobject|glib)
    package=libglib2.0-doc
    src=/usr/share/gtk-doc/html/$name
    ;;
  *) echo "unknown corpus $name (known: postgresql, sqlite, sphinx, pdf, pip, git, celery, texpdf, valgrind, drf, typer, rustbook, rustc, doxygen, glfw, gobject, glib)" >&2; exit 2 ;;
esac
# the package, not the folder: /usr/share/doc/sqlite3 also exists when only the sqlite3 binary is installed
if ! dpkg -s "$package" >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq "$package" >/dev/null
fi
mkdir -p "$dest"
if [[ $name == pdf ]]; then
  command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
  for p in $pages; do  # A4-independent: chromium's default page size, its running header and footer kept
    chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$(mktemp -d)" \
      --print-to-pdf="$dest/$p.pdf" "file://$src/$p.html" 2>/dev/null
  done
  echo "pdf: $(ls "$dest"/*.pdf | wc -l) PDFs printed from $package in $dest"
  exit 0
fi
if [[ $name == texpdf ]]; then
  cp "$src"/{R-FAQ,R-intro,R-data}.pdf "$dest"/
  echo "texpdf: $(ls "$dest"/*.pdf | wc -l) PDFs from $package in $dest"
  exit 0
fi
if [[ $name == valgrind ]]; then  # gzipped by Debian
  gunzip -c "$src/valgrind_manual.pdf.gz" > "$dest/valgrind_manual.pdf"
  echo "valgrind: 1 PDF from $package in $dest"
  exit 0
fi
if [[ $name == git ]]; then  # the folder as installed: pages, their .txt sources, howto/, technical/
  cp -r "$src"/. "$dest"/
  echo "git: $(find "$dest" -name '*.html' | wc -l) pages from $package in $dest"
  exit 0
fi
if [[ $name == celery ]]; then  # the build as installed, but the API reference, internals and history
  cp -r "$src"/{index.html,faq.html,glossary.html,genindex.html,search.html,py-modindex.html} "$dest"/
  cp -r "$src"/{searchindex.js,objects.inv,userguide,getting-started,tutorials,django,_modules,_sources,_static} "$dest"/
  echo "celery: $(find "$dest" -name '*.html' -not -path '*/_modules/*' | wc -l) pages from $package in $dest"
  exit 0
fi
if [[ $name == drf || $name == typer || $name == rustc || $name == doxygen || $name == glfw || $name == gobject || $name == glib ]]; then  # the site as installed, its links to Debian's scripts and
  cp -r "$src"/. "$dest"/                       # fonts kept as links (typer's mermaid.js points nowhere)
  echo "$name: $(find "$dest" -name '*.html' | wc -l) pages from $package in $dest"
  exit 0
fi
if [[ $name == pip ]]; then  # a source tree: folders kept, Debian's gzipped files unpacked
  cp -r "$src"/. "$dest"/
  find "$dest" -name '*.gz' -exec gunzip -f {} +
  echo "pip: $(find "$dest" -name '*.md' -o -name '*.rst' | wc -l) files from $package in $dest"
  exit 0
fi
n=0
for f in "$src"/*.html; do
  base=$(basename "$f")
  if [[ -n ${skip:-} ]]; then
    [[ $base =~ $skip ]] || { cp "$f" "$dest/$base"; n=$((n + 1)); }
  elif [[ $base =~ $pattern ]]; then
    cp "$f" "$dest/$base"; n=$((n + 1))
  fi
done
echo "$name: $n pages from $package in $dest"
