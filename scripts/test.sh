#!/usr/bin/env bash
# Set up and run the full test suite: lint, types, tests (PostgreSQL, Chromium and
# Spark are real and started by the suite itself).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
ruff check src tests bench
mypy
python -m pytest -n 2 --dist loadgroup "$@"
