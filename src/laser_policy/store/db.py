"""Engines and migrations.

``make_engine(url)`` builds an engine for SQLite or PostgreSQL; on SQLite it turns
on foreign keys and makes ``BEGIN`` explicit, so that DDL and DML of one import
share one real transaction (the recipe of the SQLAlchemy SQLite dialect docs);
``write=True`` takes SQLite's write lock at once (``BEGIN IMMEDIATE``).
``upgrade(url_or_connection)`` runs the Alembic migrations shipped in
``store/migrations`` to head; no ``alembic.ini`` is needed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event

from laser_policy.settings import database_url

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str | None = None, *, write: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url`` (resolved by ``settings.database_url``)."""
    engine = create_engine(database_url(url), **kwargs)
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine, "BEGIN IMMEDIATE" if write else "BEGIN")
    return engine


def _sqlite_transactions(engine: Engine, begin: str) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: bulk upserts touch many pages
        cursor.execute("PRAGMA temp_store=MEMORY")  # staging tables
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(target: str | Connection | None = None, revision: str = "heads") -> None:
    """Migrate the database to ``revision`` (every head by default); inside the caller's
    transaction if given one. Revisions of several features may branch from one parent."""
    if isinstance(target, Connection):
        if revision not in ("head", "heads") or current_revision(target) != head_revision():
            command.upgrade(alembic_config(target), revision)
        return
    engine = make_engine(target, write=True)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
    finally:
        engine.dispose()


def _joined(revisions: Sequence[str]) -> str | None:
    return "+".join(sorted(revisions)) or None


@functools.cache
def head_revision() -> str | None:
    """The latest revision (several heads joined by ``+``, sorted)."""
    return _joined(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revision(target: str | Connection | None = None) -> str | None:
    """The revision the database is at, like ``head_revision`` (``None`` when empty)."""
    if isinstance(target, Connection):
        return _joined(MigrationContext.configure(target).get_current_heads())
    engine = make_engine(target)
    try:
        with engine.connect() as conn:
            return _joined(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
