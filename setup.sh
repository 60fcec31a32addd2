#!/usr/bin/env bash
# Create .venv and install kb into it (CPU torch first, so nothing pulls a CUDA build).
# Usage: bash setup.sh [extra ...]   e.g. `bash setup.sh test`
set -euo pipefail
cd "$(dirname "$0")"
extras="${*:-test}"
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q "torch==2.13.0"
.venv/bin/pip install -q -e ".[${extras// /,}]"
echo "kb installed in .venv (extras: ${extras}); try: .venv/bin/kb --help"
