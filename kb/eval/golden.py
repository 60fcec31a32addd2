"""Load and validate a golden set (YAML list, or JSONL with one object per line).

Every malformed entry is reported with its file, line and field, so a user's own golden set
fails with something they can fix. The fields are documented at the top of sets/golden.yaml;
the sets kb ships are in `sets/` and can be named without a path (`kb eval heldout`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.errors import EvalFileError

FIELDS = {"id", "question", "facts", "sources", "section", "pages", "answerable"}
SETS = Path(__file__).resolve().parent / "sets"


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    facts: tuple[tuple[str, ...], ...]  # each fact: accepted variants
    sources: tuple[str, ...]
    section: str | None
    answerable: bool
    line: int
    pages: tuple[int, ...] = ()  # pages (PDF) or slides where the answer is; any of them counts


def entries(path: Path) -> list[tuple[int, object]]:
    """(line number, raw entry) pairs."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        out = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    out.append((n, json.loads(line)))
                except json.JSONDecodeError as e:
                    raise EvalFileError(f"{path} line {n}: not valid JSON ({e.msg})") from e
        return out
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise EvalFileError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(data, list) or node is None:
        raise EvalFileError(f"{path}: expected a list of questions at the top level")
    return [(item.start_mark.line + 1, raw) for item, raw in zip(node.value, data)]


def field_error(path: Path, line: int, field: str, msg: str) -> EvalFileError:
    return EvalFileError(f"{path} line {line}: field '{field}': {msg}")


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def parse_case(path: Path, line: int, raw: object) -> Case:
    if not isinstance(raw, dict):
        raise EvalFileError(f"{path} line {line}: each entry must be a mapping with id and question")
    unknown = set(raw) - FIELDS
    if unknown:
        allowed = ", ".join(sorted(FIELDS))
        raise field_error(path, line, sorted(unknown)[0], f"unknown field (allowed: {allowed})")
    for name in ("id", "question"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise field_error(path, line, name, "required, a non-empty string")
    answerable = raw.get("answerable", True)
    if not isinstance(answerable, bool):
        raise field_error(path, line, "answerable", "must be true or false")
    facts = raw.get("facts", [])
    if not isinstance(facts, list) or not all(isinstance(f, str) or _strings(f) for f in facts):
        raise field_error(path, line, "facts", "must be a list of strings or of lists of variant strings")
    sources = raw.get("sources", [])
    if not _strings(sources):
        raise field_error(path, line, "sources", "must be a list of document ids")
    if answerable and not (facts and sources):
        raise field_error(
            path, line, "facts" if not facts else "sources", "an answerable question needs facts and sources"
        )
    section = raw.get("section")
    if section is not None and (not isinstance(section, str) or not section.strip()):
        raise field_error(path, line, "section", "must be a non-empty string")
    pages = raw.get("pages", [])
    if not isinstance(pages, list) or not all(isinstance(n, int) and n > 0 for n in pages):
        raise field_error(path, line, "pages", "must be a list of page numbers (1 is the first page)")
    return Case(
        pages=tuple(pages),
        id=raw["id"],
        question=raw["question"],
        facts=tuple((f,) if isinstance(f, str) else tuple(f) for f in facts),
        sources=tuple(sources),
        section=section,
        answerable=answerable,
        line=line,
    )


def set_path(name: str | Path, folder: Path = SETS) -> Path:
    """A set's file: a path, or the name of a set kb ships in `folder` ("golden", "heldout", ...)."""
    path = Path(name)
    shipped = folder / f"{name}.yaml"
    if not path.is_file() and path.suffix == "" and shipped.is_file():
        return shipped
    return path


def shipped_sets(folder: Path = SETS) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_golden(path: str | Path) -> list[Case]:
    """All cases of a golden-set file or shipped set; EvalFileError names the first bad line and field."""
    path = set_path(path)
    if not path.is_file():
        raise EvalFileError(
            f"golden set {path} does not exist (the shipped sets: {', '.join(shipped_sets())})"
        )
    cases = [parse_case(path, line, raw) for line, raw in entries(path)]
    if not cases:
        raise EvalFileError(f"{path}: no questions")
    seen: dict[str, int] = {}
    for c in cases:
        if c.id in seen:
            raise field_error(path, c.line, "id", f"duplicate id {c.id!r} (first on line {seen[c.id]})")
        seen[c.id] = c.line
    return cases


def drafts(answers: list) -> str:
    """Golden-set entries drafted from answers a user rated down: the question as searched, the
    cited documents as sources, the answer kb gave as a comment; facts left for a person.

    >>> from kb.types import Answer
    >>> print(drafts([Answer("And Go?", "Go is fast [1].", True, searched="Is Go fast?")]))
    # Drafted by `kb eval-drafts` from answers rated thumbs down in the chat. Fill in each entry's
    # facts (and check its sources; `answerable: false` if the corpus cannot answer it), then add
    # it to your golden set. Until then these entries do not load: facts are required.
    <BLANKLINE>
    - id: draft-1
      question: Is Go fast?
      facts: []  # TODO the facts a good answer holds
      sources: []
      # kb answered: Go is fast [1].
    <BLANKLINE>
    """
    out = [
        "# Drafted by `kb eval-drafts` from answers rated thumbs down in the chat. Fill in each entry's",
        "# facts (and check its sources; `answerable: false` if the corpus cannot answer it), then add",
        "# it to your golden set. Until then these entries do not load: facts are required.",
        "",
    ]
    for n, a in enumerate(answers, 1):
        sources = sorted({c.hit.chunk.doc_id for c in a.citations})
        out += [
            f"- id: draft-{n}",
            f"  question: {_scalar(a.searched or a.question)}",
            "  facts: []  # TODO the facts a good answer holds",
            f"  sources: [{', '.join(_scalar(s) for s in sources)}]",
            f"  # kb answered: {' '.join(a.text.split())}",
            "",
        ]
    return "\n".join(out)


def _scalar(text: str) -> str:
    """A YAML scalar for one line of text."""
    return yaml.safe_dump(text, default_flow_style=True, width=10**6).removesuffix("\n...\n").strip()
