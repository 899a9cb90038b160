"""Named pause points for the kill tests of the store (test-only, off unless asked).

With ``LASER_POLICY_TEST_PAUSE_AT=<point>`` set, a process reaching ``<point>`` writes
the point's name to the file ``$LASER_POLICY_TEST_PAUSE_MARKER`` and sleeps, so a test
can ``SIGKILL`` it at exactly that moment. Unset (always, outside the tests), a pause
point does nothing. Points of an import: ``staged``, ``before-move-<year>``,
``after-move-<year>``, ``before-commit``, ``after-commit``, ``after-cleanup``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_ENV = "LASER_POLICY_TEST_PAUSE_AT"
MARKER_ENV = "LASER_POLICY_TEST_PAUSE_MARKER"
_SLEEP_S = 600.0


def pause_point(name: str) -> None:
    """Stop here (marker written, then asleep) when the test environment names this point."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    marker = os.environ.get(MARKER_ENV)
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    time.sleep(_SLEEP_S)
