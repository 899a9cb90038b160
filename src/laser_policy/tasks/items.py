"""Task items (任务事项) of the policy model tracked like the measures: progress and
red/amber/green per item, checked against the data where the data can say.

A unit reports on a task item inside its progress report on the item's measure, as a
named figure: the item's id (or its Chinese name) = what is delivered so far —

- ``count`` items: how many of the target are delivered (``rd_institutes_built=2`` of 3);
- ``milestone`` items: 1 when reached, 0 when not;
- ``batch`` items (一批, no number in the text): how many so far (tracked, not judged).

:func:`item_figure_problems` checks such figures when a report is submitted (the item
belongs to the measure, the value is a whole number, a milestone is 0 or 1).
:func:`compute_item_flags` gives one flag per item as of a day, from the latest report
of the item's units (the lead unit's when several report the same period) and, where
the data holds it, from the data:

- items whose ``related`` names major projects (projects.yaml): delivered = how many of
  them have reached 投产 in the data (:func:`laser_policy.tasks.projects.major_projects`);
- items whose ``related`` names a target the monitoring computes: a ``count`` item
  takes the target's latest actual (firms over 100亿, …), a ``milestone`` item is
  reached when the latest actual meets the target's value (研发机构全覆盖 = 100 %).

Colours: **green** delivered (or on pace); **amber** behind the straight-line pace from
the policy's effective day to the due day, no report yet, or a milestone not reached
with less than :data:`MILESTONE_WARN_SHARE` of the time left; **red** past the due day
and not delivered, or reported delivered while the data says otherwise. A due day the
text does not give is the plan's end, and the reason says so (假设).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from laser_policy.io import Package
from laser_policy.policy.model import PolicyModel, TaskItem
from laser_policy.tasks.flags import Light
from laser_policy.tasks.schedule import Period, local_day

#: a milestone not reached once this share of the time to its due day has gone is amber;
#: an administrative setting of the task force, not a number of the policy text
MILESTONE_WARN_SHARE = 0.75
#: project statuses (tasks.projects) that count as delivered
_PROJECT_DONE = ("in_production", "at_capacity")


def task_for_figure(model: PolicyModel, name: str) -> TaskItem | None:
    """The task item a figure name stands for: its id or its Chinese name."""
    key = name.strip()
    return next((t for t in model.tasks if key in (t.id, t.name_zh)), None)


def item_figure_problems(
    model: PolicyModel, measure: int, figures: Mapping[str, float]
) -> list[tuple[str, str, str]]:
    """(figure name, 中文, English) for each task-item figure that cannot stand."""
    out: list[tuple[str, str, str]] = []
    numeral = model.measure(measure).numeral
    for name, value in figures.items():
        task = task_for_figure(model, name)
        if task is None:
            continue
        if task.clause != numeral:
            out.append((name, f"任务事项“{task.id}”属于措施（{task.clause}），不属于（{numeral}）",
                        f"task item {task.id} belongs to measure {task.clause}, not {numeral}"))
        elif value < 0 or not float(value).is_integer():
            out.append((name, f"任务事项“{task.id}”的完成数应为非负整数，实为 {value:g}",
                        f"task item {task.id}: delivered must be a whole number ≥ 0"))
        elif task.deliverable == "milestone" and value not in (0, 1):
            out.append((name, f"里程碑任务“{task.id}”只能报 1（已达成）或 0（未达成）",
                        f"milestone {task.id} takes 1 (reached) or 0 (not yet)"))
    return out


@dataclass
class ItemFlag(Light):
    task: str
    numeral: str
    name: str
    deliverable: str
    target: str
    due_date: dt.date
    due_assumed: bool
    lead_units: tuple[str, ...]
    delivered: float | None = None
    source: str | None = None
    reported_by: str | None = None
    period: str | None = None
    colour: str = "green"
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task, "numeral": self.numeral, "name": self.name,
            "deliverable": self.deliverable, "target": self.target,
            "due_date": self.due_date.isoformat(), "due_assumed": self.due_assumed,
            "lead_units": "、".join(self.lead_units), "delivered": self.delivered,
            "source": self.source, "reported_by": self.reported_by, "period": self.period,
            "colour": self.colour, "colour_zh": self.colour_zh, "reason": self.reason,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class _Reported:
    value: float
    unit: str
    period: str


def compute_item_flags(
    model: PolicyModel,
    reports: Sequence[Mapping[str, Any]],
    as_of: dt.date,
    pkg: Package | None = None,
) -> list[ItemFlag]:
    """One flag per task item of the model, as of ``as_of`` (reports after it ignored)."""
    flags = []
    for task in model.tasks:
        flag = ItemFlag(
            task.id, task.clause, task.name_zh, task.deliverable, task.target_zh, task.due,
            task.due_assumed, task.lead_units,
        )
        reported = _latest_report(model, task, reports, as_of)
        data = _from_data(model, task, pkg, as_of) if pkg is not None else None
        _judge(flag, task, reported, data, as_of, model.effective)
        flags.append(flag)
    return flags


def _latest_report(
    model: PolicyModel, task: TaskItem, reports: Iterable[Mapping[str, Any]], as_of: dt.date
) -> _Reported | None:
    number = model.measure(task.clause).number
    best: tuple[tuple[dt.date, int, dt.datetime], _Reported] | None = None
    for r in reports:
        if int(r["measure"]) != number or str(r["unit"]) not in task.units:
            continue
        if local_day(r["first_submitted_at"]) > as_of:
            continue
        value = next(
            (v for k, v in (r.get("figures") or {}).items()
             if task_for_figure(model, str(k)) is task),
            None,
        )
        if value is None or not math.isfinite(float(value)):
            continue
        period = Period.parse(str(r["period"]))
        lead_first = 1 if str(r["unit"]) in task.lead_units else 0
        key = (period.end, lead_first, r["submitted_at"])
        if best is None or key > best[0]:
            best = (key, _Reported(float(value), str(r["unit"]), str(period)))
    return best[1] if best else None


@dataclass(frozen=True)
class _Data:
    value: float
    done: bool
    evidence: str


def _from_data(
    model: PolicyModel, task: TaskItem, pkg: Package, as_of: dt.date
) -> _Data | None:
    project_ids = [r for r in task.related if any(p.id == r for p in model.projects)]
    if project_ids:
        from laser_policy.tasks.projects import major_projects

        rows = major_projects(pkg, model, as_of)
        mine = rows[rows["policy_project"].isin(project_ids)]
        if len(mine) and not (mine["status"] == "no_data").all():
            done = mine[mine["status"].isin(_PROJECT_DONE)]
            names = "、".join(str(n) for n in done["name"]) or "无"
            n, total = len(done), len(project_ids)
            return _Data(float(n), n >= total, f"数据：{total}个项目中{n}个已投产（{names}）")
    from laser_policy.monitoring.actuals import actual_series

    for ref in task.related:
        target = next((t for t in model.targets if t.id == ref), None)
        if target is None or not target.quantified:
            continue
        computed = actual_series(pkg, model, target)
        if computed is None:
            continue
        series = computed
        series = series[series.index <= as_of.year].dropna().sort_index()
        if series.empty:
            continue
        year, actual = int(series.index[-1]), float(series.iloc[-1])
        goal = max(float(v) for v in target.values.values() if v is not None)
        shown = f"{actual:.0%}" if target.unit == "/1" else f"{actual:g}"
        if task.deliverable == "count" and target.unit == "count":
            return _Data(actual, actual >= (task.count or 0),
                         f"数据：{year}年{target.label_zh}为{shown}")
        if task.deliverable == "milestone":
            goal_shown = f"{goal:.0%}" if target.unit == "/1" else f"{goal:g}"
            return _Data(1.0 if actual >= goal else 0.0, actual >= goal,
                         f"数据：{year}年{target.label_zh}为{shown}（目标{goal_shown}）")
    return None


def _judge(
    flag: ItemFlag,
    task: TaskItem,
    reported: _Reported | None,
    data: _Data | None,
    as_of: dt.date,
    effective: dt.date,
) -> None:
    due_zh = f"{task.due}{'（原文未写日期，取规划期末，假设）' if task.due_assumed else ''}"
    _record(flag, task, reported, data)
    if task.deliverable == "batch":
        _judge_batch(flag, task, as_of, due_zh)
        return
    done = data.done if data is not None else (
        reported is not None and _done(task, reported.value))
    if done:
        flag.reasons.append("已完成")
        return
    if as_of > task.due:
        flag.add("red", f"已过截止日期{due_zh}仍未完成")
        return
    if flag.delivered is None:
        flag.add("amber", _no_report(task))
        return
    share = _elapsed(effective, task.due, as_of)
    if task.deliverable == "count" and task.count:
        pace = task.count * share
        if flag.delivered < pace:
            flag.add("amber", f"进度落后：已完成{flag.delivered:g}{task.unit_zh or ''}，"
                              f"按时间进度应约{pace:.1f}{task.unit_zh or ''}（{due_zh}截止）")
        else:
            flag.reasons.append(f"进度正常（{due_zh}截止）")
    elif share >= MILESTONE_WARN_SHARE:
        flag.add("amber", f"尚未达成，距截止日期{due_zh}剩余时间已不足"
                          f"{1 - MILESTONE_WARN_SHARE:.0%}")
    else:
        flag.reasons.append(f"尚未达成（{due_zh}截止）")


def _record(
    flag: ItemFlag, task: TaskItem, reported: _Reported | None, data: _Data | None
) -> None:
    """What was delivered: the data's count where it has one, else the latest report."""
    if reported is not None:
        flag.reported_by, flag.period = reported.unit, reported.period
    if data is not None:
        flag.delivered, flag.source = data.value, "data"
        flag.reasons.append(data.evidence)
        if reported is not None and _done(task, reported.value) and not data.done:
            flag.add("red", f"{reported.unit}报告{reported.period}已完成，但数据显示未完成")
    elif reported is not None:
        flag.delivered, flag.source = reported.value, "report"
        flag.reasons.append(f"{reported.unit}报告{reported.period}：{_shown(task, reported.value)}")


def _judge_batch(flag: ItemFlag, task: TaskItem, as_of: dt.date, due_zh: str) -> None:
    """一批: something delivered is green (the number is not judged); nothing by the due
    day is red."""
    if flag.delivered is not None and flag.delivered > 0:
        flag.reasons.append("一批（原文无数量）：已有交付，只跟踪不判定数量")
    elif as_of > task.due:
        flag.add("red", f"已过截止日期{due_zh}仍无交付")
    elif flag.delivered is None:
        flag.add("amber", _no_report(task))
    else:
        flag.reasons.append(f"尚无交付（{due_zh}截止）")


def _no_report(task: TaskItem) -> str:
    return f"尚无任务进展（在措施（{task.clause}）进展报告中以“{task.id}=完成数”报送）"


def _done(task: TaskItem, value: float) -> bool:
    if task.deliverable == "count":
        return value >= (task.count or 0)
    return value >= 1


def _shown(task: TaskItem, value: float) -> str:
    if task.deliverable == "count":
        return f"已完成{value:g}/{task.count}{task.unit_zh or ''}"
    if task.deliverable == "milestone":
        return "已达成" if value >= 1 else "未达成"
    return f"已完成{value:g}{task.unit_zh or ''}"


def _elapsed(start: dt.date, due: dt.date, as_of: dt.date) -> float:
    total = (due - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (as_of - start).days / total))
