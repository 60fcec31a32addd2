"""The everyday commands: ingest, ask, chat, show, doctor, sources."""

from __future__ import annotations

import argparse
import sys

from kb.progress import Progress
from kb.settings import Settings
from kb.terminal import as_json, passage, visible


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from kb.ingest.pipeline import ingest

    reading = Progress("reading", "files")
    progress = Progress("embedding", "texts")  # chunks and their answer sentences
    report = ingest(settings, rebuild=args.rebuild, progress=progress, wait=args.wait, reading=reading)
    reading.close()
    progress.close()
    for path, reason in report.skipped:
        print(visible(f"warning: skipped {path}: {reason}"), file=sys.stderr)
    for path, note in report.notes:
        print(visible(f"warning: {path}: {note}"), file=sys.stderr)
    if report.unindexed:
        shown = ", ".join(report.unindexed[:5]) + (", …" if len(report.unindexed) > 5 else "")
        pages = (
            "1 page that asks" if len(report.unindexed) == 1 else f"{len(report.unindexed)} pages that ask"
        )
        print(visible(f"left out {pages} not to be indexed "
                      f"(<meta name=\"robots\" content=\"noindex\">): {shown}"), file=sys.stderr)  # fmt: skip
    print(visible(f"ingested {settings.corpus_dir}: {report.summary()}"))
    return 0


def _print_answer(answer) -> None:
    out = [answer.text]
    if answer.timings:
        t = answer.timings
        out.append(f"\n({answer.mode}: first token {t['first_token_s']} s, {t['tokens_per_s']} tokens/s)")
    if answer.note:
        out.append(f"\n({answer.note})")
    for c in answer.citations:
        h = c.hit.chunk
        where = f" > {h.section}" if h.section else ""
        page = f"p. {h.page}, " if h.page else ""
        out.append(f"\n[{c.n}] {h.title}{where}")
        out.append(f"    {h.doc_id}, {page}chars {h.char_start}-{h.char_end}, score {c.hit.score:.4f}")
        out.append(
            passage(
                h.text,
                [(s.char_start - h.char_start, s.char_end - h.char_start) for s in c.supporting],
                h.code_open,
            )
        )
    print(visible("\n".join(out)))


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from kb.index.reader import open_index
    from kb.qa.ask import answer_to_dict, ask

    preview = None
    if args.llm and not args.json and sys.stderr.isatty():

        def preview(piece: str) -> None:  # the model's raw text, live; the checked answer follows
            print(piece, end="", file=sys.stderr, flush=True)

    index = open_index(settings)
    for notice in index.notices:
        print(visible(f"notice: {notice}"), file=sys.stderr)
    answer = ask(index, args.question, on_token=preview, mode=args.llm)
    if preview:
        print("\n", file=sys.stderr)
    if args.json:
        print(as_json(answer_to_dict(answer), indent=2))
    else:
        _print_answer(answer)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Questions from stdin, one per line; each is read in the context of the answer before it."""
    from kb.index.reader import open_index
    from kb.qa.ask import answer_to_dict, ask

    index = open_index(settings)
    tty = sys.stdin.isatty()
    if tty:
        print("Ask a question; follow-ups are read in context. An empty line starts over, Ctrl-D ends.")
    previous = None
    while True:
        try:
            line = input("? " if tty else "")
        except EOFError:
            return 0
        if not line.strip():
            previous = None  # a new conversation
            continue
        answer = ask(index, line, mode=args.llm, previous=previous)
        previous = answer
        if args.json:
            print(as_json(answer_to_dict(answer)), flush=True)
            continue
        if answer.searched != answer.question:
            print(visible(f"(searched: {answer.searched})"))
        _print_answer(answer)
        print(flush=True)


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """Print a document's clean text: what citation offsets point into."""
    from kb.ingest.loaders import corpus_document

    doc = corpus_document(settings.corpus_dir, args.doc_id, int(settings.max_file_mb * 1e6))
    if args.json:
        shown = {"doc_id": doc.doc_id, "title": doc.title, "pages": list(doc.pages), "text": doc.text}
        print(as_json(shown))
    else:
        print(visible(doc.text))
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Check the index end to end, repair what can be repaired, say what cannot."""
    from kb.ingest.doctor import doctor

    findings = doctor(settings)
    for f in findings:
        print(visible(f"{f.status:>8}: {f.text}"))
    problems = sum(f.status == "problem" for f in findings)
    print(f"{problems} problems, {sum(f.status == 'repaired' for f in findings)} repaired")
    return 1 if problems else 0


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from kb.index.reader import open_store

    records = sorted(open_store(settings).doc_records().values(), key=lambda r: r.doc_id)
    width = max(len(r.doc_id) for r in records)
    for r in records:
        state = "" if r.status == "ok" else f"  ({r.status}: run kb ingest)"
        print(visible(f"{r.doc_id:<{width}}  {r.n_chunks:>4} chunks  {r.ingested_at}  {r.title}{state}"))
    print(f"{len(records)} documents, {sum(r.n_chunks for r in records)} chunks")
    return 0
