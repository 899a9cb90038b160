"""``laser-policy db``: the database schema (Alembic migrations shipped in the package)."""

from __future__ import annotations

import click

from laser_policy.cli.store import DB_HELP, database_errors


@click.group()
def db() -> None:
    """数据库结构迁移。Database schema migrations."""


@db.command()
@click.option("--db", "url", metavar="URL", help=DB_HELP)
@click.option("--revision", default="heads", show_default=True, help="目标版本 / target revision")
def upgrade(url: str | None, revision: str) -> None:
    """把数据库结构升级到最新版本。Migrate the schema to the latest revision."""
    from laser_policy.settings import database_url
    from laser_policy.store.db import current_revision
    from laser_policy.store.db import upgrade as run_upgrade

    with database_errors():
        run_upgrade(url, revision)
    click.echo(f"数据库已升级至 / database at revision: {current_revision(url)} "
               f"({_safe(database_url(url))})")


@db.command()
@click.option("--db", "url", metavar="URL", help=DB_HELP)
def current(url: str | None) -> None:
    """显示数据库当前版本。Show the database's current revision."""
    from laser_policy.store.db import current_revision, head_revision

    with database_errors():
        rev, head = current_revision(url), head_revision()
    state = "最新 up to date" if rev == head else f"待升级 behind (head {head})"
    click.echo(f"{rev or '空库 empty'} — {state}")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
