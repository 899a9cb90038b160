"""``laser-policy users``: the first admin on a fresh database, disable/enable/list/import,
and the ledger CLI's ``--user`` naming a real account."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import Workbook
from tests.web.conftest import PASSWORD

from laser_policy.contracts.uscc import make_uscc
from laser_policy.errors import InputError, LedgerError
from laser_policy.store.db import current_revision, head_revision
from laser_policy.web.accounts import Accounts, NewUser, make_engine
from laser_policy.web.auth import Role


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASER_POLICY_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    return subprocess.run(
        [sys.executable, "-m", "laser_policy", *args], input=stdin, capture_output=True,
        text=True, env=env, check=False, timeout=180,
    )


def test_the_first_admin_on_a_fresh_database(db_url: str) -> None:
    assert current_revision(db_url) is None
    done = _cli("users", "add", "Root", "--role", "admin", "--password-stdin", "--db", db_url,
                stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "root" in done.stdout
    assert current_revision(db_url) == head_revision()
    accounts = Accounts(make_engine(db_url))
    try:
        assert accounts.authenticate("root", PASSWORD) is not None
        entry = accounts.audit_log()[0]
        assert entry["action"] == "user.create"
        assert entry["username"].startswith("cli:")
    finally:
        accounts.engine.dispose()
    again = _cli("users", "add", "ROOT", "--role", "admin", "--password-stdin", "--db", db_url,
                 stdin=PASSWORD + "\n")
    assert again.returncode == 1
    assert "已存在" in again.stderr
    weak = _cli("users", "add", "wang", "--role", "taskforce", "--password-stdin", "--db",
                db_url, stdin="12345678\n")
    assert weak.returncode == 1
    assert "密码" in weak.stderr


def test_disable_enable_unlock_and_list(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert _cli("users", "add", "wuhan", "--role", "city", "--city", "武汉", "--password-stdin",
                "--db", url, stdin=PASSWORD + "\n").returncode == 0
    assert _cli("users", "disable", "WUHAN", "--db", url).returncode == 0
    table = _cli("users", "list", "--db", url)
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["用户名", "角色", "姓名"]
    assert lines[1].split()[:3] == ["username", "role", "display_name"]
    assert lines[2].split()[:4] == ["wuhan", "city", "wuhan", "武汉市"]
    listed = json.loads(_cli("users", "list", "--format", "json", "--db", url).stdout)
    assert listed[0]["active"] is False
    assert _cli("users", "enable", "wuhan", "--db", url).returncode == 0
    assert _cli("users", "unlock", "wuhan", "--db", url).returncode == 0
    listed = json.loads(_cli("users", "list", "--format", "json", "--db", url).stdout)
    assert listed[0]["active"] is True
    missing = _cli("users", "disable", "nobody", "--db", url)
    assert missing.returncode == 1
    assert "nobody" in missing.stderr


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEADER = ["用户名", "角色", "姓名", "市州", "统一社会信用代码", "单位", "密码"]


def test_import_reports_every_problem_with_row_and_column_and_writes_nothing(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    bad = _sheet(tmp_path / "账号.xlsx", [
        HEADER,
        ["li si", "taskforce", "", "", "", "", PASSWORD],
        ["wuhan", "市州", "", "长沙市", "", "", PASSWORD],
        ["firm", "enterprise", "", "", "123", "", "password"],
        ["ok", "taskforce", "", "", "", "", PASSWORD],
        ["OK", "taskforce", "", "", "", "", PASSWORD],
        ["x", "boss", "", "", "", "", PASSWORD],
    ])
    result = _cli("users", "import", str(bad), "--db", url)
    assert result.returncode == 1
    err = result.stderr
    assert "账号.xlsx 第2行 列「用户名」" in err
    assert "账号.xlsx 第3行 列「市州」" in err
    assert "账号.xlsx 第4行 列「统一社会信用代码」" in err
    assert "账号.xlsx 第4行 列「密码」" in err
    assert "账号.xlsx 第6行 列「用户名」" in err  # OK is ok
    assert "账号.xlsx 第7行 列「角色」" in err
    assert json.loads(_cli("users", "list", "--format", "json", "--db", url).stdout) == []


def test_import_creates_all_accounts_with_temporary_passwords(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    uscc = make_uscc("91420100MA000001")
    good = _sheet(tmp_path / "accounts.xlsx", [
        HEADER,
        ["zhuanban", "工作专班", "工作专班", None, None, None, PASSWORD],
        ["yichang", "city", "宜昌市", "宜昌", None, None, None],
        ["firm1", "企业", "某企业", None, uscc.lower(), None, None],
        ["jxt", "department", "", None, None, "省经信厅", PASSWORD],
    ])
    result = _cli("users", "import", str(good), "--db", url)
    assert result.returncode == 0, result.stderr
    assert "imported 4" in result.stdout
    temporary = dict(
        line.split("\t") for line in result.stdout.splitlines()[2:] if "\t" in line
    )
    assert set(temporary) == {"yichang", "firm1"}
    listed = {a["username"]: a for a in
              json.loads(_cli("users", "list", "--format", "json", "--db", url).stdout)}
    assert listed["firm1"]["uscc"] == uscc
    assert listed["yichang"]["city"] == "宜昌市"
    assert listed["yichang"]["must_change_password"] is True
    assert listed["zhuanban"]["must_change_password"] is False
    accounts = Accounts(make_engine(url))
    try:
        assert accounts.authenticate("yichang", temporary["yichang"]) is not None
    finally:
        accounts.engine.dispose()


def _ledger_group() -> Any:
    import click

    from laser_policy.cli.ledger import LEDGER_COMMANDS

    @click.group()
    def group() -> None:
        """Stand-in for ``laser-policy incentives``."""

    for command in LEDGER_COMMANDS:
        group.add_command(command)
    return group


def _ids(group: Any, url: str) -> list[int]:
    out = CliRunner().invoke(group, ["list", "--db", url, "--format", "json"])
    return [int(r["id"]) for r in json.loads(out.output)]


def test_the_ledger_cli_user_names_a_real_account(tmp_path: Path, package_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    accounts = Accounts(make_engine(url))
    accounts.ensure_schema()
    for name in ("Alice", "bob"):
        accounts.create_user(NewUser(name, PASSWORD, Role.TASKFORCE))
    accounts.set_active("bob", False)
    group = _ledger_group()
    runner = CliRunner()
    nobody = runner.invoke(group, ["run", str(package_dir), "--db", url, "--user", "mallory"])
    assert isinstance(nobody.exception, InputError)
    assert "mallory" in str(nobody.exception)
    assert runner.invoke(group, ["run", str(package_dir), "--db", url, "--user", "ALICE"]
                         ).exit_code == 0
    first = str(_ids(group, url)[0])
    assert runner.invoke(group, ["review", first, "--db", url, "--user", "alice"]).exit_code == 0
    same = runner.invoke(group, ["approve", first, "--db", url, "--user", "Ａｌｉｃｅ"])
    assert isinstance(same.exception, LedgerError)
    disabled = runner.invoke(group, ["approve", first, "--db", url, "--user", "bob"])
    assert isinstance(disabled.exception, InputError)
    accounts.engine.dispose()


def test_without_accounts_the_ledger_cli_user_is_still_one_identity(
    tmp_path: Path, package_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    group = _ledger_group()
    runner = CliRunner()
    assert runner.invoke(group, ["run", str(package_dir), "--db", url, "--user", "计算员"]
                         ).exit_code == 0
    first = str(_ids(group, url)[0])
    assert runner.invoke(group, ["review", first, "--db", url, "--user", "Alice"]).exit_code == 0
    same = runner.invoke(group, ["approve", first, "--db", url, "--user", "ａｌｉｃｅ"])
    assert isinstance(same.exception, LedgerError)
    spaced = runner.invoke(group, ["approve", first, "--db", url, "--user", "al ice"])
    assert isinstance(spaced.exception, InputError)
