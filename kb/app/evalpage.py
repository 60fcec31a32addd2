"""The Eval page: the latest `kb eval` results (chart, metrics, failing questions) and a way to run it."""

from __future__ import annotations

import json
import time

import streamlit as st

from kb.app.chat import collection_picker
from kb.app.render import escape_md
from kb.app.state import can_write, index_of
from kb.errors import KbError
from kb.progress import progress_text
from kb.settings import Settings


def eval_page(base: Settings) -> None:
    with st.sidebar:
        settings = collection_picker(base)
    st.title("Eval")
    latest = settings.eval_dir / "latest.json"
    if latest.is_file():
        show_results(json.loads(latest.read_text(encoding="utf-8")), settings)
    else:
        st.info(escape_md(f"No results yet in {settings.eval_dir}: run a set below, or `kb eval`."))
    st.subheader("Run a set")
    if can_write(settings):
        _run_form(settings)


def show_results(data: dict, settings: Settings) -> None:
    runs = data["runs"]
    st.caption(escape_md(f"{data['golden']} · {data['generated_at']}"))
    chart = settings.eval_dir / "latest.png"
    if chart.is_file():
        st.image(str(chart))
    from kb.eval.report import metric_rows

    configs = [r["config"] for r in runs]
    rows = metric_rows([r["totals"] for r in runs])
    if all("passed" in r["totals"] for r in runs):
        rows.append(["passed"] + [f"{r['totals']['passed']}/{r['totals']['questions']}" for r in runs])
    table = [dict(zip(["metric", *configs], row)) for row in rows]
    st.dataframe(table, hide_index=True, use_container_width=True)
    for run in runs:
        failed = [c for c in run["cases"] if not c["passed"]]
        with st.expander(escape_md(f"{run['config']}: {len(failed)} failing questions")):
            for c in failed:
                st.markdown(escape_md(f"{c['id']}: {c['question']}"))
                st.caption(escape_md("; ".join(c["reasons"])))


def _run_form(settings: Settings) -> None:
    from kb.eval.golden import shipped_sets

    name = st.selectbox("Set", shipped_sets(), help="the shipped sets; kb eval takes your own files")
    if not st.button("Run the eval"):
        return
    from kb.eval import report
    from kb.eval.golden import load_golden, set_path
    from kb.eval.runner import run

    try:
        cases = load_golden(name)
        bar, t0 = st.progress(0.0, text="Asking…"), time.perf_counter()

        def progress(i: int, n: int) -> None:
            bar.progress(i / n, text=progress_text(i, n, time.perf_counter() - t0, "Asking", "questions"))

        result = run(index_of(settings), cases, settings.retriever, progress=progress)
    except KbError as e:
        st.error(escape_md(str(e)))
        return
    report.write_json([result], set_path(name), settings.eval_dir)
    report.write_chart([result], settings.eval_dir)
    st.rerun()
