"""Flags: missing, late, blocked and contradicted reports, each with its colour and reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from tasks_helpers import Editor, utc

from laser_policy.io import Package
from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.tasks.flags import Flag, by_measure, compute_flags
from laser_policy.tasks.reports import Submission, list_reports, submit
from laser_policy.tasks.schedule import Period, ScheduleSettings, assignments

Q3 = Period.parse("2025Q3")


def _flag(flags: list[Flag], numeral: str, unit: str) -> Flag:
    return next(f for f in flags if f.numeral == numeral and f.unit == unit)


def _done(numeral: str, unit: str, when: dt.datetime, period: str = "2025Q3",
          status: str = "done") -> tuple[Submission, dt.datetime]:
    return Submission(numeral, unit, period, status, f"{unit}报告：措施（{numeral}）工作进展"), when


def _submit_all(url: str, items: list[tuple[Submission, dt.datetime]],
                settings: ScheduleSettings) -> None:
    for sub, when in items:
        submit([sub], url, user="督办员", model=load_policy(), settings=settings, now=when)


def test_missing_and_late_reports_by_as_of_day(db_url: str, model: PolicyModel,
                                               settings: ScheduleSettings) -> None:
    due = Q3.due(settings)
    on_time = utc(due.year, due.month, due.day - 5)
    late = utc(due.year, due.month, due.day + 5)
    _submit_all(db_url, [_done("五", "省经信厅", on_time, status="in_progress"),
                         _done("一", "省科技厅", late, status="in_progress"),
                         _done("三", "省市场监管局", on_time, status="blocked")], settings)
    reports = list_reports(db_url)

    after = due + dt.timedelta(days=10)
    flags = compute_flags(model, reports, Q3, after, None, settings)
    assert len(flags) == len(assignments(model))
    assert _flag(flags, "五", "省经信厅").colour == "green"
    late_flag = _flag(flags, "一", "省科技厅")
    assert late_flag.colour == "amber"
    assert "迟报" in late_flag.reason
    assert "迟5天" in late_flag.reason
    blocked = _flag(flags, "三", "省市场监管局")
    assert blocked.colour == "amber"
    assert "受阻" in blocked.reason
    missing = _flag(flags, "五", "省发改委")
    assert missing.colour == "red"
    assert "逾期未报" in missing.reason
    assert "已逾期10天" in missing.reason
    reported = {("五", "省经信厅"), ("一", "省科技厅"), ("三", "省市场监管局")}
    assert all(f.colour == "red" for f in flags if (f.numeral, f.unit) not in reported)

    soon = due - dt.timedelta(days=settings.warn_days)
    flags = compute_flags(model, reports, Q3, soon, None, settings)
    assert _flag(flags, "五", "省发改委").colour == "amber"
    assert f"还剩{settings.warn_days}天" in _flag(flags, "五", "省发改委").reason
    # the late report was not in yet on that day: it is simply missing, and due soon
    assert _flag(flags, "一", "省科技厅").colour == "amber"
    assert "即将到期未报" in _flag(flags, "一", "省科技厅").reason

    early = soon - dt.timedelta(days=1)
    flags = compute_flags(model, reports, Q3, early, None, settings)
    assert _flag(flags, "五", "省发改委").colour == "green"

    during = Q3.end - dt.timedelta(days=3)
    flags = compute_flags(model, reports, Q3, during, None, settings)
    assert {f.colour for f in flags if (f.numeral, f.unit) not in reported} == {"green"}
    assert "尚未结束" in _flag(flags, "五", "省发改委").reason


def test_a_correction_after_the_due_day_is_not_late(db_url: str, model: PolicyModel,
                                                    settings: ScheduleSettings) -> None:
    due = Q3.due(settings)
    _submit_all(db_url, [_done("五", "省经信厅", utc(due.year, due.month, due.day - 1),
                               status="in_progress"),
                         _done("五", "省经信厅", utc(due.year, due.month, due.day + 9))],
                settings)
    flags = compute_flags(model, list_reports(db_url), Q3, due + dt.timedelta(days=20), None,
                          settings)
    flag = _flag(flags, "五", "省经信厅")
    assert (flag.colour, flag.status) == ("green", "done")


def test_the_due_day_is_counted_in_china_time(model: PolicyModel,
                                              settings: ScheduleSettings) -> None:
    due = Q3.due(settings)
    # 23:30 on the due day in Beijing is 15:30 UTC the same day; 00:30 the next day in
    # Beijing is still the due day in UTC
    in_time = dt.datetime(due.year, due.month, due.day, 15, 30, tzinfo=dt.UTC)
    next_day = dt.datetime(due.year, due.month, due.day, 16, 30, tzinfo=dt.UTC)
    rows = [{"measure": 5, "unit": u, "period": "2025Q3", "status": "in_progress",
             "narrative": "进展", "first_submitted_at": t, "due_date": due}
            for u, t in (("省经信厅", in_time), ("省发改委", next_day))]
    flags = compute_flags(model, rows, Q3, due + dt.timedelta(days=3), None, settings)
    assert _flag(flags, "五", "省经信厅").colour == "green"
    assert _flag(flags, "五", "省发改委").colour == "amber"


def _report(numeral: str, unit: str, period: Period, settings: ScheduleSettings
            ) -> dict[str, Any]:
    due = period.due(settings)
    return {"measure": 0, "numeral": numeral, "unit": unit, "period": str(period),
            "status": "done", "narrative": "已完成",
            "first_submitted_at": utc(due.year, due.month, due.day - 1), "due_date": due}


def _flags_for(model: PolicyModel, pkg: Package, numeral: str, period: Period,
               settings: ScheduleSettings) -> Flag:
    lead = model.measure(numeral).lead_units[0]
    row = _report(numeral, lead, period, settings) | {"measure": model.measure(numeral).number}
    flags = compute_flags(model, [row], period, period.due(settings) + dt.timedelta(days=1),
                          pkg, settings)
    return _flag(flags, numeral, lead)


def _milestones(ground_truth: dict[str, Any], model: PolicyModel, year: int) -> set[str]:
    start = model.parameter("revenue_milestone.window_start_year").int_at(year)
    return {m["name"] for m in ground_truth["milestones"] if start <= m["first_year"] <= year}


def test_done_on_18_contradicted_by_a_firm_owed_its_milestone_reward(
        edited_sample: Editor, model: PolicyModel, settings: ScheduleSettings,
        ground_truth: dict[str, Any]) -> None:
    def drop_milestone_awards(t: dict[str, pd.DataFrame]) -> None:
        t["awards"] = t["awards"][t["awards"]["incentive"] != "revenue_milestone"]

    pkg = edited_sample(drop_milestone_awards)
    period = Period.parse("2025Q4")
    owed = _milestones(ground_truth, model, period.year)
    assert owed, "the sample has firms crossing a revenue tier in the policy window"
    flag = _flags_for(model, pkg, "十八", period, settings)
    assert flag.colour == "red"
    assert "营收突破" in flag.reason
    for name in owed:
        assert name in flag.reason
    pre_window = {m["name"] for m in ground_truth["milestones"]} - owed
    for name in pre_window - owed:
        assert name not in flag.reason


def test_done_on_18_is_green_when_every_milestone_was_paid(
        sample_dir: Any, model: PolicyModel, settings: ScheduleSettings,
        ground_truth: dict[str, Any]) -> None:
    from laser_policy.io import read_package

    pkg = read_package(sample_dir)
    paid = pkg.get("awards")
    paid = set(paid.loc[paid["incentive"] == "revenue_milestone", "uscc"])
    first = model.parameter("revenue_milestone.window_start_year").int_at(2024)
    period = Period(first, "Q", 4)
    crossed = {m["uscc"] for m in ground_truth["milestones"] if m["first_year"] == first}
    assert crossed
    assert crossed <= paid
    flag = _flags_for(model, pkg, "十八", period, settings)
    assert flag.colour == "green", flag.reason


def test_done_on_1_contradicted_by_firms_without_rd_institutions(
        edited_sample: Editor, model: PolicyModel, settings: ScheduleSettings) -> None:
    pkg = edited_sample(lambda t: None)
    period = Period.parse("2025Q4")
    fin = pkg.get("financials")
    ent = pkg.get("enterprises")
    laser = set(ent.loc[ent["is_laser"].astype(bool), "uscc"])
    above = fin[(fin["year"] == period.year) & fin["above_scale"].fillna(False).astype(bool)
                & fin["uscc"].isin(laser)]
    lacking = above[~above["has_rd_institution"].fillna(False).astype(bool)]
    assert len(lacking), "the sample has above-scale firms without an R&D institution"
    flag = _flags_for(model, pkg, "一", period, settings)
    assert flag.colour == "red"
    assert f"{1 - len(lacking) / len(above):.1%}" in flag.reason
    first = ent.set_index("uscc").loc[lacking["uscc"].iloc[0], "name"]
    assert first in flag.reason

    def all_have_rd(t: dict[str, pd.DataFrame]) -> None:
        t["financials"]["has_rd_institution"] = True

    flag = _flags_for(model, edited_sample(all_have_rd), "一", period, settings)
    assert flag.colour == "green", flag.reason


def test_done_on_17_contradicted_by_a_fund_channel_short_of_projects(
        edited_sample: Editor, model: PolicyModel, settings: ScheduleSettings) -> None:
    period = Period.parse("2025Q4")
    channels = model.parameter("special_fund.channels").strings_at(period.year)
    per = model.parameter("special_fund.projects_per_channel_per_year").int_at(period.year)
    short = channels[0]

    def thin_out(t: dict[str, pd.DataFrame]) -> None:
        p = t["projects"]
        ours = p[(p["kind"] == "special_fund") & (p["year"] == period.year)
                 & (p["channel"] == short)]
        t["projects"] = p.drop(ours.index[per - 1:])  # keep one fewer than the target

    flag = _flags_for(model, edited_sample(thin_out), "十七", period, settings)
    assert flag.colour == "red"
    assert f"{short}{period.year}年支持激光项目{per - 1}项" in flag.reason

    def enough(t: dict[str, pd.DataFrame]) -> None:
        p = t["projects"]
        sf = p[(p["kind"] == "special_fund")].iloc[0]
        extra = [sf.to_dict() | {"project_id": f"PJX{c}{k}", "channel": c, "year": period.year}
                 for c in channels for k in range(per)]
        t["projects"] = pd.concat([p, pd.DataFrame(extra)], ignore_index=True)

    flag = _flags_for(model, edited_sample(enough), "十七", period, settings)
    assert flag.colour == "green", flag.reason


def test_summary_by_measure_takes_the_worst_colour(model: PolicyModel,
                                                  settings: ScheduleSettings) -> None:
    lead = model.measure(5).lead_units[0]
    row = _report("五", lead, Q3, settings) | {"measure": 5}
    flags = compute_flags(model, [row], Q3, Q3.due(settings) + dt.timedelta(days=1), None,
                          settings)
    five = next(r for r in by_measure(flags) if r["measure"] == 5)
    n = len(model.measure(5).units)
    assert (five["colour"], five["green"], five["red"]) == ("red", 1, n - 1)
    assert {r["measure"] for r in by_measure(flags)} == {
        m.number for m in model.measures if m.units}


@pytest.mark.parametrize("status", ["in_progress", "not_started"])
def test_only_done_is_checked_against_the_data(
        status: str, edited_sample: Editor, model: PolicyModel,
        settings: ScheduleSettings) -> None:
    pkg = edited_sample(lambda t: None)
    period = Period.parse("2025Q4")
    row = _report("十七", "省科技厅", period, settings) | {"measure": 17, "status": status}
    flags = compute_flags(model, [row], period, period.due(settings), pkg, settings)
    assert _flag(flags, "十七", "省科技厅").colour == "green"
