"""Typed settings with documented defaults.

The database URL is resolved from an explicit argument, then the environment
variable ``LASER_POLICY_DB`` (a URL or a path to a SQLite file), then the
embedded default ``laser-policy.db`` in the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SQLITE_FILE = "laser-policy.db"
DB_ENV = "LASER_POLICY_DB"


def database_url(explicit: str | None = None) -> str:
    """Return the SQLAlchemy URL to use; a bare path means a SQLite file."""
    value = explicit or os.environ.get(DB_ENV) or DEFAULT_SQLITE_FILE
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).resolve()}"
