"""`kb eval`, `kb eval-grounding` and `kb eval-followup`: the measuring commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.progress import Progress
from kb.settings import EXTRACTIVE, RetrieverName, Settings


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
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
        bar = Progress(f"eval {retriever}/{mode}", "questions")
        runs.append(run(index, cases, retriever, mode, progress=bar))
        bar.close()
    print(f"{len(cases)} questions from {golden}\n")
    print(report.table(runs))
    for line in filter(None, map(report.llm_summary, runs)):
        print(line)
    main_run = runs[-1] if args.llm else next(r for r in runs if r.config == settings.retriever)
    print(f"\nfailed ({main_run.config}):\n{report.failures(main_run)}")
    out = Path(args.out or settings.eval_dir)
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
    from kb.eval import grounding
    from kb.index.embedder import get_embedder
    from kb.qa.grounding import Checker

    items = grounding.load(args.set)
    result = grounding.confusion(Checker(get_embedder(settings)), items)
    print(f"grounding check on {len(items)} labelled sentences ({args.set})\n")
    print(grounding.table(result))
    out = _write_json(args.out or settings.eval_dir, f"grounding-{Path(args.set).stem}", result)
    print(f"\nwrote {out}")
    return 0


def cmd_eval_followup(args: argparse.Namespace, settings: Settings) -> int:
    from kb.eval import followup, report
    from kb.eval.golden import set_path
    from kb.index.reader import open_index

    conversations = followup.load(args.set)
    bar = Progress("eval-followup", "conversations")
    runs = followup.run(
        open_index(settings), conversations, settings.retriever, args.llm or EXTRACTIVE, progress=bar
    )
    bar.close()
    print(f"{len(conversations)} conversations from {set_path(args.set, followup.SETS)}; the last turn asked")
    print("  followup: after the conversation; standalone: its context spelled out; alone: without it\n")
    print(report.table(runs))
    gap = {m: runs[0].totals[m] - runs[1].totals[m] for m in ("hit@3", "fact_recall")}
    print(f"\nfollow-up vs standalone: hit@3 {gap['hit@3']:+.3f}, fact recall {gap['fact_recall']:+.3f}")
    for asked, target in zip(runs[0].cases, runs[1].cases):
        if asked.fact_recall < target.fact_recall:
            print(f"  {asked.id}: searched {asked.question!r}")
    data = [r.to_dict() for r in runs]
    out = _write_json(args.out or settings.eval_dir, f"followup-{Path(args.set).stem}", data)
    print(f"\nwrote {out}")
    return 0


def cmd_eval_drafts(args: argparse.Namespace, settings: Settings) -> int:
    """Thumbs-down answers from the chat as draft golden-set entries, for a person to complete."""
    from kb.eval.golden import drafts
    from kb.history import History
    from kb.layout import DataLayout

    answers = History(DataLayout.of(settings).conversations, settings.collection).thumbs_down()
    text = drafts(answers)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {len(answers)} draft entries to {args.out}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def _write_json(folder: str | Path, name: str, data) -> Path:
    """Results as FOLDER/NAME.json (the folder made if needed); the path written."""
    import json

    out = Path(folder) / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return out
