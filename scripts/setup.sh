#!/usr/bin/env bash
# Set up procurewatch in ./.venv (Python >= 3.11). Extras: dev (tests, linters), spark.
# Usage: scripts/setup.sh [extras]     e.g. scripts/setup.sh dev,spark
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
