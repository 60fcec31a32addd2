"""The `kb` command line: ingest, ask, sources, eval. The top layer: errors become one line here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from kb.cli.commands import cmd_ask, cmd_chat, cmd_doctor, cmd_ingest, cmd_show, cmd_sources
from kb.cli.evals import cmd_eval, cmd_eval_drafts, cmd_eval_followup, cmd_grounding
from kb.collections import choose
from kb.errors import KbError
from kb.settings import LLMBackend, RetrieverName, Settings
from kb.terminal import visible


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    for name in ("data_dir", "k", "retriever"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    settings = choose(Settings(**overrides), getattr(args, "collection", None))
    corpus = getattr(args, "corpus_dir", None)
    return settings if corpus is None else settings.model_copy(update={"corpus_dir": corpus})


def _global_options(parser: argparse.ArgumentParser, default) -> None:
    """Options accepted before or after the subcommand (`kb --corpus D ingest`, `kb ingest --corpus D`)."""
    parser.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    parser.add_argument(
        "--corpus", dest="corpus_dir", type=Path, default=default, help="corpus folder (KB_CORPUS_DIR)"
    )
    parser.add_argument("--data-dir", type=Path, default=default, help="index folder (KB_DATA_DIR)")
    parser.add_argument(
        "--collection", default=default, help="a collection added in the chat (default: KB_COLLECTION)"
    )


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

    answering = argparse.ArgumentParser(add_help=False)  # what `ask` and `chat` share
    answering.add_argument("--k", type=int, help="passages to retrieve (KB_K)")
    answering.add_argument("--retriever", choices=list(RetrieverName), help="(KB_RETRIEVER)")
    answering.add_argument("--llm", choices=list(LLMBackend), help="write answers with a local LLM (KB_LLM)")

    s = sub.add_parser("ask", parents=[common, answering], help="answer a question with cited passages")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", parents=[common, answering], help="a conversation: follow-ups read in context")
    s.add_argument("--json", action="store_true", help="one JSON object per answer, one per line")
    s.set_defaults(func=cmd_chat)

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
    s.add_argument("--out", help="where latest.json and latest.png go (KB_EVAL_DIR, default eval/results)")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser(
        "eval-grounding", parents=[common], help="measure the LLM grounding check on labelled sentences"
    )
    s.add_argument("set", nargs="?", default="heldout", help="dev, heldout, or a YAML file")
    s.add_argument("--out", help="where grounding-SET.json goes (KB_EVAL_DIR, default eval/results)")
    s.set_defaults(func=cmd_grounding)

    s = sub.add_parser(
        "eval-followup", parents=[common], help="score follow-up questions against their standalone form"
    )
    s.add_argument("set", help="seed, postgresql (held out), seed-dev, postgresql-dev, or a YAML file")
    s.add_argument("--llm", choices=list(LLMBackend), help="rewrite and answer with an LLM mode")
    s.add_argument("--out", help="where followup-SET.json goes (KB_EVAL_DIR, default eval/results)")
    s.set_defaults(func=cmd_eval_followup)

    s = sub.add_parser(
        "eval-drafts", parents=[common], help="draft golden-set entries from thumbs-down answers in the chat"
    )
    s.add_argument("--out", help="write the YAML here (default: print it)")
    s.set_defaults(func=cmd_eval_drafts)

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
