"""Submitting progress reports: who may report, validation, updates and their audit trail."""

from __future__ import annotations

import pytest
from tasks_helpers import utc

from laser_policy.errors import DataValidationError
from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.tasks.reports import (
    Attachment,
    Submission,
    audit_trail,
    list_reports,
    submit,
)
from laser_policy.tasks.schedule import Period, ScheduleSettings


def _rules(exc: pytest.ExceptionInfo[DataValidationError]) -> list[tuple[str, str | None]]:
    return [(p.rule, p.column) for p in exc.value.problems]


def test_a_unit_cannot_report_on_a_measure_it_neither_leads_nor_shares(
        db_url: str, model: PolicyModel, settings: ScheduleSettings) -> None:
    measure = model.measure("十八")
    outsider = next(u.name for u in model.units if u.name not in measure.units)
    with pytest.raises(DataValidationError) as exc:
        submit([Submission("十八", outsider, "2025Q3", "done", "已兑现奖励")], db_url,
               user="tester", model=load_policy(), settings=settings, now=utc(2025, 10, 9))
    assert _rules(exc) == [("unit_not_responsible", "--unit")]
    assert outsider in exc.value.problems[0].message_zh
    assert "省经信厅" in exc.value.problems[0].message_zh  # names who may report
    assert list_reports(db_url) == []


def test_lead_and_responsible_units_may_report(db_url: str, model: PolicyModel,
                                               settings: ScheduleSettings) -> None:
    measure = model.measure(18)
    subs = [Submission(18, u, "2025Q3", "in_progress", f"{u}推进营收突破奖励兑现工作")
            for u in (measure.lead_units[0], measure.responsible_units[0])]
    result = submit(subs, db_url, user="tester", model=load_policy(),
            settings=settings, now=utc(2025, 10, 9))
    assert result.inserted == 2
    rows = list_reports(db_url, period="2025Q3")
    assert {r["unit"] for r in rows} == {measure.lead_units[0], measure.responsible_units[0]}
    assert {r["due_date"] for r in rows} == {Period.parse("2025Q3").due(settings)}


def test_every_problem_of_a_submission_is_reported_at_once(
        db_url: str, settings: ScheduleSettings) -> None:
    with pytest.raises(DataValidationError) as exc:
        submit([Submission("二十一", "省经信厅", "2026Q4", "完工了", "",
                           {"兑现金额": "很多"})],
               db_url, user="tester", model=load_policy(), settings=settings, now=utc(2025, 10, 9))
    assert _rules(exc) == [("measure_has_no_units", "--measure"),
                           ("period_not_begun", "--period"), ("status", "--status"),
                           ("figure", "--figure")]
    assert list_reports(db_url) == []


def test_resubmission_updates_the_report_and_is_audited(
        db_url: str, settings: ScheduleSettings, tmp_path: pytest.TempPathFactory) -> None:
    first = Submission("十八", "省经信厅", "2025Q3", "in_progress", "正在审核申报材料",
                       {"申报企业数": 2})
    submit([first], db_url, user="张三", model=load_policy(), settings=settings,
           now=utc(2025, 10, 9))
    memo = tmp_path / "兑现文件.pdf"  # type: ignore[operator]
    memo.write_bytes(b"%PDF-1.4 synthetic")
    second = Submission("十八", "省经信厅", "2025Q3", "done", "奖励已全部兑现",
                        {"兑现企业数": 2, "兑现金额（万元）": 700},
                        (Attachment.of_file(memo),))
    result = submit([second], db_url, user="李四", model=load_policy(),
            settings=settings, now=utc(2025, 10, 20))
    assert (result.inserted, result.updated) == (0, 1)

    [row] = list_reports(db_url)
    assert row["status"] == "done"
    assert row["revision"] == 2
    assert row["submitted_by"] == "李四"
    assert row["first_submitted_at"] == utc(2025, 10, 9)
    assert row["submitted_at"] == utc(2025, 10, 20)
    assert row["figures"] == {"兑现企业数": 2, "兑现金额（万元）": 700}
    assert row["attachments"][0]["name"] == "兑现文件.pdf"
    assert len(row["attachments"][0]["sha256"]) == 64

    trail = audit_trail(db_url)
    assert [a["action"] for a in trail] == ["insert", "update"]
    assert [a["user_name"] for a in trail] == ["张三", "李四"]
    assert trail[1]["key"] == {"measure": 18, "unit": "省经信厅", "period": "2025Q3"}
    assert trail[1]["before"]["status"] == "in_progress"
    assert trail[1]["after"]["status"] == "done"
    assert trail[1]["before"]["narrative"] == "正在审核申报材料"

    same = submit([second], db_url, user="李四", model=load_policy(),
            settings=settings, now=utc(2025, 10, 21))
    assert same.unchanged == 1
    assert len(audit_trail(db_url)) == 2
    assert list_reports(db_url)[0]["revision"] == 2


@pytest.mark.parametrize(("text", "code"), [
    ("2025Q3", "2025Q3"), ("2025q3", "2025Q3"), ("2025年第三季度", "2025Q3"),
    ("2025H1", "2025H1"), ("2025年上半年", "2025H1"), ("2025", "2025"), ("2025年度", "2025"),
])
def test_period_forms(text: str, code: str) -> None:
    assert str(Period.parse(text)) == code


@pytest.mark.parametrize("text", ["2025Q5", "2025H3", "25Q3", "2025-07", "", "第三季度"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="报告期"):
        Period.parse(text)
