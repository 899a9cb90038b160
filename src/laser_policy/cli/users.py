"""``laser-policy users``: accounts of the web app, from the command line.

``users add`` on a fresh database migrates it first, so the first admin is made with
``laser-policy users add NAME --role admin --password-stdin --db URL``. Every change is
written to the web audit log as ``cli:<system user>``. User names are identities
(NFKC + casefold: ``Alice`` and ``ａｌｉｃｅ`` are ``alice``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from laser_policy.cli.store import DB_HELP, database_errors
from laser_policy.errors import UsageError

if TYPE_CHECKING:
    from laser_policy.web.accounts import Accounts

ROLES = ("admin", "taskforce", "department", "city", "enterprise")
LIST_COLUMNS = ("username", "role", "display_name", "city", "uscc", "unit", "active",
                "locked", "must_change_password")
LIST_HEADERS_ZH = ("用户名", "角色", "姓名", "市州", "统一社会信用代码", "单位", "启用",
                   "锁定", "须改密码")


def cli_actor() -> str:
    """Who acts, for the audit log: ``cli:<system user>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _accounts(db: str | None, *, migrate: bool = True) -> Accounts:
    from laser_policy.settings import database_url
    from laser_policy.web.accounts import Accounts, make_engine

    accounts = Accounts(make_engine(database_url(db)))
    if migrate:
        with database_errors():
            accounts.ensure_schema()
    return accounts


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if password.endswith("\r"):
            password = password[:-1]
        if not password:
            raise UsageError("标准输入中没有密码 / no password on stdin")
        return password
    return str(click.prompt("密码 / password", hide_input=True, confirmation_prompt=True))


@click.group()
def users() -> None:
    """Web平台账号：新增、停用、启用、解锁、重置密码、列出、批量导入。Web app accounts."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="角色 / role")
@click.option("--city", default=None, help="市州账号的市州（如 武汉市）/ the city")
@click.option("--uscc", default=None, help="企业账号的统一社会信用代码 / the firm's code")
@click.option("--unit", default=None, help="部门账号的单位（如 省经信厅）/ the unit")
@click.option("--display-name", default="", help="显示名称 / display name")
@click.option("--password-stdin", is_flag=True,
              help="从标准输入读取密码（一行）/ read the password from stdin (one line)")
@click.option("--db", "db", metavar="URL", help=DB_HELP)
def add(name: str, role: str, city: str | None, uscc: str | None, unit: str | None,
        display_name: str, password_stdin: bool, db: str | None) -> None:
    """新增账号（数据库先升级到最新结构）。Add an account (migrates the database first)."""
    from laser_policy.web.accounts import NewUser
    from laser_policy.web.auth import Role

    password = _read_password(password_stdin)
    accounts = _accounts(db)
    created = accounts.create_user(
        NewUser(name, password, Role(role), display_name, city=city, uscc=uscc, unit=unit),
        cli_actor(),
    )
    scope = created.city or created.uscc or created.unit or ""
    click.echo(f"已新增账号 / account added: {created.username} ({created.role.value}"
               + (f", {scope}" if scope else "") + ")")


def _simple(action: str, help_text: str) -> click.Command:
    @click.argument("name")
    @click.option("--db", "db", metavar="URL", help=DB_HELP)
    def command(name: str, db: str | None) -> None:
        accounts = _accounts(db)
        actor = cli_actor()
        if action == "disable":
            accounts.set_active(name, False, actor)
            click.echo(f"已停用，登录会话已失效 / disabled, sessions ended: {name}")
        elif action == "enable":
            accounts.set_active(name, True, actor)
            click.echo(f"已启用 / enabled: {name}")
        elif action == "unlock":
            accounts.unlock(name, actor)
            click.echo(f"已解锁 / unlocked: {name}")
        else:
            temporary = accounts.reset_password(name, actor)
            click.echo(f"临时密码（仅显示一次，下次登录须修改）/ temporary password (shown "
                       f"once, must be changed at next login): {temporary}")

    return click.command(action, help=help_text)(command)


users.add_command(_simple("disable", "停用账号（立即结束其登录会话）/ disable an account."))
users.add_command(_simple("enable", "重新启用账号 / re-enable an account."))
users.add_command(_simple("unlock", "解除多次输错密码造成的锁定 / lift a lockout."))
users.add_command(_simple(
    "reset-password", "重置为临时密码，下次登录须修改 / reset to a temporary password."))


@users.command("list")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True, help="输出格式 / output format")
@click.option("--db", "db", metavar="URL", help=DB_HELP)
def list_(fmt: str, db: str | None) -> None:
    """列出账号（表格带表头）/ list the accounts (the table has a header row)."""
    rows = [a.as_dict() for a in _accounts(db).accounts()]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = [list(LIST_HEADERS_ZH), list(LIST_COLUMNS)]
    table += [[_cell(r[c]) for c in LIST_COLUMNS] for r in rows]
    widths = [max(_width(row[i]) for row in table) for i in range(len(LIST_COLUMNS))]
    for row in table:
        click.echo("  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip())
    if not rows:
        click.echo("（无账号 / no accounts）")


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


@users.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", "db", metavar="URL", help=DB_HELP)
def import_(file: Path, db: str | None) -> None:
    """从表格（.xlsx/.csv）批量导入账号：全部成功或全部不写。

    Import accounts from a sheet, all or nothing. Columns (Chinese or English headers):
    用户名 username, 角色 role, 姓名 display_name, 市州 city, 统一社会信用代码 uscc,
    单位 unit, 密码 password. An empty password gets a temporary one, printed once and
    changed at first login.
    """
    from laser_policy.web.account_sheet import import_sheet

    accounts = _accounts(db)
    created = import_sheet(accounts, file, cli_actor())
    click.echo(f"已导入 {len(created)} 个账号 / imported {len(created)} account(s)")
    generated = [(name, pw) for name, pw in created if pw]
    if generated:
        click.echo("用户名 username\t临时密码 temporary password（下次登录须修改 / change at "
                   "first login）")
        for name, pw in generated:
            click.echo(f"{name}\t{pw}")
