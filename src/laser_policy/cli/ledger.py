"""``laser-policy incentives …`` ledger commands: run into the ledger, review, approve, pay.

Standalone click commands collected in :data:`LEDGER_COMMANDS`; the ``incentives``
group attaches them (``for c in LEDGER_COMMANDS: incentives.add_command(c)``).
Heavy imports happen inside the commands so ``--help`` stays fast. The database
is ``--db`` (a URL or SQLite path), else ``LASER_POLICY_DB``, else ``laser-policy.db``.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from laser_policy.cli.models import model_option, primary
from laser_policy.errors import UsageError
from laser_policy.policy.model import incentive_names

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel

TABLE_FORMATS = ("table", "json", "csv")
DB_HELP = "数据库URL或SQLite文件（默认 LASER_POLICY_DB）/ database URL or SQLite file"
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _db_option() -> Decorator:
    return click.option("--db", "db", default=None, help=DB_HELP)


def _format_option(choices: tuple[str, ...] = TABLE_FORMATS) -> Decorator:
    return click.option("--format", "fmt", type=click.Choice(choices), default="table",
                        show_default=True, help="输出格式 / output format")


def _default_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def operator(db: str | None, user: str) -> str:
    """Who acts on the ledger: ``--user`` normalised (NFKC + casefold, so ``Alice`` and
    ``ａｌｉｃｅ`` are one person); when the database has web accounts it must name an
    active one (``laser-policy users list``)."""
    from laser_policy.settings import database_url
    from laser_policy.web.accounts import ledger_operator

    return ledger_operator(database_url(db), user)


def _json_value(value: Any) -> Any:
    import pandas as pd

    if value is None or isinstance(value, str | bool | int | float | list | dict):
        return None if isinstance(value, float) and math.isnan(value) else value
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat()
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else str(value)


def echo_frame(frame: Any, fmt: str, *, empty_zh: str = "（无记录 / no rows）") -> None:
    """A DataFrame on stdout as an aligned table, JSON records or CSV."""
    if fmt == "json":
        records = [{str(k): _json_value(v) for k, v in r.items()}
                   for r in frame.to_dict("records")]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from laser_policy.io.cells import escape_frame

        sys.stdout.write(escape_frame(frame).to_csv(index=False, lineterminator="\n"))
    elif frame.empty:
        click.echo(empty_zh)
    else:
        click.echo(frame.to_string(index=False))


LIST_COLUMNS = ("id", "uscc", "name", "incentive", "role", "item", "year", "amount_wan",
                "province_wan", "city_wan", "payer_city", "status", "run_id")


@click.command("run")
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@_db_option()
@click.option("--year", type=int, default=None, help="只计该年度 / only this year")
@click.option("--user", default=None, help="操作人（默认当前系统用户）/ who runs it")
@click.option("--engine", type=click.Choice(("duckdb", "spark")), default="duckdb",
              show_default=True, help="计算引擎 / analytics engine")
@model_option
def run_command(data: Path, db: str | None, year: int | None, user: str | None,
                engine: str,
    models: tuple[PolicyModel, ...]) -> None:
    """计算数据包 DATA 的应享奖补并记入台账（已在台账中的不重复写入）。

    Computes DATA and records a frozen run; entitlements already in the ledger
    are skipped by the database's unique key.
    """
    from laser_policy.ledger.service import run_computation

    who = operator(db, user or _default_user())
    result = run_computation(data, db, user=who, year=year, engine=engine,
                             model=primary(models), incentives=incentive_names(models))
    click.echo(result.summary_zh())


@click.command("list")
@_db_option()
@click.option("--status", type=click.Choice(("computed", "reviewed", "approved", "paid",
                                             "rejected")), default=None)
@click.option("--incentive", default=None, help="奖补项目 / incentive id")
@click.option("--city", default=None, help="市州（如 武汉市）/ payer city")
@_format_option()
def list_command(db: str | None, status: str | None, incentive: str | None,
                 city: str | None, fmt: str) -> None:
    """列出台账中的应享奖补 / list the ledger."""
    from laser_policy.contracts.cities import normalise_city
    from laser_policy.ledger.budget import ledger_frame

    frame = ledger_frame(db)
    if status:
        frame = frame[frame["status"] == status]
    if incentive:
        frame = frame[frame["incentive"] == incentive]
    if city:
        frame = frame[frame["payer_city"] == (normalise_city(city) or city)]
    columns = list(frame.columns) if fmt == "json" else list(LIST_COLUMNS)
    echo_frame(frame[columns], fmt)


def _transition_command(action: str, help_zh: str) -> click.Command:
    from laser_policy.ledger.transitions import MOVES

    move = MOVES[action]

    @click.argument("ids", nargs=-1, type=int)
    @_db_option()
    @click.option("--user", required=True,
                  help="操作人；数据库有Web账号时须为其中一个有效账号 / who does it (an "
                       "active account when the database has accounts)")
    @click.option("--incentive", default=None, help="批量时只选该奖补项目 / bulk: this incentive")
    @click.option("--city", default=None, help="批量时只选该市州 / bulk: this payer city")
    def command(ids: tuple[int, ...], db: str | None, user: str, incentive: str | None,
                city: str | None, reason: str | None = None, **bulk: bool) -> None:
        from laser_policy.contracts.cities import normalise_city
        from laser_policy.ledger.transitions import select_ids, transition

        who = operator(db, user)
        chosen = set(ids)
        for source in move.sources:
            if bulk.get(f"all_{source}"):
                chosen.update(select_ids(db, status=source, incentive=incentive,
                                         city=normalise_city(city) if city else None))
        if not ids and not any(bulk.values()):
            flags = " / ".join(f"--all-{s}" for s in move.sources)
            raise UsageError(f"请给出台账编号或 {flags} / give ids or {flags}")
        done = transition(db, sorted(chosen), action, who, reason)
        click.echo(f"已{move.zh} {len(done)} 条 / {action}: {len(done)} entitlement(s)"
                   + (f"（#{', #'.join(map(str, done))}）" if len(done) <= 20 else ""))

    for source in reversed(move.sources):
        command = click.option(f"--all-{source}", f"all_{source}", is_flag=True,
                               help=f"选中所有「{source}」状态的 / select every {source} one")(
            command)
    if action == "reject":
        command = click.option("--reason", required=True, help="驳回理由 / why")(command)
    return click.command(action, help=help_zh)(command)


review_command = _transition_command(
    "review", "审核应享奖补（computed → reviewed）/ review entitlements.")
approve_command = _transition_command(
    "approve", "批准应享奖补（reviewed → approved；批准人不得为审核人）/ approve.")
pay_command = _transition_command(
    "pay", "标记已支付（approved → paid；数据库拒绝重复支付）/ mark paid.")
reject_command = _transition_command(
    "reject", "驳回应享奖补（须填写理由）/ reject with a reason.")


@click.command("export-approved")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_db_option()
def export_approved_command(out: Path, db: str | None) -> None:
    """导出已批准待支付清单（Excel，每个出资方一张表，含合计行）/ approved list for finance."""
    from laser_policy.ledger.excel import export_approved

    if out.suffix.lower() != ".xlsx":
        raise UsageError("输出文件应为 .xlsx / OUT must end in .xlsx")
    sheets = export_approved(db, out)
    click.echo(f"已写出 / wrote {out}")
    for payer, (rows, total) in sheets.items():
        click.echo(f"  {payer}: {rows} 条 rows，合计 total {total:.2f} 万元")


@click.command("budget")
@_db_option()
@click.option("--data", type=click.Path(exists=True, path_type=Path), default=None,
              help="数据包（给出则按营收增长预测下一年）/ package for the forecast")
@_format_option()
@model_option
def budget_command(db: str | None, data: Path | None, fmt: str,
    models: tuple[PolicyModel, ...]) -> None:
    """按出资方（省级、各市州）和年度的奖补预算：已承诺、已支付、待审、预测。"""
    from laser_policy.ledger.budget import budget
    from laser_policy.ledger.service import read_tables

    tables = read_tables(data, incentive_names(models))[0] if data is not None else None
    table, fc = budget(db, tables, primary(models))
    echo_frame(table, fmt)
    if fc is not None and fmt == "table":
        note = "" if fc.in_window else "（不在政策期内，不产生奖励 / outside the policy window）"
        click.echo(f"\n预测 {fc.year} 年可能跨档企业 / firms forecast to cross a tier{note}:")
        echo_frame(fc.firms[["uscc", "name", "item", "revenue_wan", "growth", "projected_wan",
                             "amount_wan", "payer_city"]], fmt)


@click.command("what-if")
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@click.option("--set", "assignments", multiple=True, required=True, metavar="NAME=VALUE",
              help="改变政策参数，如 revenue_milestone.province_share=0.6 / a parameter")
@click.option("--year", type=int, default=None, help="只计该年度 / only this year")
@_format_option(("table", "json"))
@model_option
def what_if_command(data: Path, assignments: tuple[str, ...], year: int | None,
                    fmt: str,
    models: tuple[PolicyModel, ...]) -> None:
    """政策参数假设分析：预算变化（按出资方）和受影响企业；不写台账。"""
    from laser_policy.ledger.service import read_tables
    from laser_policy.ledger.whatif import parse_assignments, what_if

    overrides = parse_assignments(assignments)
    tables = read_tables(data, incentive_names(models))[0]
    result = what_if(tables, overrides, model=primary(models), year=year)
    if fmt == "json":
        doc = {"overrides": overrides, "total_change_wan": result.total_change_wan,
               "by_payer": [{k: _json_value(v) for k, v in r.items()}
                            for r in result.by_payer.to_dict("records")],
               "firms": [{k: _json_value(v) for k, v in r.items()}
                         for r in result.firms.to_dict("records")]}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    click.echo(f"假设 / scenario: {overrides}")
    echo_frame(result.by_payer, fmt)
    click.echo(f"\n合计变化 / total change: {result.total_change_wan:.2f} 万元")
    click.echo(f"受影响企业 / firms affected: {len(result.firms)}")
    echo_frame(result.firms, fmt)


@click.command("take-up")
@_db_option()
@_format_option()
def take_up_command(db: str | None, fmt: str) -> None:
    """应享未享：尚未支付的应享奖补及已等待天数 / entitled but not yet paid."""
    from laser_policy.ledger.takeup import take_up, take_up_summary

    table = take_up(db)
    if fmt == "table" and not table.empty:
        echo_frame(take_up_summary(table), fmt)
        click.echo("")
    echo_frame(table, fmt)


@click.command("replay")
@click.argument("run_id", type=int)
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@_db_option()
def replay_command(run_id: int, data: Path, db: str | None) -> None:
    """按记录的参数在同一数据包上重算某计算批次，核对金额是否一致 / replay a run."""
    from laser_policy.errors import LedgerError
    from laser_policy.ledger.replay import replay

    result = replay(run_id, data, db)
    click.echo(result.summary_zh())
    if not result.identical:
        raise LedgerError(f"计算批次 #{run_id} 重算结果不一致 / replay of run {run_id} differs")


#: the ledger commands, to attach to the ``incentives`` group
LEDGER_COMMANDS: list[click.Command] = [
    run_command, list_command, review_command, approve_command, pay_command, reject_command,
    export_approved_command, budget_command, what_if_command, take_up_command, replay_command,
]
