"""Task items of the policy model tracked like the measures: reported inside a measure's
progress report as ``<task id>=完成数``, red/amber/green per item, checked against data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner
from tasks_helpers import Editor, utc

from laser_policy.cli.tasks import tasks as tasks_cli
from laser_policy.errors import DataValidationError
from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.tasks.items import ItemFlag, compute_item_flags
from laser_policy.tasks.projects import STAGES, major_projects
from laser_policy.tasks.reports import Submission, list_reports, submit
from laser_policy.tasks.schedule import ScheduleSettings

AS_OF = dt.date(2025, 10, 20)


def _item(flags: list[ItemFlag], task: str) -> ItemFlag:
    return next(f for f in flags if f.task == task)


def _report(url: str, settings: ScheduleSettings, measure: str, unit: str, period: str,
            figures: dict[str, float], when: dt.datetime, status: str = "in_progress") -> None:
    sub = Submission(measure, unit, period, status, f"{unit}：措施（{measure}）任务进展",
                     figures=figures)
    submit([sub], url, user="督办员", model=load_policy(), settings=settings, now=when)


def test_every_task_item_gets_a_flag_and_unreported_ones_are_amber(
        db_url: str, model: PolicyModel) -> None:
    flags = compute_item_flags(model, list_reports(db_url), AS_OF)
    assert [f.task for f in flags] == [t.id for t in model.tasks]
    assert {f.colour for f in flags} == {"amber"}
    first = _item(flags, "rd_institutes_built")
    assert "rd_institutes_built=完成数" in first.reason
    assert first.due_assumed
    assert first.target == "3家"


def test_a_reported_count_is_judged_against_the_pace_and_the_due_day(
        db_url: str, model: PolicyModel, settings: ScheduleSettings) -> None:
    _report(db_url, settings, "一", "省科技厅", "2025Q3",
            {"rd_institutes_built": 1, "兑现企业数": 4}, utc(2025, 10, 8))
    _report(db_url, settings, "一", "省经信厅", "2025Q3",
            {"rd_institutes_built": 3}, utc(2025, 10, 9))
    _report(db_url, settings, "二", "省科技厅", "2025Q3",
            {"frontier_research": 4}, utc(2025, 10, 9))
    reports = list_reports(db_url)
    flags = compute_item_flags(model, reports, AS_OF)
    # the lead unit's report wins over a responsible unit's for the same period
    built = _item(flags, "rd_institutes_built")
    assert (built.delivered, built.reported_by, built.source) == (1, "省科技厅", "report")
    # 2024-07-22 → 2026-12-31: about 41 % of the time gone, 1 of 3 is behind the pace
    assert built.colour == "amber"
    assert "进度落后：已完成1家" in built.reason
    assert "假设" in built.reason
    frontier = _item(flags, "frontier_research")
    assert frontier.colour == "green"
    assert "进度正常" in frontier.reason
    # after the (assumed) due day, short of the target is red
    late = compute_item_flags(model, reports, dt.date(2027, 1, 15))
    assert _item(late, "rd_institutes_built").colour == "red"
    assert "已过截止日期2026-12-31" in _item(late, "rd_institutes_built").reason
    assert _item(late, "frontier_research").colour == "red"


def test_a_later_period_and_a_milestone_and_a_batch(
        db_url: str, model: PolicyModel, settings: ScheduleSettings) -> None:
    _report(db_url, settings, "一", "省科技厅", "2025Q2", {"rd_institutes_built": 1},
            utc(2025, 7, 8))
    by_name = model.task("rd_institutes_built").name_zh
    _report(db_url, settings, "一", "省科技厅", "2025Q3", {by_name: 3}, utc(2025, 10, 8),
            status="done")
    _report(db_url, settings, "四", "省市场监管局", "2025Q3",
            {"standard_verification_point": 1, "standards_drafted": 2}, utc(2025, 10, 8))
    flags = compute_item_flags(model, list_reports(db_url), AS_OF)
    built = _item(flags, "rd_institutes_built")  # reported by its Chinese name
    assert (built.colour, built.delivered, built.period) == ("green", 3, "2025Q3")
    assert "已完成" in built.reason
    point = _item(flags, "standard_verification_point")
    assert point.colour == "green"
    assert "已完成" in point.reason
    standards = _item(flags, "standards_drafted")
    assert standards.colour == "green"
    assert "只跟踪不判定数量" in standards.reason
    # what was reported later than the as-of day is not seen
    before = compute_item_flags(model, list_reports(db_url), dt.date(2025, 8, 1))
    assert _item(before, "rd_institutes_built").delivered == 1


def test_a_milestone_close_to_its_due_day_is_amber(
        db_url: str, model: PolicyModel, settings: ScheduleSettings) -> None:
    _report(db_url, settings, "四", "省市场监管局", "2025Q3",
            {"standard_verification_point": 0}, utc(2025, 10, 8))
    reports = list_reports(db_url)
    assert _item(compute_item_flags(model, reports, AS_OF),
                 "standard_verification_point").colour == "green"
    soon = _item(compute_item_flags(model, reports, dt.date(2026, 8, 1)),
                 "standard_verification_point")
    assert soon.colour == "amber"
    assert "剩余时间已不足25%" in soon.reason


@pytest.mark.parametrize(
    ("measure", "figures", "words"),
    [
        ("一", {"frontier_research": 2}, "属于措施（二），不属于（一）"),
        ("一", {"rd_institutes_built": 1.5}, "应为非负整数"),
        ("四", {"standard_verification_point": 2}, "只能报 1（已达成）或 0（未达成）"),
    ],
)
def test_a_task_item_figure_that_cannot_stand_is_refused(
        db_url: str, model: PolicyModel, settings: ScheduleSettings, measure: str,
        figures: dict[str, float], words: str) -> None:
    unit = model.measure(measure).lead_units[0]
    with pytest.raises(DataValidationError) as err:
        _report(db_url, settings, measure, unit, "2025Q3", figures, utc(2025, 10, 8))
    assert words in str(err.value)
    assert list_reports(db_url) == []  # nothing written


def test_major_projects_are_counted_from_the_data(
        edited_sample: Editor, model: PolicyModel, db_url: str,
        settings: ScheduleSettings) -> None:
    task = model.task("major_projects_completed")

    def two_in_production(t: dict[str, pd.DataFrame]) -> None:
        p = t["projects"]
        majors = p.index[p["kind"] == "major"]
        p.loc[majors, "stage"] = STAGES[1]
        p.loc[majors[:2], "stage"] = STAGES[2]

    pkg = edited_sample(two_in_production)
    table = major_projects(pkg, model, AS_OF)
    in_production = table[table["policy_project"].isin(task.related)
                          & table["status"].isin(["in_production", "at_capacity"])]
    expected = len(in_production)
    # the unit says all five are done, the data says otherwise: red, with the evidence
    _report(db_url, settings, "十四", "省经信厅", "2025Q3",
            {"major_projects_completed": 5}, utc(2025, 10, 8), status="done")
    flag = _item(compute_item_flags(model, list_reports(db_url), AS_OF, pkg),
                 "major_projects_completed")
    assert flag.source == "data"
    assert flag.delivered == expected < 5
    assert flag.colour == "red"
    assert "但数据显示未完成" in flag.reason
    assert f"5个项目中{expected}个已投产" in flag.reason


def test_a_milestone_is_checked_against_its_target_in_the_data(
        edited_sample: Editor, model: PolicyModel) -> None:
    def all_have_rd(t: dict[str, pd.DataFrame]) -> None:
        t["financials"]["has_rd_institution"] = True

    pkg = edited_sample(all_have_rd)
    flag = _item(compute_item_flags(model, [], AS_OF, pkg), "rd_institution_full_coverage")
    assert flag.source == "data"
    assert "规上激光企业研发机构覆盖率为100%" in flag.reason
    assert flag.colour == "green"

    def half_without(t: dict[str, pd.DataFrame]) -> None:
        fin = t["financials"]
        fin["has_rd_institution"] = True
        fin["has_rd_institution"] = fin["has_rd_institution"].astype(object)
        above = fin.index[fin["above_scale"].fillna(False).astype(bool)
                          & (fin["year"] == AS_OF.year)]
        fin.loc[above, "has_rd_institution"] = [i % 2 == 0 for i in range(len(above))]

    short = _item(compute_item_flags(model, [], AS_OF, edited_sample(half_without)),
                  "rd_institution_full_coverage")
    assert short.delivered == 0
    assert short.colour == "green"  # not yet due, and a quarter of the time is left
    assert "目标100%" in short.reason


def test_the_cli_lists_every_task_item(db_url: str, model: PolicyModel,
                                       settings: ScheduleSettings) -> None:
    _report(db_url, settings, "一", "省科技厅", "2025Q3", {"rd_institutes_built": 3},
            utc(2025, 10, 8))
    out = CliRunner().invoke(tasks_cli, ["items", "--db", db_url, "--as-of", "2025-10-20"],
                             catch_exceptions=False)
    assert out.exit_code == 0, out.output
    for t in model.tasks:
        assert t.id in out.output
    row = next(ln for ln in out.output.splitlines() if "rd_institutes_built" in ln)
    assert "绿" in row
    assert "3家" in row


def test_the_blank_form_names_the_units_task_items(tmp_path, model: PolicyModel) -> None:
    from openpyxl import load_workbook

    from laser_policy.tasks.excel_form import HELP_SHEET, write_form

    out = tmp_path / "省市场监管局.xlsx"
    write_form(out, "省市场监管局", "2025Q3", model)
    lines = [str(r[0]) for r in load_workbook(out)[HELP_SHEET].iter_rows(values_only=True)]
    mine = [t for t in model.tasks if "省市场监管局" in t.units]
    assert mine
    for t in mine:
        assert any(t.id in ln and t.target_zh in ln for ln in lines), t.id
    assert not any("rd_institutes_built" in ln for ln in lines)  # 一 is not its measure
