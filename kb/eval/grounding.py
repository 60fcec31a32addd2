"""Measure the grounding check on labelled sentences: how many faithful ones it keeps, how many
unfaithful ones it drops, by kind. The sets are in `sets/grounding/` (dev.yaml, heldout.yaml).

Each sentence goes through the check the way a model's answer does: with its `[n]` citations,
against the passages the model was given.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.errors import EvalFileError
from kb.qa.cite import with_citation
from kb.qa.grounding import Checker
from kb.types import Chunk, Hit

SETS = Path(__file__).resolve().parent / "sets" / "grounding"
FAITHFUL = ("paraphrase", "synthesis", "summary")
UNFAITHFUL = ("wrong_figure", "moved_figure", "invented", "contradiction", "outside", "wrong_cite")


@dataclass(frozen=True)
class Labelled:
    question: str
    passages: tuple[str, ...]
    text: str
    cites: tuple[int, ...]
    ok: bool
    kind: str


def load(name_or_path: str) -> list[Labelled]:
    """The labelled sentences of a set named in `sets/grounding/` or at a path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SETS / f"{name_or_path}.yaml"
    if not path.is_file():
        raise EvalFileError(
            f"{path}: no such grounding set (shipped: {', '.join(p.stem for p in SETS.glob('*.yaml'))})"
        )
    try:
        groups = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as e:
        raise EvalFileError(f"{path}: not valid YAML: {e}") from e
    out = []
    for g, group in enumerate(groups, 1):
        try:
            passages = tuple(" ".join(p.split()) for p in group["passages"])
            for s in group["sentences"]:
                item = Labelled(group["question"], passages, s["text"], tuple(s["cite"]), s["ok"], s["kind"])
                if item.kind not in (FAITHFUL if item.ok else UNFAITHFUL) or not all(
                    1 <= n <= len(passages) for n in item.cites
                ):
                    raise EvalFileError(f"{path}: entry {g}: bad kind or citation in {item.text!r}")
                out.append(item)
        except (KeyError, TypeError, AttributeError) as e:
            raise EvalFileError(f"{path}: entry {g}: missing or malformed field ({e})") from e
    return out


def as_answer(item: Labelled) -> str:
    """The sentence as a model writes it: its citations before the final full stop.

    >>> as_answer(Labelled("q", ("a", "b"), "It is 5 m.", (1, 2), True, "synthesis"))
    'It is 5 m [1][2].'
    """
    text = with_citation(item.text, item.cites[0])
    return text.rsplit(".", 1)[0] + "".join(f"[{n}]" for n in item.cites[1:]) + "."


def kept(checker: Checker, item: Labelled) -> bool:
    """Whether the check keeps this sentence."""
    hits = [Hit(Chunk(f"p{i}", f"p{i}", "", "", p, 0, len(p)), 1.0) for i, p in enumerate(item.passages)]
    sentences, _ = checker.grounded(as_answer(item), hits)
    return bool(sentences)


def confusion(checker: Checker, items: list[Labelled]) -> dict:
    """Counts: faithful kept/dropped, unfaithful kept/dropped, and per kind how many were kept."""
    by_kind: Counter = Counter()
    total: Counter = Counter()
    for item in items:
        k = kept(checker, item)
        total[(item.ok, k)] += 1
        by_kind[item.kind, k] += 1
    faithful = total[True, True] + total[True, False]
    unfaithful = total[False, True] + total[False, False]
    return {
        "faithful_kept": total[True, True],
        "faithful": faithful,
        "unfaithful_dropped": total[False, False],
        "unfaithful": unfaithful,
        "kept_rate": round(total[True, True] / max(faithful, 1), 3),
        "dropped_rate": round(total[False, False] / max(unfaithful, 1), 3),
        "kinds": {
            kind: {"kept": by_kind[kind, True], "of": by_kind[kind, True] + by_kind[kind, False]}
            for kind in FAITHFUL + UNFAITHFUL
        },
    }


def table(result: dict) -> str:
    """The confusion table as text."""
    f, u = result["faithful"], result["unfaithful"]
    lines = [
        f"{'':14}{'kept':>6}{'dropped':>9}",
        f"{'faithful':14}{result['faithful_kept']:>6}{f - result['faithful_kept']:>9}"
        f"   {result['kept_rate']:.0%} kept",
        f"{'unfaithful':14}{u - result['unfaithful_dropped']:>6}{result['unfaithful_dropped']:>9}"
        f"   {result['dropped_rate']:.0%} dropped",
        "",
        "by kind (kept / of):",
    ]
    lines += [f"  {k:14}{v['kept']:>3} / {v['of']}" for k, v in result["kinds"].items()]
    return "\n".join(lines)
