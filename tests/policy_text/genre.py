"""Where the genre corpus lives: ``$LASER_POLICY_GENRE_DIR`` or ``../shared/policy/genre``
beside the checkout (it is not copied into the project)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def genre_dir() -> Path | None:
    env = os.environ.get("LASER_POLICY_GENRE_DIR")
    candidates = [Path(env)] if env else []
    candidates += [p / "shared" / "policy" / "genre" for p in (ROOT.parent, ROOT.parent.parent)]
    return next((c for c in candidates if c.is_dir()), None)
