"""The Excel progress form: blank forms per unit, all-or-nothing import with every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from tasks_helpers import utc

from laser_policy.errors import DataValidationError
from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.tasks.excel_form import FORM_COLUMNS, SHEET, import_form, write_form
from laser_policy.tasks.reports import audit_trail, list_reports
from laser_policy.tasks.schedule import ScheduleSettings

HEADERS = [zh for _, zh in FORM_COLUMNS]
NOW = utc(2025, 10, 12)


def _form(path: Path, rows: list[list[Any]], headers: list[str] = HEADERS) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_blank_form_lists_the_measures_the_unit_leads_or_shares(
        tmp_path: Path, model: PolicyModel) -> None:
    out = tmp_path / "省科技厅.xlsx"
    n = write_form(out, "省科技厅", "2025年第三季度", model)
    expected = [m.numeral for m in model.measures
                if "省科技厅" in m.lead_units or "省科技厅" in m.responsible_units]
    ws = load_workbook(out)[SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0][:len(HEADERS)]) == HEADERS
    assert [r[0] for r in rows[1:]] == expected
    assert n == len(expected)
    assert {r[1] for r in rows[1:]} == {"省科技厅"}
    assert {r[2] for r in rows[1:]} == {"2025Q3"}


def test_a_filled_form_is_imported_and_a_second_import_updates_with_audit(
        tmp_path: Path, db_url: str, model: PolicyModel, settings: ScheduleSettings) -> None:
    out = tmp_path / "form.xlsx"
    write_form(out, "省科技厅", "2025Q3", model)
    wb = load_workbook(out)
    ws = wb[SHEET]
    ws["D2"], ws["E2"] = "推进中", "规上企业研发机构建设推进中"
    ws["F2"] = "新建研发机构=12；覆盖率=0.83"
    ws["D3"], ws["E3"] = "已完成", "“尖刀”技术攻关项目已立项"
    wb.save(out)
    result = import_form(out, db_url, user="科技厅填报员", model=load_policy(),
            settings=settings, now=NOW)
    assert (result.inserted, result.updated) == (2, 0)
    rows = {r["measure"]: r for r in list_reports(db_url)}
    assert set(rows) == {1, 2}  # the unfilled rows are not reports
    assert rows[1]["figures"] == {"新建研发机构": 12, "覆盖率": 0.83}
    assert rows[2]["status"] == "done"

    ws["D2"] = "已完成"
    wb.save(out)
    again = import_form(out, db_url, user="科技厅填报员", model=load_policy(), settings=settings,
                        now=utc(2025, 10, 14))
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 1)
    trail = audit_trail(db_url)
    assert [a["action"] for a in trail] == ["insert", "insert", "update"]
    assert trail[-1]["batch_id"] == again.batch_id != result.batch_id
    assert len(trail[-1]["source_sha256"]) == 64


def test_every_problem_of_a_form_is_reported_and_nothing_is_written(
        tmp_path: Path, db_url: str, model: PolicyModel, settings: ScheduleSettings) -> None:
    outsider = next(u.name for u in model.units if u.name not in model.measure(18).units)
    form = _form(tmp_path / "bad.xlsx", [
        ["一", "省科技厅", "2025Q3", "推进中", "正常的一行", "新建研发机构=3"],      # row 2: fine
        ["二", "省科技厅", "2025Q3", "差不多", "状态写错", None],                 # row 3
        ["十八", outsider, "2025Q3", "已完成", "报了不归自己的措施", None],          # row 4
        ["七", "省科技厅", "2025Q3", "推进中", "数据写错", "项目数 三个"],           # row 5
        ["五", "省科技厅", "2025年第五季度", "推进中", "报告期写错", None],          # row 6
        ["一", "省科技厅", "2025Q3", "推进中", "与第2行重复", None],                # row 7
        ["九十九", "省科技厅", "2025Q3", "推进中", "措施不存在", None],              # row 8
        ["二", "省科技厅", "2025Q3", "已完成", None, None],                       # row 9
    ])
    with pytest.raises(DataValidationError) as exc:
        import_form(form, db_url, user="tester", model=load_policy(), settings=settings, now=NOW)
    found = [(p.row, p.column, p.rule) for p in exc.value.problems]
    assert found == [
        (3, "进展状态", "status"),
        (4, "单位", "unit_not_responsible"),
        (5, "主要数据", "figures"),
        (6, "报告期", "period_format"),
        (7, "措施序号", "duplicate"),
        (8, "措施序号", "measure"),
        (9, "进展情况", "narrative_required"),
    ]
    assert all(p.file == "bad.xlsx" for p in exc.value.problems)
    assert list_reports(db_url) == []
    assert audit_trail(db_url) == []


def test_missing_headers_are_named(tmp_path: Path, db_url: str,
                                   settings: ScheduleSettings) -> None:
    form = _form(tmp_path / "h.xlsx", [["一", "省科技厅", "2025Q3"]],
                 headers=["措施序号", "单位", "报告期"])
    with pytest.raises(DataValidationError) as exc:
        import_form(form, db_url, user="tester", model=load_policy(), settings=settings, now=NOW)
    assert [p.column for p in exc.value.problems] == ["进展状态", "进展情况"]
    assert all(p.row == 1 for p in exc.value.problems)
