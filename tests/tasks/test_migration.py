"""Revision 0003 builds exactly the ``progress_reports`` model, and can be undone."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from laser_policy.store.db import alembic_config, make_engine, upgrade
from laser_policy.store.models import Base
from laser_policy.tasks.models import PROGRESS_REPORTS


def _ours(diff: Any) -> bool:
    items = diff if isinstance(diff, list) else [diff]
    text = repr(items)
    return PROGRESS_REPORTS.name in text


def test_migration_matches_the_model_and_downgrades(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
            diffs = [d for d in compare_metadata(ctx, Base.metadata) if _ours(d)]
            assert diffs == []
            assert sa.inspect(conn).has_table(PROGRESS_REPORTS.name)
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0001")
        with engine.connect() as conn:
            assert not sa.inspect(conn).has_table(PROGRESS_REPORTS.name)
            assert sa.inspect(conn).has_table("audit_log")
    finally:
        engine.dispose()
