"""`kb ingest`: bring the index in line with the corpus folder, doing only the work needed.

Crash safety and consistent readers come from the order of writes. The index info is marked
`writing`; a document is recorded "pending", its new chunks upserted (ids come from the text, so
repeats are harmless), then recorded "ok" with its fingerprint and the ids of the chunks it
replaced. Nothing readers can see is deleted yet: they keep answering from the published state.
Last, bm25_sync.py publishes the new state and deletes what it replaced. A killed run leaves
documents that are complete, or pending ones the next run re-embeds whole, and the mark that
tells the next run to publish. Within a changed document only chunks with new text (or a new
heading) are embedded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from kb.errors import CorpusError
from kb.index.checks import check_model
from kb.index.embedder import ensure_onnx, get_embedder, onnx_ready, resolve_model
from kb.index.store import Store
from kb.ingest.bm25_sync import bm25_in_step, save_bm25
from kb.ingest.files import corpus_files, left_out
from kb.ingest.loaders import READERS, AsksNotToBeIndexed, SkipFile, load_document
from kb.ingest.lock import writer_lock
from kb.ingest.plans import Group, Plan, embed_group, groups, write_group
from kb.layout import DataLayout
from kb.settings import Settings
from kb.text.boilerplate import bodies, footer_note
from kb.text.chunker import CHUNKER_VERSION, chunk_document
from kb.types import Document

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    unindexed: list[str] = field(default_factory=list)  # pages asking not to be indexed, left out
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, note)
    others: Counter = field(default_factory=Counter)  # suffix -> files left out, not a kind kb reads
    chunks_embedded: int = 0
    texts_embedded: int = 0  # distinct texts: chunks plus their answer sentences
    chunks_total: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.chunks_embedded} chunks embedded, "
            f"{self.chunks_total} in the index; {self.seconds:.1f} s"
            + (f"; {len(self.skipped)} file{'s' * (len(self.skipped) > 1)} skipped" if self.skipped else "")
            + (f"; {left_out(self.others)}" if self.others else "")
            + (f"; {len(self.unindexed)} left out as they ask (robots noindex)" if self.unindexed else "")
        )


def fingerprint(doc: Document, settings: Settings, body: tuple[int, int] | None = None) -> str:
    """Changes when the text, its body (boilerplate.py) or the way it is chunked changes."""
    key = f"{doc.content_hash}|{CHUNKER_VERSION}|{settings.chunk_size}|{settings.chunk_overlap}"
    key += f"|{body[0]}-{body[1]}" if body else ""  # none: the whole text, as before bodies
    # the chunker version also decides whether stored vectors can be reused (see ingest())
    return hashlib.sha256(key.encode()).hexdigest()


def load_corpus(
    settings: Settings, report: IngestReport, progress: Progress | None = None
) -> tuple[list[Document], set[str]]:
    """Readable, distinct documents, and the ids of every supported file present; `progress` is
    told (files read, files) as it goes. A page asking not to be indexed (robots noindex) is left
    out, and counted as gone, when another document of its folder does not ask so: a site's
    print-all page or a moved page's stub, not an intranet export whose every page asks."""
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} does not exist (set KB_CORPUS_DIR or --corpus)")
    files, refused = corpus_files(corpus, settings.corpus_links_outside, report.others)
    report.skipped.extend(refused)
    by_hash: dict[str, str] = {}
    docs: list[Document] = []
    asking: list[tuple[Document, str | None]] = []

    def add(doc: Document, note: str | None) -> None:
        if note:
            report.notes.append((doc.doc_id, note))
        if doc.content_hash in by_hash:
            report.skipped.append((doc.doc_id, f"same content as {by_hash[doc.content_hash]}"))
            return
        by_hash[doc.content_hash] = doc.doc_id
        docs.append(doc)

    for n, (path, doc_id) in enumerate(files, 1):
        if progress:
            progress(n - 1, len(files))
        try:
            add(*load_document(path, doc_id, int(settings.max_file_mb * 1e6)))
        except AsksNotToBeIndexed as e:
            asking.append((e.document, e.note))
        except SkipFile as e:
            report.skipped.append((doc_id, str(e)))
    folders = {PurePosixPath(d.doc_id).parent for d in docs}
    for doc, note in asking:
        if PurePosixPath(doc.doc_id).parent in folders:
            report.unindexed.append(doc.doc_id)
        else:
            add(doc, note)
    if progress:
        progress(len(files), len(files))
    if not docs:
        kinds = " ".join(sorted(READERS))
        why = "".join(f"\n  {f}: {r}" for f, r in report.skipped)
        raise CorpusError(f"no articles to ingest in {corpus} (supported: {kinds}){why}")
    return docs, {doc_id for _, doc_id in files} - set(report.unindexed)


def ingest(
    settings: Settings,
    rebuild: bool = False,
    progress: Progress | None = None,
    wait: bool = False,
    redo: frozenset[str] = frozenset(),
    reading: Progress | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus and report what changed; one ingest at a time per
    index (IngestBusyError, or with `wait` a wait for the other to finish). The documents named
    in `redo` are chunked and embedded again even if unchanged. `reading` is told (files read,
    files), `progress` (texts embedded, texts)."""
    with writer_lock(DataLayout.of(settings).lock, wait):
        return _ingest(settings, rebuild, progress, redo, reading)


def _ingest(
    settings: Settings,
    rebuild: bool,
    progress: Progress | None,
    redo: frozenset[str],
    reading: Progress | None = None,
) -> IngestReport:
    t0 = time.perf_counter()
    report = IngestReport()
    docs, present = load_corpus(settings, report, reading)
    bm25_dir = DataLayout.of(settings).bm25
    if rebuild:
        store, note = Store.emptied(settings)
        if note:
            report.notes.append(("(index)", note))
        shutil.rmtree(bm25_dir, ignore_errors=True)
    else:
        store = Store(settings, create=True)
    info = store.info() or {}
    check_model(info, resolve_model(settings.embed_model)[0])
    records = store.doc_records()
    trimmed, lines = bodies(docs)
    plans: list[Plan] = []
    reuse = info.get("chunker") == CHUNKER_VERSION
    for doc in docs:
        body = trimmed.get(doc.doc_id)
        fp = fingerprint(doc, settings, body)
        rec = records.get(doc.doc_id)
        if rec and rec.status == "ok" and rec.fingerprint == fp and doc.doc_id not in redo:
            report.unchanged.append(doc.doc_id)
            continue
        old_fp = rec.fingerprint if rec else ""
        (report.updated if old_fp else report.added).append(doc.doc_id)
        chunks = chunk_document(doc, settings.chunk_size, settings.chunk_overlap, body)
        existing = store.chunk_heads_of(doc.doc_id) if rec else {}
        again = reuse and bool(rec) and rec.status == "ok" and doc.doc_id not in redo
        plans.append(Plan(doc, fp, old_fp, chunks, existing, again))
    if any(p.doc.doc_id in trimmed for p in plans):  # said when it changes what is chunked
        report.notes.append(("(corpus)", footer_note(lines, len(trimmed))))
    gone = sorted(set(records) - present)
    # patch the BM25 snapshot only if it is the published one and no run was left unfinished
    patchable = bm25_in_step(info, settings)
    if plans or gone:
        store.set_info(writing=f"pid {os.getpid()}")  # cleared once the new state is published

    if plans:
        embedder = get_embedder(settings)
        if not info:
            store.set_info(model=embedder.model_id, dim=embedder.dim)
        total, done = sum(p.texts(settings.sentence_vectors) for p in plans), 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, total)

        for plans_ in groups(plans, settings.commit_every):  # one group's texts in memory at a time
            group = Group.of(plans_, settings.sentence_vectors)
            vectors = embed_group(embedder, group, report, advance)
            write_group(store, group, vectors)  # writing on a thread while the next group embeds: no faster
    if plans or info.get("chunker") != CHUNKER_VERSION:  # also after a run killed just before this
        store.set_info(chunker=CHUNKER_VERSION)  # only now is every document chunked by this version
    report.removed.extend(gone)

    if not onnx_ready(settings):  # checked first: loading the model just to find it done costs seconds
        note = ensure_onnx(settings, get_embedder(settings))
        if note:
            report.notes.append(("(index)", note))
    if plans or gone:
        changed = (set(gone) | {p.doc.doc_id for p in plans}, [c for p in plans for c in p.chunks])
        save_bm25(store, settings, changed if patchable else None, set(gone))
    elif not patchable:  # e.g. a run killed after its writes, before publishing them
        save_bm25(store, settings)
    report.chunks_total = store.count()
    report.seconds = time.perf_counter() - t0
    return report
