#!/usr/bin/env bash
# Create .venv and install kb into it.
# Usage: bash setup.sh [extra ...]    extras: test (pytest, ruff, selenium), llm (local LLM answers)
#   bash setup.sh              the core: kb CLI, chat, eval
#   bash setup.sh test llm     everything the test suite uses (the llm extra builds llama.cpp: ~9 min)
set -euo pipefail
cd "$(dirname "$0")"
extras=("$@")
python3 -m venv .venv
pip=(.venv/bin/pip install -q --disable-pip-version-check)
# CPU torch first: an unpinned torch, pulled in by sentence-transformers, is a multi-GB CUDA build.
"${pip[@]}" "torch==2.13.0"
if [[ " ${extras[*]-} " == *" llm "* ]] && ! .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
  echo "building llama-cpp-python from source (about 9 minutes on 2 cores)..."
  # -march=native crashes at the first token on some CPUs (AMX); pin a portable AVX2 build.
  # --no-cache-dir: never reuse a cached wheel built with other flags.
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
    "${pip[@]}" --no-cache-dir "llama-cpp-python[server]==0.3.36"
fi
if [ ${#extras[@]} -gt 0 ]; then
  joined=$(IFS=,; echo "${extras[*]}")
  "${pip[@]}" -e ".[${joined}]"
else
  "${pip[@]}" -e .
fi
echo "kb installed in .venv (extras: ${extras[*]:-none}); try: .venv/bin/kb --help"
