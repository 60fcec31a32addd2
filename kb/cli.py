"""The `kb` command line: ingest, ask, sources, eval. The top layer: errors become one line here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from kb.errors import CorpusError, KbError
from kb.settings import EXTRACTIVE, LLMBackend, RetrieverName, Settings
from kb.terminal import as_json, passage, visible


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    for name in ("corpus_dir", "data_dir", "k", "retriever"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    return Settings(**overrides)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from kb.ingest.pipeline import ingest

    bar = None
    shown = [0]

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not sys.stderr.isatty():  # logs get a line per 10 %, not a bar
            if done * 10 // total > shown[0] or done == total:
                shown[0] = done * 10 // total
                print(
                    f"embedding {done}/{total} texts (chunks and answer sentences)",
                    file=sys.stderr,
                    flush=True,
                )
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="text", desc="embedding", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

    report = ingest(settings, rebuild=args.rebuild, progress=progress, wait=args.wait)
    if bar is not None:
        bar.close()
    for path, reason in report.skipped:
        print(visible(f"warning: skipped {path}: {reason}"), file=sys.stderr)
    for path, note in report.notes:
        print(visible(f"warning: {path}: {note}"), file=sys.stderr)
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
        out.append(passage(h.text))
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


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """Print a document's clean text: what citation offsets point into."""
    from kb.ingest.loaders import READERS, SkipFile, load_document

    path = (settings.corpus_dir / args.doc_id).resolve()
    if not path.is_relative_to(settings.corpus_dir.resolve()) or not path.is_file():
        raise CorpusError(f"{args.doc_id}: no such document in {settings.corpus_dir}")
    if path.suffix.lower() not in READERS:
        raise CorpusError(f"{args.doc_id}: not a document kb reads (supported: {' '.join(sorted(READERS))})")
    try:
        doc, _ = load_document(path, args.doc_id, int(settings.max_file_mb * 1e6))
    except SkipFile as e:
        raise CorpusError(f"{args.doc_id}: {e}") from e
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


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from kb.eval import report
    from kb.eval.gate import THRESHOLDS, load_thresholds, violations
    from kb.eval.golden import load_golden, set_path
    from kb.eval.runner import run
    from kb.index.reader import open_index

    golden = set_path(args.file)
    cases = load_golden(golden)
    index = open_index(settings)
    retrievers = list(RetrieverName) if args.compare else [settings.retriever]
    configs = [(r, EXTRACTIVE) for r in retrievers]
    if args.llm:  # the LLM mode on the default retriever: beside the others, or alone
        configs = (configs if args.compare else []) + [(settings.retriever, args.llm)]
    runs = []
    for retriever, mode in configs:
        tty = sys.stderr.isatty()
        desc = f"eval {retriever}/{mode}"
        with tqdm(
            total=len(cases), desc=desc, unit="q", file=sys.stderr, leave=False, disable=not tty
        ) as bar:
            runs.append(run(index, cases, retriever, mode, progress=lambda i, n: bar.update(i - bar.n)))
    print(f"{len(cases)} questions from {golden}\n")
    print(report.table(runs))
    for line in filter(None, map(report.llm_summary, runs)):
        print(line)
    main_run = runs[-1] if args.llm else next(r for r in runs if r.config == settings.retriever)
    print(f"\nfailed ({main_run.config}):\n{report.failures(main_run)}")
    out = Path(args.out)
    print(f"\nwrote {report.write_json(runs, golden, out)} and {report.write_chart(runs, out)}")
    if args.check:
        thresholds = args.thresholds or THRESHOLDS
        bad = violations(main_run.totals, load_thresholds(thresholds, golden.stem))
        for line in bad:
            print(f"check failed: {line}", file=sys.stderr)
        if bad:
            return 1
        print(f"check passed ({thresholds})")
    return 0


def cmd_grounding(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from kb.eval import grounding
    from kb.index.embedder import get_embedder
    from kb.qa.grounding import Checker

    items = grounding.load(args.set)
    result = grounding.confusion(Checker(get_embedder(settings)), items)
    print(f"grounding check on {len(items)} labelled sentences ({args.set})\n")
    print(grounding.table(result))
    out = Path(args.out) / f"grounding-{Path(args.set).stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


def _global_options(parser: argparse.ArgumentParser, default) -> None:
    """Options accepted before or after the subcommand (`kb --corpus D ingest`, `kb ingest --corpus D`)."""
    parser.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    parser.add_argument(
        "--corpus", dest="corpus_dir", type=Path, default=default, help="corpus folder (KB_CORPUS_DIR)"
    )
    parser.add_argument("--data-dir", type=Path, default=default, help="index folder (KB_DATA_DIR)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kb", description="Ask questions about a folder of documents.")
    _global_options(p, None)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)  # unset after the subcommand: keeps what came before
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", parents=[common], help="index new and changed documents, drop deleted ones")
    s.add_argument("--rebuild", action="store_true", help="drop the index and rebuild it")
    s.add_argument("--wait", action="store_true", help="wait for another ingest of this index to finish")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("ask", parents=[common], help="answer a question with cited passages")
    s.add_argument("question")
    s.add_argument("--k", type=int, help="passages to retrieve (KB_K)")
    s.add_argument("--retriever", choices=list(RetrieverName), help="(KB_RETRIEVER)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.add_argument("--llm", choices=list(LLMBackend), help="write the answer with a local LLM (KB_LLM)")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("eval", parents=[common], help="score kb against a golden set of questions")
    s.add_argument(
        "file", nargs="?", default="golden", help="golden set: a YAML/JSONL file or a shipped set's name"
    )
    s.add_argument("--compare", action="store_true", help="run every retriever side by side")
    s.add_argument("--retriever", choices=list(RetrieverName), help="(KB_RETRIEVER)")
    s.add_argument(
        "--llm", choices=list(LLMBackend), help="also (or with --compare, in addition) run an LLM mode"
    )
    s.add_argument("--check", action="store_true", help="exit 1 when a metric is past its threshold")
    s.add_argument("--thresholds", type=Path, help="bounds for --check (default: shipped)")
    s.add_argument("--out", default="eval/results", help="where latest.json and latest.png go")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser(
        "eval-grounding", parents=[common], help="measure the LLM grounding check on labelled sentences"
    )
    s.add_argument("set", nargs="?", default="heldout", help="dev, heldout, or a YAML file")
    s.add_argument("--out", default="eval/results", help="where grounding-SET.json goes")
    s.set_defaults(func=cmd_grounding)

    s = sub.add_parser("show", parents=[common], help="print a document's text as kb reads it")
    s.add_argument("doc_id", help="the document's path inside the corpus, as citations name it")
    s.add_argument("--json", action="store_true", help="one JSON object: doc_id, title, pages, text")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("doctor", parents=[common], help="check the index end to end and repair it")
    s.set_defaults(func=cmd_doctor)

    s = sub.add_parser("sources", parents=[common], help="list the indexed documents")
    s.set_defaults(func=cmd_sources)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, _settings(args))
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "settings"
        print(f"error: invalid setting {where}: {err['msg']}", file=sys.stderr)
    except KbError as e:
        if args.debug:
            raise
        print(visible(f"error: {e}"), file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `kb ask ... | head`: the reader left, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:  # noqa: BLE001 - the edge: one line, traceback only with --debug
        if args.debug:
            raise
        print(
            visible(f"error: unexpected {type(e).__name__}: {e} (rerun with --debug for details)"),
            file=sys.stderr,
        )
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
