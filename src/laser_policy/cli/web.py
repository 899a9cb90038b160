"""``laser-policy serve`` and ``laser-policy demo``: the web app."""

from __future__ import annotations

import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from laser_policy.errors import UsageError
from laser_policy.sample.enterprises import MIN_ENTERPRISES
from laser_policy.settings import database_url
from laser_policy.web.serving import GRACEFUL_S


def _run(app: Any, host: str, port: int) -> None:
    from laser_policy.web.serving import run

    run(app, host, port)


@click.command()
@click.option(
    "--db",
    "db",
    default=None,
    metavar="URL",
    help="数据库URL或SQLite文件路径（默认 LASER_POLICY_DB 或 ./laser-policy.db）/ "
    "database URL or SQLite path",
)
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="直接展示一个数据包（目录或.xlsx）/ serve a data package folder or .xlsx",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="工作进程数（uvicorn多进程，建议每个CPU核一个）/ worker processes "
                   "(uvicorn's supervisor; about one per CPU core)")
@click.option("--graceful-timeout", "graceful_s", default=GRACEFUL_S, show_default=True,
              type=click.IntRange(0), metavar="SECONDS",
              help="停止时等待进行中请求的秒数 / seconds to let requests in flight finish "
                   "on SIGTERM/SIGINT")
def serve(
    db: str | None, data: Path | None, host: str, port: int, workers: int, graceful_s: int
) -> None:
    """启动Web平台 / run the web app (settings from LASER_POLICY_* variables).

    会话密钥：LASER_POLICY_SECRET_KEY；开发模式未设置时首次启动生成并存入数据库，之后共用。
    第一个管理员：laser-policy users add NAME --role admin --password-stdin --db URL。
    Session key: LASER_POLICY_SECRET_KEY, or (development) one generated on first start and
    kept in the database. First admin: ``laser-policy users add NAME --role admin``.
    """
    from laser_policy.web import WebSettings, create_app
    from laser_policy.web.serving import run

    settings = WebSettings.from_env(database_url=database_url(db) if db else None, data_path=data)
    # built here even with workers: bad settings fail before any worker starts, and the
    # schema and the stored secret are created once, not raced by N workers
    app = create_app(settings)
    environ = {"LASER_POLICY_DB": settings.database_url}
    if data is not None:
        environ["LASER_POLICY_DATA"] = str(data.resolve())
    run(app, host, port, workers=workers, environ=environ, graceful_s=graceful_s)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    city: str | None = None
    uscc: str | None = None
    unit: str | None = None


DEMO_DEPARTMENT = "省经信厅"
DEMO_CITY = "武汉市"


def demo_accounts(enterprise_uscc: str, enterprise_name: str) -> list[DemoAccount]:
    """One account per role; the enterprise account is the given enterprise."""
    return [
        DemoAccount("admin", "admin", "系统管理员"),
        DemoAccount("taskforce", "taskforce", "激光产业工作专班"),
        DemoAccount("jxt", "department", DEMO_DEPARTMENT, unit=DEMO_DEPARTMENT),
        DemoAccount("wuhan", "city", DEMO_CITY, city=DEMO_CITY),
        DemoAccount("qiye", "enterprise", enterprise_name, uscc=enterprise_uscc),
    ]


#: written into ``--dir`` by ``demo``: what is there is the previous demo's synthetic output
DEMO_MARKER = ".laser-policy-demo"


def build_demo(
    folder: Path, enterprises: int, transactions: int, seed: int, *, force: bool = False
) -> tuple[Path, Path, list[tuple[DemoAccount, str]]]:
    """Sample data imported into a fresh SQLite database, with one demo account per role,
    and a mid-year state (``laser_policy.sample.demo_state``): progress reports and a
    ledger with rows in every state.

    An existing ``folder/data`` or demo database is replaced only with ``force`` or when
    a previous ``demo`` wrote them (its marker file ``DEMO_MARKER`` is in ``folder``: the
    synthetic data of the last run, so ``scripts/demo.sh`` can be run again); otherwise
    nothing is touched and ``UsageError`` says so.
    """
    from laser_policy.sample import write_sample
    from laser_policy.store.importer import import_package
    from laser_policy.web.accounts import Accounts, NewUser, make_engine
    from laser_policy.web.auth import Role
    from laser_policy.web.data import load_database

    data_dir = folder / "data"
    db_file = folder / "laser-policy-demo.db"
    existing = [p for p in (data_dir, db_file)
                if p.is_file() or (p.is_dir() and any(p.iterdir()))]
    marker = folder / DEMO_MARKER
    if existing and not force and not marker.is_file():
        names = "、".join(str(p) for p in existing)
        raise UsageError(f"演示目录中已有数据，未作任何修改：{names}（加 --force 覆盖，或用 --dir "
                         f"换一个目录） / the demo folder already holds data, nothing was "
                         f"changed: {names} (pass --force to replace it, or choose another --dir)")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in (
        db_file,
        db_file.with_name(db_file.name + "-wal"),
        db_file.with_name(db_file.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    shutil.rmtree(db_file.with_name(db_file.name + ".parquet"), ignore_errors=True)
    url = f"sqlite:///{db_file.resolve()}"
    write_sample(
        data_dir, enterprises=enterprises, transactions=transactions, seed=seed, overwrite=True
    )
    import_package(data_dir, url, user="demo")
    snapshot = load_database(url)
    wuhan = snapshot.enterprises[snapshot.enterprises["city"] == DEMO_CITY]
    pick = (wuhan if not wuhan.empty else snapshot.enterprises).iloc[0]
    accounts = Accounts(make_engine(url))
    accounts.ensure_schema()
    created = []
    for acc in demo_accounts(str(pick["uscc"]), str(pick["name"])):
        password = secrets.token_urlsafe(9)
        accounts.create_user(
            NewUser(
                acc.username,
                password,
                Role(acc.role),
                acc.display_name,
                city=acc.city,
                uscc=acc.uscc,
                unit=acc.unit,
            )
        )
        created.append((acc, password))
    _mid_year(url, snapshot, seed)
    marker.write_text("laser-policy demo: synthetic data and database written here; the next "
                      "`laser-policy demo` may replace them\n", encoding="utf-8")
    return data_dir, db_file, created


def _mid_year(url: str, snapshot: Any, seed: int) -> None:
    """Progress reports, and the ledger computed and worked through every state."""
    import sqlalchemy as sa

    from laser_policy.ledger.models import ENTITLEMENTS
    from laser_policy.policy.model import load_policy
    from laser_policy.sample.demo_state import REVIEWER, work_ledger, write_reports
    from laser_policy.store.db import make_engine
    from laser_policy.web.services.ledger import compute_into_ledger

    model = load_policy()  # the demo's policy: the packaged model (the edge's default)
    write_reports(url, seed, model=model)
    if snapshot.enterprises.empty:
        return
    compute_into_ledger(snapshot, url, REVIEWER, model)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ids = list(conn.execute(sa.select(ENTITLEMENTS.c.id)).scalars())
    finally:
        engine.dispose()
    work_ledger(url, ids, seed)


def _columns(cells: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """Cells padded to terminal columns (a Chinese character takes two)."""
    out = []
    for cell, width in zip(cells, widths, strict=True):
        shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in cell)
        out.append(cell + " " * max(1, width - shown + 1) if width else cell)
    return "".join(out)


@click.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("demo"),
    show_default=True,
    help="演示数据与数据库目录 / folder for the demo data and database",
)
@click.option("--enterprises", default=300, show_default=True,
              type=click.IntRange(MIN_ENTERPRISES, 100_000),
              help=f"示例企业数（{MIN_ENTERPRISES}–100000） / number of sample enterprises "
                   f"({MIN_ENTERPRISES} to 100000)")
@click.option("--transactions", default=20_000, show_default=True, type=click.IntRange(0))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="只准备数据和账号，不启动 / prepare only")
@click.option("--force", is_flag=True,
              help="覆盖目录中已有的演示数据和数据库 / replace the demo data and database "
                   "already in --dir")
def demo(
    *,
    folder: Path,
    enterprises: int,
    transactions: int,
    seed: int,
    host: str,
    port: int,
    no_serve: bool,
    force: bool,
) -> None:
    """演示：合成示例数据写入全新的内置数据库，打印演示账号并启动平台 /
    demo: synthetic sample data into a fresh embedded database, accounts printed, server up."""
    from laser_policy.web import WebSettings, create_app

    data_dir, db_file, created = build_demo(folder, enterprises, transactions, seed, force=force)
    click.echo("示例数据（合成）已生成 / synthetic sample data written: " + str(data_dir))
    click.echo("数据库 / database: " + str(db_file))
    click.echo("演示账号 / demo accounts:")
    widths = (12, 10, 14, 0)
    header = ("角色 role", "账号 user", "密码 password", "名称 name / 范围 scope")
    click.echo("  " + _columns(header, widths))
    for acc, password in created:
        scope = acc.city or acc.uscc or acc.unit or ""
        name = f"{acc.display_name} {scope}" if scope != acc.display_name else acc.display_name
        click.echo("  " + _columns((acc.role, acc.username, password, name), widths))
    click.echo(f"打开 / open: http://{host}:{port}/")
    if no_serve:
        return
    settings = WebSettings.development(
        database_url=f"sqlite:///{db_file.resolve()}", synthetic=True
    )
    _run(create_app(settings), host, port)
