#!/usr/bin/env bash
# Set up and run the demo: the web app on the embedded SQLite database with
# synthetic sample data (or, until the web app exists, the CLI's help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
if laser-policy demo --help >/dev/null 2>&1; then
  exec laser-policy demo "$@"
fi
exec laser-policy --help
