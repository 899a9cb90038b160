"""Alembic environment: run migrations on the connection handed over by ``store.db``.

``store.db.upgrade`` puts an open connection into ``config.attributes["connection"]``
(so an import can create or migrate the schema inside its own transaction); run
stand-alone, the URL comes from ``settings.database_url()``. The models are loaded
only to autogenerate a revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, MetaData

from laser_policy.store.db import make_engine
from laser_policy.store.schema import metadata


def _target_metadata() -> MetaData | None:
    """The models, for ``alembic revision --autogenerate`` only: an upgrade runs the
    revision files and needs none (building them imports the web app, seconds)."""
    opts = context.config.cmd_opts
    return metadata() if opts is not None and getattr(opts, "autogenerate", False) else None


target_metadata = _target_metadata()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


run_migrations_online()
