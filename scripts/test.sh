#!/usr/bin/env bash
# Run every check: ruff, mypy --strict, the test suite (Spark in local mode, Chromium via Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] && .venv/bin/python -c "import pytest, pyspark, pandas, playwright, schemathesis, atheris" 2>/dev/null || scripts/setup.sh dev,spark
PY=.venv/bin/python
$PY -m ruff check procurewatch tests eval bench
$PY -m mypy procurewatch
$PY -m pytest -q -p no:cacheprovider --durations=15 "$@"
