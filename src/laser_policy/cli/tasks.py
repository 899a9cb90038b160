"""``laser-policy tasks``: progress reports by unit (督办), flags, major projects."""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from laser_policy.cli.models import model_option, primary
from laser_policy.cli.store import DB_HELP

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel

USER_HELP = "记入审计日志的报送人（默认当前系统用户） / who submits, for the audit log"
AS_OF_HELP = "按该日评估（默认今天，北京时间） / evaluate as of this day (default: today in China)"


def _today() -> dt.date:
    from laser_policy.tasks.schedule import local_day

    return local_day(dt.datetime.now(dt.UTC))


def _user(user: str | None) -> str:
    import getpass

    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _json(rows: list[dict[str, Any]]) -> str:
    return json.dumps([{k: _clean(v) for k, v in r.items()} for r in rows], ensure_ascii=False,
                      indent=2, default=str)


def _table(rows: list[dict[str, Any]], columns: dict[str, str]) -> str:
    """A plain left-aligned table; CJK characters count two columns wide."""
    if not rows:
        return "（无记录 / no rows）"
    cells = [list(columns.values())]
    cells += [[_cell(r.get(k)) for k in columns] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join(
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in cells)


def _cell(v: Any) -> str:
    v = _clean(v)
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.4g}"
    return str(v)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@click.group()
def tasks() -> None:
    """措施任务督办：进展报送、亮灯、重大项目。Measures by unit: reports, flags, projects."""


@tasks.command()
@click.option("--measure", required=True, help="措施序号，如 十八 / measure, e.g. 十八 or 18")
@click.option("--unit", required=True, help="报送单位，如 省经信厅 / reporting unit")
@click.option("--period", required=True, help="报告期：2025Q3、2025H1 或 2025 / period")
@click.option("--status", required=True,
              help="进展状态：未开始/推进中/已完成/受阻 或 not_started/in_progress/done/blocked")
@click.option("--narrative", default="", help="进展情况 / what was done (Chinese text)")
@click.option("--figure", "figures", multiple=True, metavar="NAME=VALUE",
              help="主要数据，可重复 / a named number, repeatable")
@click.option("--attachment", "attachments", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="附件（记录文件名和SHA-256），可重复 / attachment file, repeatable")
@click.option("--user", metavar="NAME", help=USER_HELP)
@click.option("--db", "db", metavar="URL", help=DB_HELP)
@model_option
def submit(measure: str, unit: str, period: str, status: str, narrative: str,
           figures: tuple[str, ...], attachments: tuple[Path, ...], user: str | None,
           db: str | None,
    models: tuple[PolicyModel, ...]) -> None:
    """报送一项措施一个报告期的进展（再次报送即更新，并记入审计日志）。Submit a progress report."""
    from laser_policy.errors import UsageError
    from laser_policy.tasks.reports import Attachment, Submission
    from laser_policy.tasks.reports import submit as run_submit

    named: dict[str, str] = {}
    for item in figures:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--figure 应写作 名称=数值 / --figure must be NAME=VALUE: {item!r}")
        named[name.strip()] = value
    sub = Submission(measure, unit, period, status, narrative, named,
                     tuple(Attachment.of_file(a) for a in attachments))
    result = run_submit([sub], db, user=_user(user), model=primary(models))
    click.echo(result.summary_zh())


@tasks.command("list")
@click.option("--period", default=None, help="报告期 / period, e.g. 2025Q3")
@click.option("--unit", default=None, help="单位 / unit")
@click.option("--measure", default=None, help="措施序号 / measure")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--db", "db", metavar="URL", help=DB_HELP)
@model_option
def list_(period: str | None, unit: str | None, measure: str | None, fmt: str,
          db: str | None,
    models: tuple[PolicyModel, ...]) -> None:
    """列出已报送的进展报告。List progress reports."""
    from laser_policy.policy.numerals import to_numeral
    from laser_policy.tasks.models import STATUSES
    from laser_policy.tasks.reports import list_reports, parse_measure
    from laser_policy.tasks.schedule import CHINA_TZ

    model = primary(models)
    rows = list_reports(db, period=period, unit=model.unit(unit).name if unit else None,
                        measure=parse_measure(measure, model) if measure else None)
    for r in rows:
        r["numeral"] = to_numeral(int(r["measure"]))
        r["status_zh"] = STATUSES[r["status"]]
        r["submitted_local"] = r["submitted_at"].astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    if fmt == "json":
        click.echo(_json(rows))
        return
    click.echo(_table(rows, {"numeral": "措施", "unit": "单位", "period": "报告期",
                             "status_zh": "状态", "narrative": "进展情况",
                             "submitted_local": "报送时间", "revision": "版本"}))


@tasks.command()
@click.option("--period", default=None,
              help="报告期（默认评估日前最近结束的一期） / period (default: the last one ended)")
@click.option("--data", "data", type=click.Path(exists=True), default=None,
              help="数据包，用于核对“已完成”是否与数据相符 / data package to check 'done' against")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help=AS_OF_HELP)
@click.option("--summary", is_flag=True, help="按措施汇总 / one row per measure")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--db", "db", metavar="URL", help=DB_HELP)
@model_option
def flags(period: str | None, data: str | None, as_of: dt.datetime | None, summary: bool,
          fmt: str, db: str | None,
    models: tuple[PolicyModel, ...]) -> None:
    """红黄绿灯：缺报、迟报、与数据矛盾的“已完成”。Red/amber/green per measure and unit."""
    from laser_policy.io import read_package
    from laser_policy.tasks.flags import by_measure, compute_flags
    from laser_policy.tasks.reports import list_reports
    from laser_policy.tasks.schedule import Period, ScheduleSettings, latest_ended

    settings = ScheduleSettings.from_env()
    day = as_of.date() if as_of else _today()
    which = Period.parse(period) if period else latest_ended(day, settings.frequency)
    model = primary(models)
    pkg = read_package(data) if data else None
    result = compute_flags(model, list_reports(db, period=str(which)), which, day, pkg, settings)
    if summary:
        rows = by_measure(result)
        if fmt == "json":
            click.echo(_json(rows))
        else:
            click.echo(_table(rows, {"numeral": "措施", "title": "名称", "colour_zh": "灯",
                                     "red": "红", "amber": "黄", "green": "绿"}))
        return
    if fmt == "json":
        click.echo(_json([f.to_dict() for f in result]))
        return
    shown = [f.to_dict() for f in result]
    for row in shown:
        row["status_zh"] = row["status_zh"] or "未报送"
    click.echo(f"{which.label_zh}（{which}）进展亮灯，评估日 {day} / flags as of {day}")
    click.echo(_table(shown,
                      {"numeral": "措施", "unit": "单位", "role": "角色", "colour_zh": "灯",
                       "status_zh": "状态", "reason": "原因"}))


@tasks.command("items")
@click.option("--data", "data", type=click.Path(exists=True), default=None,
              help="数据包，用于按数据核对任务事项 / data package to check task items against")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help=AS_OF_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--db", "db", metavar="URL", help=DB_HELP)
@model_option
def items(data: str | None, as_of: dt.datetime | None, fmt: str, db: str | None,
    models: tuple[PolicyModel, ...]) -> None:
    """任务事项红黄绿灯：完成数、进度、截止日期、与数据核对。Red/amber/green per task item."""
    from laser_policy.io import read_package
    from laser_policy.tasks.items import compute_item_flags
    from laser_policy.tasks.reports import list_reports

    day = as_of.date() if as_of else _today()
    model = primary(models)
    pkg = read_package(data) if data else None
    result = [f.to_dict() for f in compute_item_flags(model, list_reports(db), day, pkg)]
    if fmt == "json":
        click.echo(_json(result))
        return
    for row in result:
        row["delivered"] = "—" if row["delivered"] is None else f"{row['delivered']:g}"
    click.echo(f"任务事项亮灯，评估日 {day} / task items as of {day}")
    click.echo(_table(result,
                      {"numeral": "措施", "task": "任务事项", "target": "目标",
                       "delivered": "已完成", "due_date": "截止", "colour_zh": "灯",
                       "reason": "原因"}))


@tasks.command("import")
@click.argument("form", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", metavar="NAME", help=USER_HELP)
@click.option("--db", "db", metavar="URL", help=DB_HELP)
@model_option
def import_(form: Path, user: str | None, db: str | None,
    models: tuple[PolicyModel, ...]) -> None:
    """导入单位填报的Excel进展报告表（全部成功或全部不写）。Import a filled Excel form."""
    from laser_policy.tasks.excel_form import import_form

    result = import_form(form, db, user=_user(user), model=primary(models))
    click.echo(result.summary_zh())


@tasks.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--unit", required=True, help="单位，如 省科技厅 / unit")
@click.option("--period", required=True, help="报告期，如 2025Q3 / period")
@model_option
def form(out: Path, unit: str, period: str,
    models: tuple[PolicyModel, ...]) -> None:
    """生成某单位某期的空白进展报告表（预填其牵头/参与的措施）。Write a blank form for a unit."""
    from laser_policy.tasks.excel_form import write_form

    n = write_form(out, unit, period, primary(models))
    click.echo(f"已生成 {out}：{n} 项措施 / wrote {out} with {n} measures")


@tasks.command()
@click.argument("data", type=click.Path(exists=True))
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help=AS_OF_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@model_option
def projects(data: str, as_of: dt.datetime | None, fmt: str,
    models: tuple[PolicyModel, ...]) -> None:
    """重大项目：计划与完成投资、进度阶段、延期。Major projects: investment, stage, delays."""
    from laser_policy.io import read_package
    from laser_policy.tasks.projects import major_projects

    day = as_of.date() if as_of else _today()
    frame = major_projects(read_package(data), primary(models), day)
    if fmt == "csv":
        from laser_policy.io.cells import escape_frame

        click.echo(escape_frame(frame).to_csv(index=False), nl=False)
        return
    rows = frame.to_dict("records")
    if fmt == "json":
        click.echo(_json([{str(k): v for k, v in r.items()} for r in rows]))
        return
    click.echo(_table([{str(k): v for k, v in r.items()} for r in rows],
                      {"clauses": "条款", "name": "项目", "enterprise": "业主",
                       "investment_wan": "计划投资(万元)",
                       "completed_investment_wan": "已完成(万元)",
                       "stage": "阶段", "planned_completion": "计划投产", "status_zh": "状态",
                       "reason": "说明"}))
