"""``laser-policy db``: the database schema (Alembic migrations shipped in the package)."""

from __future__ import annotations

from pathlib import Path

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


@db.command()
@click.option("--db", "url", metavar="URL", help=DB_HELP)
@click.argument("out", type=click.Path(path_type=Path))
def backup(url: str | None, out: Path) -> None:
    """备份数据库（及交易明细Parquet）到新目录 OUT。Back up the database into the new folder OUT."""
    from laser_policy.store.backup import backup as run_backup

    with database_errors():
        info = run_backup(url, out)
    click.echo(f"已备份 / backed up ({info.backend}, {info.revision}): {out}")


@db.command()
@click.option("--db", "url", metavar="URL", help=DB_HELP)
@click.option("--force", is_flag=True, help="覆盖已有数据 / replace the data already there")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore(url: str | None, folder: Path, force: bool) -> None:
    """从备份目录恢复数据库。Restore the database from a backup folder."""
    from laser_policy.store.backup import restore as run_restore

    with database_errors():
        info = run_restore(folder, url, force=force)
    click.echo(f"已恢复 / restored ({info.backend}, {info.revision}, {info.created}): "
               f"{_safe(database_url_of(url))}")


def database_url_of(url: str | None) -> str:
    from laser_policy.settings import database_url

    return database_url(url)
