"""Red, amber, green per measure and unit for one period, each with its reasons (督办亮灯).

For every unit that leads or shares a measure (``schedule.assignments``), as of a
given day:

- no report yet: **red** once the due day has passed (逾期未报), **amber** from
  ``warn_days`` before it (即将到期), otherwise green (not yet due);
- a report counts from the day it was *first* submitted; submitted after its due day
  it is **amber** (迟报) — a later correction of an on-time report is not late;
- status ``blocked`` is **amber** (受阻), with the unit's own words;
- status ``done`` contradicted by the data (:mod:`.contradictions`) is **red**, with
  the evidence (firms, channels, coverage) named;
- otherwise green. Reports submitted after the as-of day are ignored, so a past
  day's flags can be reproduced.

The colour is the worst of the reasons; every reason is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from laser_policy.io import Package
from laser_policy.policy.model import PolicyModel
from laser_policy.tasks.contradictions import Contradiction, contradictions_for
from laser_policy.tasks.models import STATUSES
from laser_policy.tasks.schedule import Period, ScheduleSettings, assignments, local_day

COLOURS: dict[str, str] = {"green": "绿", "amber": "黄", "red": "红"}
_RANK = {c: i for i, c in enumerate(COLOURS)}
#: characters of a blocked report's narrative quoted in its reason
QUOTE_CHARS = 60


class Light:
    """A red/amber/green light whose colour is the worst of its reasons; every reason is
    kept. Mixed into dataclasses that have ``colour`` and ``reasons`` fields."""

    colour: str
    reasons: list[str]

    def add(self, colour: str, reason: str) -> None:
        if _RANK[colour] > _RANK[self.colour]:
            self.colour = colour
        self.reasons.append(reason)

    @property
    def colour_zh(self) -> str:
        return COLOURS[self.colour]

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


@dataclass
class Flag(Light):
    measure: int
    numeral: str
    title: str
    unit: str
    role: str
    period: str
    due_date: dt.date
    colour: str = "green"
    status: str | None = None
    submitted_at: dt.datetime | None = None
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure, "numeral": self.numeral, "title": self.title,
            "unit": self.unit, "role": self.role, "period": self.period,
            "due_date": self.due_date.isoformat(), "colour": self.colour,
            "colour_zh": self.colour_zh, "status": self.status,
            "status_zh": STATUSES.get(self.status or ""),
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "reason": self.reason, "reasons": list(self.reasons),
        }


def compute_flags(model: PolicyModel, reports: Sequence[Mapping[str, Any]], period: Period,
                  as_of: dt.date, pkg: Package | None = None,
                  settings: ScheduleSettings | None = None) -> list[Flag]:
    """One flag per (measure, unit) that must report on ``period``, as of ``as_of``.

    ``reports`` are stored progress reports (``reports.list_reports``); those of other
    periods are ignored. Without ``pkg`` no contradiction is checked.
    """
    settings = settings or ScheduleSettings()
    key = str(period)
    mine = {(int(r["measure"]), str(r["unit"])): r for r in reports if r["period"] == key}
    evidence: dict[int, list[str]] = {}

    def contradicted(c: Contradiction) -> list[str]:
        if id(c) not in evidence and pkg is not None:
            evidence[id(c)] = c.check(pkg, model, period)
        return evidence.get(id(c), [])

    flags: list[Flag] = []
    for a in assignments(model):
        due = period.due(settings)
        flag = Flag(a.measure, a.numeral, a.title, a.unit, a.role_zh, key, due)
        flags.append(flag)
        rep = mine.get((a.measure, a.unit))
        if rep is None or local_day(rep["first_submitted_at"]) > as_of:
            _missing(flag, period, due, as_of, settings)
            continue
        flag.status = str(rep["status"])
        flag.submitted_at = rep["first_submitted_at"]
        flag.due_date = rep["due_date"]
        first = local_day(rep["first_submitted_at"])
        if first > flag.due_date:
            flag.add("amber", f"迟报：应于{flag.due_date}前报送，{first}才报送"
                              f"（迟{(first - flag.due_date).days}天）")
        if flag.status == "blocked":
            flag.add("amber", f"单位报告受阻：{str(rep['narrative'])[:QUOTE_CHARS]}")
        if flag.status == "done":
            for c in contradictions_for(a.numeral):
                found = contradicted(c)
                if found:
                    flag.add("red", f"{c.rule_zh}：" + "；".join(found))
        if not flag.reasons:
            flag.reasons.append(f"已按时报送（{STATUSES[flag.status]}）")
    return flags


def _missing(flag: Flag, period: Period, due: dt.date, as_of: dt.date,
             settings: ScheduleSettings) -> None:
    if as_of > due:
        flag.add("red", f"逾期未报：应于{due}前报送{period.label_zh}进展，"
                        f"已逾期{(as_of - due).days}天")
    elif as_of > period.end and (due - as_of).days <= settings.warn_days:
        flag.add("amber", f"即将到期未报：应于{due}前报送，还剩{(due - as_of).days}天")
    elif as_of > period.end:
        flag.reasons.append(f"报送期内，尚未报送（{due}截止）")
    else:
        flag.reasons.append(f"{period.label_zh}尚未结束，{due}前报送")


def by_measure(flags: Sequence[Flag]) -> list[dict[str, Any]]:
    """The worst colour of each measure, with how many units are red, amber, green."""
    out: dict[int, dict[str, Any]] = {}
    for f in flags:
        row = out.setdefault(f.measure, {"measure": f.measure, "numeral": f.numeral,
                                         "title": f.title, "colour": "green",
                                         **dict.fromkeys(COLOURS, 0)})
        row[f.colour] += 1
        if _RANK[f.colour] > _RANK[row["colour"]]:
            row["colour"] = f.colour
    for row in out.values():
        row["colour_zh"] = COLOURS[row["colour"]]
    return list(out.values())
