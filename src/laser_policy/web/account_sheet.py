"""A sheet of accounts (账号.xlsx or .csv) read, checked and imported all or nothing.

The first row is the header, Chinese or English (``用户名``/``username``, ``角色``/``role``,
``姓名``/``display_name``, ``市州``/``city``, ``统一社会信用代码``/``uscc``, ``单位``/``unit``,
``密码``/``password``); a role may be written as its id or its Chinese name. Every problem
of every row is reported at once (file, row as the spreadsheet counts it, column, rule);
nothing is written unless the whole sheet is right. An empty password gets a random
temporary one that must be changed at the first login.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from laser_policy.errors import DataValidationError, InputError, Problem
from laser_policy.web.accounts import Accounts, Actor, NewUser, temporary_password
from laser_policy.web.auth import Role

#: field -> accepted headers (the first is the Chinese one reported in messages)
COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("用户名", "username", "账号"),
    "role": ("角色", "role"),
    "display_name": ("姓名", "display_name", "名称", "显示名称"),
    "city": ("市州", "city"),
    "uscc": ("统一社会信用代码", "uscc", "信用代码"),
    "unit": ("单位", "unit", "部门"),
    "password": ("密码", "password"),
}
REQUIRED = ("username", "role")
ROLE_NAMES = {
    "系统管理员": Role.ADMIN,
    "管理员": Role.ADMIN,
    "工作专班": Role.TASKFORCE,
    "专班": Role.TASKFORCE,
    "省直部门": Role.DEPARTMENT,
    "部门": Role.DEPARTMENT,
    "市州": Role.CITY,
    "企业": Role.ENTERPRISE,
}
MAX_ROWS = 10_000


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path) -> list[list[str]]:
    """Every row of the first sheet (or the CSV) as text, header included."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [[c.strip() for c in row] for row in csv.reader(fh)]
    if suffix not in (".xlsx", ".xlsm"):
        raise InputError(f"{path.name}: 只支持 .xlsx 或 .csv / only .xlsx or .csv is read")
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise InputError(f"{path.name}: 不是有效的Excel文件 / not a readable .xlsx") from exc
    try:
        sheet = book.worksheets[0]
        return [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _problem(file: str, row: int | None, column: str | None, rule: str, message: str,
             value: Any = None) -> Problem:
    zh, _, en = message.partition(" / ")
    return Problem(file, rule, zh, en or zh, row=row, column=column, value=value)


def _header(file: str, header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    where: dict[str, int] = {}
    problems: list[Problem] = []
    lookup = {alias.casefold(): name for name, aliases in COLUMNS.items() for alias in aliases}
    for i, cell in enumerate(header):
        name = lookup.get(cell.strip().casefold())
        if name is None:
            if cell.strip():
                problems.append(_problem(file, 1, cell, "accounts.unknown_column",
                                         "未知的列 / unknown column"))
            continue
        if name in where:
            problems.append(_problem(file, 1, cell, "accounts.duplicate_column",
                                     "列重复 / duplicate column"))
        where[name] = i
    for name in REQUIRED:
        if name not in where:
            problems.append(_problem(file, 1, COLUMNS[name][0], "accounts.missing_column",
                                     "缺少必填列 / a required column is missing"))
    return where, problems


def check_sheet(accounts: Accounts, path: Path) -> list[NewUser]:
    """The sheet's accounts, normalised; raises ``DataValidationError`` with every problem."""
    file = path.name
    rows = read_rows(path)
    if not rows:
        raise DataValidationError([_problem(file, None, None, "accounts.empty",
                                            "表格为空 / the sheet is empty")])
    where, problems = _header(file, rows[0])
    if problems:
        raise DataValidationError(problems)
    if len(rows) - 1 > MAX_ROWS:
        raise DataValidationError([_problem(file, None, None, "accounts.too_many",
                                            f"最多{MAX_ROWS}行 / at most {MAX_ROWS} rows")])
    users: list[NewUser] = []
    taken: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        cell = {name: (row[i] if i < len(row) else "") for name, i in where.items()}
        role_text = cell.get("role", "")
        role = ROLE_NAMES.get(role_text, role_text.lower())
        password = cell.get("password", "")
        generated = not password
        new = NewUser(
            cell.get("username", ""),
            password or temporary_password(),
            role,  # type: ignore[arg-type]  # checked by check_new_user
            cell.get("display_name", ""),
            city=cell.get("city") or None,
            uscc=cell.get("uscc") or None,
            unit=cell.get("unit") or None,
            must_change_password=generated,
        )
        clean, found = accounts.check_new_user(new, taken)
        for name, message in found.items:
            column = COLUMNS.get(name, (name,))[0]
            shown = None if name == "password" else cell.get(name)
            problems.append(_problem(file, number, column, f"accounts.{name}", message, shown))
        if not found:
            users.append(clean)
            taken.append(clean.username)
    if problems:
        raise DataValidationError(problems)
    if not users:
        raise DataValidationError([_problem(file, None, None, "accounts.empty",
                                            "表格中没有账号 / no accounts in the sheet")])
    return users


def import_sheet(accounts: Accounts, path: Path, actor: Actor) -> list[tuple[str, str | None]]:
    """Check then create every account of the sheet in one transaction; returns each user
    name with its generated temporary password (None when the sheet gave one)."""
    users = check_sheet(accounts, path)
    accounts.create_many(users, actor)
    return [(u.username, u.password if u.must_change_password else None) for u in users]
