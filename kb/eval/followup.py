"""Follow-up conversations (sets/followup/): the last turn scored three ways.

- `followup`: the turns asked in order, each after the previous answer, as the chat and
  `kb chat` do;
- `standalone`: the set's standalone wording of the last turn, asked alone (the target);
- `alone`: the last turn asked alone, without its conversation (what kb did before).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EvalFileError
from kb.eval.golden import Case, entries, field_error, parse_case, set_path, shipped_sets
from kb.eval.runner import RunResult, relevant, score_case, totals
from kb.index.reader import Index
from kb.qa.ask import ask
from kb.settings import EXTRACTIVE

SETS = Path(__file__).resolve().parent / "sets" / "followup"
WAYS = ("followup", "standalone", "alone")


@dataclass(frozen=True)
class Conversation:
    case: Case  # the last turn: its question, expected facts and sources
    turns: tuple[str, ...]
    standalone: str


def load(name: str | Path) -> list[Conversation]:
    """The conversations of a set; EvalFileError names the first bad line and field."""
    path = set_path(name, SETS)
    if not path.is_file():
        shipped = ", ".join(shipped_sets(SETS))
        raise EvalFileError(f"conversation set {path} does not exist (the shipped sets: {shipped})")
    out = []
    for line, raw in entries(path):
        raw = dict(raw) if isinstance(raw, dict) else raw
        turns = raw.pop("turns", None) if isinstance(raw, dict) else None
        if not (isinstance(turns, list) and len(turns) > 1 and all(isinstance(t, str) for t in turns)):
            raise field_error(path, line, "turns", "required, a list of two or more questions")
        standalone = raw.pop("standalone", None)
        if not isinstance(standalone, str) or not standalone.strip():
            raise field_error(path, line, "standalone", "required: the last turn, its context spelled out")
        case = parse_case(path, line, {**raw, "question": turns[-1]})
        out.append(Conversation(case, tuple(turns), standalone))
    if not out:
        raise EvalFileError(f"{path}: no conversations")
    return out


def asked(index: Index, conversation: Conversation, way: str, retriever: str, mode: str):
    """The answer to the last turn, asked the given way."""
    if way == "standalone":
        return ask(index, conversation.standalone, retriever=retriever, mode=mode)
    if way == "alone":
        return ask(index, conversation.turns[-1], retriever=retriever, mode=mode)
    answer = None
    for turn in conversation.turns:
        answer = ask(index, turn, retriever=retriever, mode=mode, previous=answer)
    return answer


def run(
    index: Index,
    conversations: list[Conversation],
    retriever: str,
    mode: str = EXTRACTIVE,
    progress: Callable[[int, int], None] | None = None,
) -> list[RunResult]:
    """One scored run per way of asking, in WAYS order; each case's `question` is what was searched."""
    chunks = index.store.all_chunks()
    results: dict[str, list] = {way: [] for way in WAYS}
    for i, conv in enumerate(conversations, 1):
        n_rel = sum(relevant(conv.case, c) for c in chunks)
        for way in WAYS:
            answer = asked(index, conv, way, retriever, mode)
            scored = score_case(conv.case, answer, n_rel)
            scored.question = answer.searched
            results[way].append(scored)
        if progress:
            progress(i, len(conversations))
    return [RunResult(way, totals(rs), rs) for way, rs in results.items()]
