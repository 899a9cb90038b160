"""The Excel progress form units already use (进展报告表): write a blank one, import filled ones.

One row per measure, unit and period, under the Chinese headers of :data:`FORM_COLUMNS`
(措施序号 / 单位 / 报告期 / 进展状态 / 进展情况 / 主要数据); English names are accepted
too. 主要数据 holds named numbers, ``名称=数值`` separated by ``；``. Other columns (the
blank form adds 措施名称 for the reader) are ignored. The sheet 进展报告 is read, or the
first sheet when there is none of that name.

A row whose 进展状态, 进展情况 and 主要数据 are all empty is not a report (a blank form
lists every measure of the unit; those left unfilled are skipped). Import is all or
nothing: every problem of every row is reported at once, with its row
(as Excel numbers it; the header is row 1) and column, and nothing is written unless
there is none.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from laser_policy.errors import DataValidationError, InputError, Problem
from laser_policy.policy.model import PolicyModel
from laser_policy.tasks.models import STATUSES
from laser_policy.tasks.reports import (
    Attachment,
    Submission,
    SubmitResult,
    parse_figures,
    submit,
)
from laser_policy.tasks.schedule import Period, ScheduleSettings

#: (field, Chinese header) of the form, in order
FORM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("measure", "措施序号"),
    ("unit", "单位"),
    ("period", "报告期"),
    ("status", "进展状态"),
    ("narrative", "进展情况"),
    ("figures", "主要数据"),
)
#: written into blank forms to help the reader; ignored on import
TITLE_HEADER = "措施名称"
SHEET = "进展报告"
HELP_SHEET = "填写说明"
_WIDTHS = (10, 18, 10, 12, 60, 40, 30)
HELP_LINES: tuple[str, ...] = (
    "湖北省激光产业政策（鄂政办发〔2024〕35号）措施推进情况报告表 填写说明",
    "1. 每行填写一项措施在一个报告期的进展；请勿修改表头。",
    ("2. 措施序号：一 … 二十三（也可写 18 或（十八））。"
     "单位：只能报送本单位牵头或参与（责任）的措施。"),
    ("3. 报告期：2025Q3（季度）、2025H1（半年）或 2025（年度）；"
     "也可写 2025年第三季度、2025年上半年。"),
    f"4. 进展状态：{'、'.join(STATUSES.values())}。进展情况：文字说明（未开始的可不填）。",
    "5. 主要数据：名称=数值，多项用；分隔，如：兑现企业数=3；兑现金额（万元）=1200。",
    "6. 同一措施、单位、报告期再次报送时，以最新一次为准，修改记入审计日志。",
)


def write_form(out: str | Path, unit: str, period: str,
               model: PolicyModel) -> int:
    """Write a blank form for ``unit`` pre-filled with the measures it leads or shares.

    Returns the number of rows. The file appears only when complete.
    """
    name = model.unit(unit).name
    when = str(Period.parse(period))
    measures = model.measures_of(name)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    headers = [zh for _, zh in FORM_COLUMNS] + [TITLE_HEADER]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for m in measures:
        ws.append([m.numeral, name, when, None, None, None, m.title])
    for i, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[chr(ord("A") + i - 1)].width = width
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    status_col = chr(ord("A") + [f for f, _ in FORM_COLUMNS].index("status"))
    choices = DataValidation(type="list", formula1='"' + ",".join(STATUSES.values()) + '"',
                             allow_blank=True)
    choices.error = "请从列表中选择进展状态"
    ws.add_data_validation(choices)
    choices.add(f"{status_col}2:{status_col}{max(2, len(measures) + 1)}")
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(HELP_SHEET)
    for line in HELP_LINES:
        help_ws.append([line])
    for line in task_item_lines(model, name):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 100
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(measures)


def task_item_lines(model: PolicyModel, unit: str) -> list[str]:
    """Help lines naming the unit's task items and how to report them in 主要数据."""
    mine = [t for t in model.tasks if unit in t.units]
    if not mine:
        return []
    lines = [("7. 任务事项：在所属措施一行的主要数据中填写“任务编号=完成数”（里程碑填 1 或 0），"
             "本单位的任务事项如下：")]
    for t in mine:
        due = f"{t.due}{'（假设）' if t.due_assumed else ''}"
        lines.append(f"   （{t.clause}）{t.id}：{t.name_zh}；目标 {t.target_zh}；截止 {due}")
    return lines


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_form(path: str | Path) -> tuple[list[Submission], list[Problem]]:
    """The rows of a filled form as submissions, and the problems found reading it.

    Raises ``InputError`` for a file that is not a readable workbook and
    ``DataValidationError`` when required headers are missing.
    """
    src = Path(path)
    if not src.is_file():
        raise InputError(f"文件不存在 / file not found: {src}")
    try:
        wb = load_workbook(src, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise InputError(f"无法读取Excel文件 / not a readable .xlsx workbook: {src} ({exc})"
                         ) from exc
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    file = src.name
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else ())]
    where: dict[str, int] = {}
    for fld, zh in FORM_COLUMNS:
        for i, h in enumerate(header):
            if h in (zh, fld):
                where[fld] = i
    missing = [zh for fld, zh in FORM_COLUMNS if fld not in where and fld != "figures"]
    if missing:
        expected = "、".join(z for _, z in FORM_COLUMNS)
        raise DataValidationError([Problem(
            file, "missing_column", f"缺少表头“{zh}”（第1行应为：{expected}）",
            f"missing column {zh!r}", 1, zh) for zh in missing])
    labels = dict(FORM_COLUMNS)
    subs: list[Submission] = []
    problems: list[Problem] = []
    for n, row in enumerate(rows[1:], start=2):
        cells = {fld: (row[i] if i < len(row) else None) for fld, i in where.items()}
        if all(_blank(cells.get(f)) for f in ("status", "narrative", "figures")):
            continue  # blank, or a pre-filled measure the unit did not report on
        figures: dict[str, float] = {}
        raw = cells.get("figures")
        if not _blank(raw):
            try:
                figures = parse_figures(str(raw))
            except InputError as exc:
                problems.append(Problem(file, "figures", f"主要数据有误：{exc}", "bad figures",
                                        n, labels["figures"], raw))
        subs.append(Submission(
            measure=cells["measure"], unit=cells["unit"], period=_period_text(cells["period"]),
            status=cells["status"], narrative=cells.get("narrative"), figures=figures,
            file=file, row=n, columns=labels))
    if not subs and not problems:
        problems.append(Problem(file, "empty", "表中没有任何报告行", "the form has no rows", None,
                                None))
    return subs, problems


def _period_text(v: Any) -> Any:
    # a period typed as 2025 comes back from Excel as a number
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v


def import_form(path: str | Path, url: str | None = None, *, user: str,
                model: PolicyModel, settings: ScheduleSettings | None = None,
                now: dt.datetime | None = None) -> SubmitResult:
    """Import a filled form: every problem reported at once, all rows written or none."""
    subs, problems = read_form(path)
    src = Path(path)
    return submit(subs, url, user=user, model=model, settings=settings, now=now,
                  source=(str(src.resolve()), Attachment.of_file(src).sha256), prior=problems)
