"""Run a golden set through `kb.qa.ask` (the same path as `kb ask`) and score every answer."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from kb.eval.golden import Case
from kb.eval.metrics import fact_found, fact_recall, hit_at, mean, ndcg_at, percentile, reciprocal_rank
from kb.index.reader import Index
from kb.qa.ask import ask
from kb.settings import EXTRACTIVE
from kb.types import Chunk


@dataclass
class CaseResult:
    id: str
    question: str
    answerable: bool
    passed: bool
    reasons: list[str]
    found: bool
    answer: str
    retrieved: list[dict]  # doc_id, section, relevant, in rank order
    sources: list[str]  # expected source documents
    pages: list[int]  # expected pages, when the set names them
    cited: list[str]  # doc ids of the cited passages, by citation number
    cited_pages: list[int]  # their pages (0: not a paged document)
    right_page: bool  # a citation from an expected source is on an expected page
    fact_recall: float
    hit1: float
    hit3: float
    rr: float
    ndcg5: float
    seconds: float
    mode: str = EXTRACTIVE  # the mode that wrote the answer (LLM modes can fall back)
    timings: dict = field(default_factory=dict)


@dataclass
class RunResult:
    config: str
    totals: dict[str, float]
    cases: list[CaseResult] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"config": self.config, "totals": self.totals, "cases": [asdict(c) for c in self.cases]}


def relevant(case: Case, chunk: Chunk) -> bool:
    """A passage is relevant when it comes from an expected source (and section, if given)."""
    if chunk.doc_id not in case.sources:
        return False
    return case.section is None or case.section.lower() in chunk.section.lower()


def right_page(case: Case, answer) -> bool:
    """Does a citation from an expected source sit on one of the expected pages?"""
    return any(
        c.hit.chunk.doc_id in case.sources and c.hit.chunk.page in case.pages for c in answer.citations
    )


def answer_words(text: str) -> int:
    """Words of an answer, citation marks left out.

    >>> answer_words("WAL is faster [1]. Readers do not block writers [2].")
    8
    """
    return len(re.sub(r"\s*\[\d+\]", "", text).split())


def score_case(case: Case, answer, n_relevant: int) -> CaseResult:
    rel = [relevant(case, h.chunk) for h in answer.hits]
    cited = [c.hit.chunk.doc_id for c in answer.citations]
    reasons = []
    on_page = answer.found and right_page(case, answer)
    if case.answerable:
        if not answer.found:
            reasons.append("refused wrongly")
        else:
            missing = [f[0] for f in case.facts if not fact_found(f, answer.text)]
            reasons += [f"fact missing: {m!r}" for m in missing]
            if not any(d in case.sources for d in cited):
                reasons.append(f"wrong source: cited {sorted(set(cited))}")
            elif case.pages and not on_page:
                reasons.append(f"wrong page: cited p. {[c.hit.chunk.page for c in answer.citations]}")
    elif answer.found:
        reasons.append("answered an unanswerable question")
    return CaseResult(
        id=case.id,
        question=case.question,
        answerable=case.answerable,
        passed=not reasons,
        reasons=reasons,
        found=answer.found,
        answer=answer.text,
        retrieved=[
            {"doc_id": h.chunk.doc_id, "section": h.chunk.section, "relevant": r}
            for h, r in zip(answer.hits, rel)
        ],
        sources=list(case.sources),
        pages=list(case.pages),
        cited=cited,
        cited_pages=[c.hit.chunk.page for c in answer.citations],
        right_page=on_page,
        fact_recall=fact_recall(case.facts, answer.text) if answer.found else 0.0,
        hit1=hit_at(rel, 1),
        hit3=hit_at(rel, 3),
        rr=reciprocal_rank(rel),
        ndcg5=ndcg_at(rel, n_relevant, 5),
        seconds=answer.seconds,
        mode=answer.mode,
        timings=answer.timings,
    )


def totals(results: list[CaseResult]) -> dict[str, float]:
    ans = [r for r in results if r.answerable]
    unans = [r for r in results if not r.answerable]
    paged = [r for r in ans if r.pages]
    cites = [d for r in ans for d in r.cited]
    good_cites = sum(1 for r in ans for d in r.cited if d in r.sources)
    secs = [r.seconds * 1000 for r in results]
    return {
        "questions": len(results),
        "passed": sum(r.passed for r in results),
        "pass_rate": mean([float(r.passed) for r in results]),
        "hit@1": mean([r.hit1 for r in ans]),
        "hit@3": mean([r.hit3 for r in ans]),
        "mrr": mean([r.rr for r in ans]),
        "ndcg@5": mean([r.ndcg5 for r in ans]),
        "fact_recall": mean([r.fact_recall for r in ans]),
        "citation_precision": good_cites / len(cites) if cites else 0.0,
        # nan, shown as "–", when a set has no unanswerable questions (a score of 0 would mislead)
        "refusal_accuracy": mean([float(not r.found) for r in unans]) if unans else math.nan,
        "false_refusal_rate": mean([float(not r.found) for r in ans]),
        "answer_words_median": percentile([answer_words(r.answer) for r in ans if r.found], 50),
        # share of the questions naming pages answered from one of them; nan when none names pages
        "page_accuracy": mean([float(r.right_page) for r in paged]) if paged else math.nan,
        "latency_p50_ms": percentile(secs, 50),
        "latency_p95_ms": percentile(secs, 95),
    }


def run(
    index: Index,
    cases: list[Case],
    retriever: str,
    mode: str = EXTRACTIVE,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Ask every question with one retriever and answer mode, and score the answers."""
    chunks = index.store.all_chunks()
    results = []
    for i, case in enumerate(cases, 1):
        answer = ask(index, case.question, retriever=retriever, mode=mode)
        n_rel = sum(relevant(case, c) for c in chunks)
        results.append(score_case(case, answer, n_rel))
        if progress:
            progress(i, len(cases))
    name = retriever if mode == EXTRACTIVE else f"{retriever}+{mode}"
    return RunResult(name, totals(results), results)
