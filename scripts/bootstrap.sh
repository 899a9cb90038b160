#!/usr/bin/env bash
# Set up everything laser-policy needs on a fresh Debian machine with Python 3.11:
# system packages (apt-get, only those missing), a virtualenv in .venv, the locked
# Python dependencies and the package itself. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: PostgreSQL (storage tests), Java (Spark local mode),
# Chromium (browser tests), CJK fonts (charts and PDF report: Noto CJK for 宋/仿宋/黑体,
# AR PL UKai for 楷体), LibreOffice (docx -> pdf), poppler-utils (pdffonts/pdftoppm: report tests).
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)  # db backup/restore
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk fontconfig)
fc-list 2>/dev/null | grep -qi "AR PL UKai" || need+=(fonts-arphic-ukai)
command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ "${LASER_POLICY_SKIP_APT:-0}" != "1" ] && [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = "0" ] || SUDO="sudo"
  echo "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip uv
.venv/bin/python -m uv pip install -q --python .venv/bin/python -r requirements.lock
.venv/bin/python -m uv pip install -q --python .venv/bin/python --no-deps -e .
