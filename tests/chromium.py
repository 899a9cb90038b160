"""Debian's Chromium for the browser tests: where it is and how it is started.
The ``browser`` and ``shots`` fixtures (tests/conftest.py) use it."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("LASER_POLICY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
