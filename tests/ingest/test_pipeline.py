"""Incremental ingest against the real model and a real (embedded) Chroma."""

import io
import shutil

import numpy as np
import pytest

from kb.errors import CorpusError, ModelMismatchError
from kb.index.store import Store
from kb.ingest.files import corpus_files
from kb.ingest.loaders import READERS, corpus_document
from kb.ingest.pipeline import ingest
from kb.text.sentences import answer_spans
from tests.conftest import DOC_A, DOC_B, assert_consistent, copy_corpus, make_settings
from tests.documents import pdf_from_lines

pytestmark = pytest.mark.slow


def test_first_run_then_no_change_embeds_nothing(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    first = ingest(s)
    assert sorted(first.added) == [DOC_A, DOC_B] and first.chunks_embedded == first.chunks_total > 20
    second = ingest(s)
    assert second.chunks_embedded == 0 and sorted(second.unchanged) == [DOC_A, DOC_B]
    assert second.added == second.updated == second.removed == []
    assert_consistent(s)


def test_edit_add_delete_are_reflected(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    total = ingest(s).chunks_total
    a = s.corpus_dir / DOC_A
    a.write_text(
        a.read_text() + "\n\nEdge Functions\n\nDeno Deploy runs TypeScript at the edge with no cold start.\n"
    )
    (s.corpus_dir / "new.md").write_text(
        "# Go for APIs\n\nGo compiles to a single static binary that starts in milliseconds.\n"
    )
    (s.corpus_dir / DOC_B).unlink()
    r = ingest(s)
    assert (r.added, r.updated, r.removed) == (["new.md"], [DOC_A], [DOC_B])
    assert 0 < r.chunks_embedded < total  # only new text was embedded: unchanged chunks kept their vectors
    assert_consistent(s)
    texts = " ".join(c.text for c in Store(s).all_chunks())
    assert "Deno Deploy" in texts and "static binary" in texts and "Django Channels" not in texts


def test_changing_chunk_size_rechunks_everything(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    s2 = make_settings(tmp_path, s.corpus_dir, chunk_size=400, chunk_overlap=50)
    r = ingest(s2)
    assert sorted(r.updated) == [DOC_A, DOC_B] and r.chunks_embedded > 0
    assert_consistent(s2)


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingested(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"), max_file_mb=1)
    c = s.corpus_dir
    (c / "empty.txt").write_text("")
    (c / "blob.txt").write_bytes(b"\x00\xff" * 100)
    (c / "copy.txt").write_bytes((c / DOC_A).read_bytes())
    with open(c / "huge.txt", "wb") as f:
        f.truncate(2_000_000)
    (c / "latin.txt").write_bytes("Caf\xe9 APIs\n\nA caf\xe9 ordering API in Python.".encode("latin-1"))
    for name in ("a.png", "b.png", "notes.adoc", "Makefile", "_sources/guide.rst.txt"):
        (c / name).parent.mkdir(exist_ok=True)
        (c / name).write_text("Guide\n=====\n\nA copy of a page's source, as Sphinx builds keep it.")
    read = []
    r = ingest(s, reading=lambda done, total: read.append((done, total)))
    assert read == [(n, 7) for n in range(8)]  # every file it reads, skipped ones included
    skipped = dict(r.skipped)
    assert set(skipped) == {"empty.txt", "blob.txt", "copy.txt", "huge.txt"}
    assert skipped["copy.txt"] == f"same content as {DOC_A}"
    assert "latin.txt" in r.added and dict(r.notes)["latin.txt"].startswith("not valid UTF-8")
    assert sorted(r.added) == sorted([DOC_A, DOC_B, "latin.txt"])
    left_out = "not read: 2 .png, 1 .adoc, 1 .rst.txt (copies of Sphinx page sources), 1 Makefile"
    assert r.summary().endswith(f"4 files skipped; {left_out}")


def encrypted_pdf(path, password: str) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(
        clone_from=PdfReader(io.BytesIO(pdf_from_lines([["Ferry Guide", "Boats leave at dawn."]])))
    )
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    with open(path, "wb") as f:
        writer.write(f)


def test_any_failure_of_one_file_is_a_warning_and_the_rest_is_ingested(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    c = s.corpus_dir
    encrypted_pdf(c / "locked.pdf", "secret")
    encrypted_pdf(c / "open.pdf", "")  # AES with an empty user password: readable
    (c / "vanishing.txt").write_text("Soon gone\n\nThis file is deleted after the listing.")
    (c / "odd.md").write_text("# Odd\n\nA reader bug trips on this one.")
    listing = corpus_files(c)
    (c / "vanishing.txt").unlink()
    monkeypatch.setattr("kb.ingest.pipeline.corpus_files", lambda *a: listing)

    def buggy(path):
        raise IndexError("list index out of range")

    monkeypatch.setitem(READERS, ".md", ("md", buggy))
    r = ingest(s)
    why = dict(r.skipped)
    assert set(why) == {"locked.pdf", "vanishing.txt", "odd.md"}
    assert "encrypted with a password" in why["locked.pdf"]
    assert why["vanishing.txt"] == "disappeared while it was being read"
    assert why["odd.md"] == "unreadable md file (unexpected IndexError: list index out of range)"
    assert sorted(r.added) == sorted([DOC_A, DOC_B, "open.pdf"]) and r.summary().endswith("3 files skipped")


def test_a_file_that_turns_unreadable_keeps_its_indexed_version(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    (s.corpus_dir / DOC_B).write_bytes(b"\x00" * 64)
    r = ingest(s)
    assert r.removed == [] and DOC_B in dict(r.skipped)
    assert DOC_B in Store(s).doc_records()


def test_empty_corpus_is_an_error_and_the_index_is_untouched(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    count = ingest(s).chunks_total
    shutil.rmtree(s.corpus_dir)
    s.corpus_dir.mkdir()
    with pytest.raises(CorpusError, match="no articles to ingest"):
        ingest(s)
    assert Store(s).count() == count


def test_another_model_is_refused_until_rebuild(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    store = Store(s)
    store.set_info(model="some-other-model")
    with pytest.raises(ModelMismatchError, match=r"some-other-model.*kb ingest --rebuild"):
        ingest(s)
    assert store.count() > 0  # nothing lost
    r = ingest(s, rebuild=True)
    assert sorted(r.added) == [DOC_A, DOC_B]
    assert Store(s).info()["model"] == "all-MiniLM-L6-v2"
    assert_consistent(s)


def test_new_chunker_version_re_embeds_even_identical_chunk_text(tmp_path, monkeypatch):
    import kb.ingest.pipeline as pipeline

    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    total = ingest(s).chunks_total
    monkeypatch.setattr(pipeline, "CHUNKER_VERSION", "test-next")
    r = ingest(s)
    assert sorted(r.updated) == [DOC_A, DOC_B] and r.chunks_embedded == total
    assert Store(s).info()["chunker"] == "test-next"


def test_a_renamed_heading_re_embeds_the_chunks_under_it(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    a = s.corpus_dir / DOC_A
    a.write_text(a.read_text().replace("Common Mistakes to Avoid", "Pitfalls Founders Hit"))
    r = ingest(s)
    assert r.updated == [DOC_A] and r.chunks_embedded >= 1
    sections = {c.section for c in Store(s).all_chunks() if c.doc_id == DOC_A}
    assert "Pitfalls Founders Hit" in sections and "Common Mistakes to Avoid" not in sections
    assert_consistent(s)


def test_a_crash_between_chunk_and_sentence_writes_is_repaired(tmp_path, monkeypatch):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)  # an index with a chunker version, so a rerun may reuse stored chunks
    (s.corpus_dir / "new.md").write_text(
        "# Go for APIs\n\nGo compiles to a single static binary. It starts in milliseconds.\n"
    )

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as if killed after the chunks were stored, before their sentences

    monkeypatch.setattr(Store, "upsert_sentences", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest(s)
    assert Store(s).doc_records()["new.md"].status == "pending"
    monkeypatch.undo()
    r = ingest(s)
    assert r.added == ["new.md"]
    assert_consistent(s)  # every chunk has its answer sentences


def test_redo_embeds_one_unchanged_document_again(tmp_path):
    s = make_settings(tmp_path, copy_corpus(tmp_path / "corpus"))
    ingest(s)
    again = ingest(s, redo=frozenset({DOC_A}))
    assert again.updated == [DOC_A] and again.unchanged == [DOC_B]
    assert again.chunks_embedded == len([c for c in Store(s).all_chunks() if c.doc_id == DOC_A])
    assert_consistent(s)


def test_a_sentence_in_two_overlapping_chunks_is_embedded_once(tmp_path):
    s = make_settings(tmp_path, chunk_size=200, chunk_overlap=90)
    s.corpus_dir.mkdir()
    sentences = [f"Backup method {i} copies the data directory while the server runs." for i in range(8)]
    (s.corpus_dir / "a.txt").write_text("Backups\n\n" + " ".join(sentences) + "\n")
    report = ingest(s)
    store = Store(s)
    chunks = store.all_chunks()
    keys = [(c.chunk_id, i) for c in chunks for i in range(len(answer_spans(c.text)))]
    vectors = store.sentence_vectors(keys)
    assert len(vectors) == len(keys) > len(sentences)  # every row stored; some sentences twice
    assert report.texts_embedded == len(chunks) + len(sentences)  # but each embedded once
    by_text = {}
    for c in chunks:
        for i, (a, b) in enumerate(answer_spans(c.text)):
            by_text.setdefault(c.text[a:b], []).append(vectors[(c.chunk_id, i)])
    shared = [v for v in by_text.values() if len(v) > 1]
    assert shared and all(np.array_equal(v[0], w) for v in shared for w in v[1:])


def test_a_footer_on_most_pages_is_left_out_of_chunks_and_kept_in_the_text(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    topics = {
        "vacuum": "VACUUM reclaims storage occupied by dead tuples.",
        "analyze": "ANALYZE collects statistics about the contents of tables.",
        "reindex": "REINDEX rebuilds an index using the data stored in the table.",
        "cluster": "CLUSTER physically reorders a table based on an index.",
    }
    for i, (name, text) in enumerate(topics.items(), 1):
        (corpus / f"{name}.md").write_text(
            f"# {name}\n\n{text}\n\nThis page last modified on 2024-0{i}-1{i} UTC\n"
        )
    s = make_settings(tmp_path, corpus)
    r = ingest(s)
    assert any(
        'left out of 4 documents, lines most pages start or end with: "This page last modified on 2024-'
        in note
        for f, note in r.notes
        if f == "(corpus)"
    )
    chunks = Store(s).all_chunks()
    assert len(chunks) == 4 and not any("modified" in c.text for c in chunks)
    assert "last modified" in corpus_document(corpus, "vacuum.md", 10**6).text  # offsets point into it
    assert_consistent(s)
    again = ingest(s)
    assert again.chunks_embedded == 0 and not again.notes  # said once, when it changes chunks
    for name in ("a", "b", "c", "d", "e"):  # now on 4 of 9 pages: not boilerplate any more
        (corpus / f"{name}.md").write_text(
            f"# Page {name}\n\nText of page {name} about nothing in particular.\n"
        )
    r = ingest(s)
    assert sorted(r.updated) == sorted(f"{n}.md" for n in topics)
    assert sum("modified" in c.text for c in Store(s).all_chunks()) == 4
    assert_consistent(s)


def _page(title: str, text: str, robots: str = "") -> str:
    meta = f'<meta name="robots" content="{robots}">' if robots else ""
    return f"<html><head><title>{title}</title>{meta}</head><body><h1>{title}</h1><p>{text}</p></body></html>"


def test_pages_asking_not_to_be_indexed_are_left_out_unless_their_whole_folder_asks(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "book").mkdir(parents=True)
    (corpus / "intranet").mkdir()
    (corpus / "book" / "ferries.html").write_text(_page("Ferries", "Ferries leave the harbour at dawn."))
    (corpus / "book" / "harbour.html").write_text(_page("Harbour", "The harbour has two piers and a crane."))
    (corpus / "book" / "print.html").write_text(
        _page("Ferries", "Ferries leave the harbour at dawn, and every other chapter too.", "noindex")
    )
    (corpus / "intranet" / "rota.html").write_text(_page("Rota", "The night shift starts at ten.", "noindex"))
    s = make_settings(tmp_path, corpus)
    first = ingest(s)
    assert first.unindexed == ["book/print.html"] and not first.skipped  # intranet/: every page asks
    assert sorted(first.added) == ["book/ferries.html", "book/harbour.html", "intranet/rota.html"]
    assert first.summary().endswith("1 left out as they ask (robots noindex)")
    assert corpus_document(corpus, "book/print.html", 10**6).title == "Ferries"  # still opens

    (corpus / "book" / "ferries.html").write_text(_page("Ferries", "Boats leave at dawn.", "noindex,follow"))
    second = ingest(s)  # a page indexed before that now asks is removed from the index
    assert second.removed == ["book/ferries.html"] and sorted(second.unindexed) == [
        "book/ferries.html",
        "book/print.html",
    ]
    assert set(Store(s).doc_records()) == {"book/harbour.html", "intranet/rota.html"}
