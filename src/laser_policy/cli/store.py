"""``laser-policy import`` and ``laser-policy export``: data packages in and out of the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from laser_policy.errors import InputError

DB_HELP = ("数据库URL或SQLite文件路径（默认 $LASER_POLICY_DB 或 ./laser-policy.db） / "
           "database URL or SQLite file")


@click.command("import")
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@click.option("--db", "db", metavar="URL", help=DB_HELP)
@click.option("--user", metavar="NAME",
              help="记入审计日志的操作人（默认当前系统用户） / who, for the audit log")
def import_(data: Path, db: str | None, user: str | None) -> None:
    """导入数据包（全部成功或全部不写）。Import a data package: all or nothing.

    先完整校验，再在一个事务中写入；按各表主键更新或新增，重复导入不产生变化；
    每一处变化记入审计日志（前后值、操作人、时间、源文件SHA-256）。
    """
    from laser_policy.cli.data import echo_warnings
    from laser_policy.io.package import column_warnings
    from laser_policy.io.progress import Progress
    from laser_policy.store.importer import import_package

    with database_errors():
        with Progress() as bars, bars.phase("校验并导入数据包", "validate and import"):
            summary = import_package(data, db, user).summary_zh()
        click.echo(summary)
    echo_warnings(column_warnings(data))


@click.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--db", "db", metavar="URL", help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None,
              help="csv（文件夹，默认）或 xlsx（每表一页）；OUT 以 .xlsx 结尾时默认 xlsx")
@click.option("--headers", type=click.Choice(["en", "zh"]), default=None,
              help="表头语言：csv 默认 en，xlsx 默认 zh / header language")
def export(out: Path, db: str | None, fmt: str | None, headers: str | None) -> None:
    """把数据库导出为数据包。Export the store as a data package."""
    from laser_policy.store.exporter import export_package

    with database_errors():
        result = export_package(out, db, fmt, headers)  # type: ignore[arg-type]
    click.echo(result.summary_zh())


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that cannot be reached or read is bad input: one line, exit 1."""
    import sqlalchemy as sa

    try:
        yield
    except (sa.exc.SQLAlchemyError, sa.exc.ArgumentError) as exc:
        detail = getattr(exc, "orig", None) or exc
        raise InputError(f"无法访问数据库 / cannot use the database: {detail}") from exc
