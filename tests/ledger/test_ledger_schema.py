"""Migration 0002 builds exactly the ledger models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from laser_policy.store.db import current_revision, head_revision, make_engine, upgrade
from laser_policy.store.schema import metadata


def test_migration_builds_the_ledger_models(db_url: str) -> None:
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, metadata()) == []
    finally:
        engine.dispose()
