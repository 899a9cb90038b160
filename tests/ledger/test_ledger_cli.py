"""The ledger commands end to end, attached to a group as the ``incentives`` group will."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from laser_policy.cli.ledger import LEDGER_COMMANDS
from laser_policy.errors import LedgerError, UsageError


@click.group()
def group() -> None:
    """Stand-in for ``laser-policy incentives``."""


for _command in LEDGER_COMMANDS:
    group.add_command(_command)


def _ok(*args: str) -> Result:
    result = CliRunner().invoke(group, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _listed(db: str, *extra: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(
        _ok("list", "--db", db, "--format", "json", *extra).output)
    return rows


def test_the_ledger_from_run_to_paid_on_the_command_line(
        db_url: str, sample_package: Path, tmp_path: Path) -> None:
    data = str(sample_package)
    assert "新入台账" in _ok("run", data, "--db", db_url, "--user", "计算员").output
    again = _ok("run", data, "--db", db_url, "--user", "计算员").output
    assert "新入台账 0 条" in again
    rows = _listed(db_url)
    assert rows
    assert {r["status"] for r in rows} == {"computed"}
    first = str(rows[0]["id"])
    _ok("review", "--all-computed", "--db", db_url, "--user", "张审核")
    assert {r["status"] for r in _listed(db_url)} == {"reviewed"}
    same = CliRunner().invoke(group, ["approve", first, "--db", db_url, "--user", "张审核"])
    assert isinstance(same.exception, LedgerError)
    _ok("approve", "--all-reviewed", "--incentive", "first_set", "--db", db_url,
        "--user", "李批准")
    approved = _listed(db_url, "--status", "approved")
    assert approved
    assert {r["incentive"] for r in approved} == {"first_set"}
    out = tmp_path / "finance.xlsx"
    assert "省级" in _ok("export-approved", str(out), "--db", db_url).output
    _ok("pay", str(approved[0]["id"]), "--db", db_url, "--user", "赵出纳")
    twice = CliRunner().invoke(group, ["pay", str(approved[0]["id"]), "--db", db_url,
                                       "--user", "钱出纳"])
    assert isinstance(twice.exception, LedgerError)
    no_reason = CliRunner().invoke(group, ["reject", first, "--db", db_url, "--user", "王"])
    assert no_reason.exit_code == 2  # click: --reason is required
    _ok("reject", str(approved[1]["id"]), "--reason", "资料不全", "--db", db_url, "--user", "王")
    budget = _ok("budget", "--db", db_url, "--format", "csv").output
    assert budget.splitlines()[0] == "payer,year,committed_wan,paid_wan,pending_wan,forecast_wan"
    waiting = json.loads(_ok("take-up", "--db", db_url, "--format", "json").output)
    assert {w["status"] for w in waiting} == {"reviewed", "approved"}
    assert "重算一致" in _ok("replay", "1", data, "--db", db_url).output


def test_bulk_and_ids_both_missing_is_a_usage_error(db_url: str) -> None:
    result = CliRunner().invoke(group, ["review", "--db", db_url, "--user", "张"])
    assert isinstance(result.exception, UsageError)


@pytest.mark.parametrize("item", ["no-equals", "=1"])
def test_what_if_needs_name_equals_value(sample_package: Path, item: str) -> None:
    result = CliRunner().invoke(group, ["what-if", str(sample_package), "--set", item])
    assert isinstance(result.exception, UsageError)


@pytest.mark.parametrize("args", [["list"], ["take-up"], ["budget"],
                                  ["review", "1", "--user", "张"], ["export-approved", "x.xlsx"]])
def test_an_empty_database_gets_a_clear_message(db_url: str, args: list[str]) -> None:
    from laser_policy.errors import NotFoundError

    result = CliRunner().invoke(group, [*args, "--db", db_url])
    assert isinstance(result.exception, NotFoundError)
    assert "incentives run" in str(result.exception)
