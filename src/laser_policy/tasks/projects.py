"""Major projects (重大项目): the named ones of measures 十四 and 十九 and every ``major``
project in the data — investment planned against completed, milestone stage, delays.

Milestones run 签约 → 开工 → 投产 → 达效. A project is **delayed** when its planned
completion day (``planned_completion``, 计划投产日期) has passed and it has not reached
投产. A project named in the policy model is found in the data by its model id as
``project_id``, or by name: the data name without the ``（示例）`` mark and a trailing
``项目`` must equal the model's name or a clause's mention of it, with or without the
operator's name in front (the data may name the operator differently); a later phase
named only by its operator (十九's 帝尔激光三期) is also found under the name of its
related project with the phase changed (研发生产基地二期 → 研发生产基地三期).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from laser_policy.io import Package
from laser_policy.policy.model import PolicyModel, Project
from laser_policy.policy.numerals import to_numeral

STAGES: tuple[str, ...] = ("签约", "开工", "投产", "达效")
#: English names accepted for the stages
STAGE_ALIASES: dict[str, str] = {"signed": "签约", "started": "开工", "in_production": "投产",
                                 "at_capacity": "达效"}
#: the measures whose named projects are followed here
PROJECT_CLAUSES: tuple[str, ...] = ("十四", "十九")
STATUS_ZH: dict[str, str] = {
    "delayed": "延期", "on_track": "在建", "in_production": "已投产", "at_capacity": "已达效",
    "unknown": "信息不全", "no_data": "无数据",
}
_MARKS = ("（示例）", "(示例)")


@dataclass
class ProjectRow:
    project_id: str | None
    policy_project: str | None
    clauses: str
    name: str
    uscc: str | None
    enterprise: str | None
    city: str | None
    year: int | None
    investment_wan: float | None
    completed_investment_wan: float | None
    completion_rate: float | None
    stage: str | None
    planned_completion: dt.date | None
    status: str
    status_zh: str
    delay_days: int | None
    reason: str


def _norm(name: str) -> str:
    s = "".join(str(name).split())
    for mark in _MARKS:
        s = s.replace(mark, "")
    return s.removesuffix("项目")


def _candidates(p: Project, model: PolicyModel) -> set[str]:
    names = {p.name, *p.mentions.values()}
    out = {_norm(n) for n in names} | {_norm(n).removeprefix(p.enterprise) for n in names}
    for rid in p.related:
        r = model.project(rid)
        if r.phase and p.phase:
            core = _norm(r.name).removeprefix(r.enterprise)
            out.add(core.replace(f"{to_numeral(r.phase)}期", f"{to_numeral(p.phase)}期"))
    return {c for c in out if c}


def _match(p: Project, model: PolicyModel, majors: pd.DataFrame) -> pd.Series | None:
    by_id = majors[majors["project_id"].astype(str) == p.id]
    if len(by_id):
        return by_id.iloc[0]
    wanted = _candidates(p, model)
    for _, row in majors.iterrows():
        n = _norm(row["name"])
        if n in wanted or n.removeprefix(p.enterprise) in wanted:
            return row
    return None


def _value(v: Any) -> Any:
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _date(v: Any) -> dt.date | None:
    v = _value(v)
    if v is None:
        return None
    return pd.Timestamp(v).date()


def _stage(v: Any) -> str | None:
    v = _value(v)
    if v is None:
        return None
    s = str(v).strip()
    return STAGE_ALIASES.get(s, s) if STAGE_ALIASES.get(s, s) in STAGES else None


def _judge(stage: str | None, planned: dt.date | None, as_of: dt.date
           ) -> tuple[str, int | None, str]:
    if stage is None:
        return "unknown", None, "未填进度阶段（签约/开工/投产/达效）"
    if stage == "达效":
        return "at_capacity", None, "已达效"
    if stage == "投产":
        return "in_production", None, "已投产，尚未达效"
    if planned is None:
        return "unknown", None, f"处于{stage}阶段，未填计划投产日期，无法判断是否延期"
    if planned < as_of:
        days = (as_of - planned).days
        return "delayed", days, f"计划{planned}投产，至{as_of}仍处于{stage}阶段，已延期{days}天"
    return "on_track", None, f"处于{stage}阶段，计划{planned}投产"


def _row(data: pd.Series | None, names: dict[str, str], as_of: dt.date, *,
         policy: Project | None, clauses: str) -> ProjectRow:
    if data is None:
        assert policy is not None
        return ProjectRow(None, policy.id, clauses, policy.name, None, policy.enterprise, None,
                          None, None, None, None, None, None, "no_data", STATUS_ZH["no_data"],
                          None, "数据中未找到该项目 / not in the data")
    planned_inv = _value(data.get("investment_wan"))
    done_inv = _value(data.get("completed_investment_wan"))
    rate = (float(done_inv) / float(planned_inv)
            if planned_inv and done_inv is not None else None)
    stage = _stage(data.get("stage"))
    planned = _date(data.get("planned_completion"))
    status, days, reason = _judge(stage, planned, as_of)
    if rate is not None and rate > 1:
        reason += f"；已完成投资超过计划投资（{rate:.0%}）"
    uscc = _value(data.get("uscc"))
    year = _value(data.get("year"))
    return ProjectRow(
        str(data["project_id"]), policy.id if policy else None, clauses, str(data["name"]),
        uscc, names.get(str(uscc)), _value(data.get("city")),
        int(year) if year is not None else None,
        float(planned_inv) if planned_inv is not None else None,
        float(done_inv) if done_inv is not None else None, rate, stage, planned, status,
        STATUS_ZH[status], days, reason)


def major_projects(pkg: Package, model: PolicyModel, as_of: dt.date) -> pd.DataFrame:
    """One row per major project: the policy's named ones first, then the data's others."""
    projects = pkg.get("projects")
    majors = projects[projects["kind"] == "major"] if len(projects) else projects
    ent = pkg.get("enterprises")
    names = dict(zip(ent["uscc"].astype(str), ent["name"].astype(str), strict=True))
    rows: list[ProjectRow] = []
    used: set[str] = set()
    for p in model.projects:
        clauses = "、".join(c for c in p.clauses if c in PROJECT_CLAUSES)
        if not clauses:
            continue
        data = _match(p, model, majors[~majors["project_id"].astype(str).isin(used)])
        if data is not None:
            used.add(str(data["project_id"]))
        rows.append(_row(data, names, as_of, policy=p, clauses=clauses))
    for _, data in majors[~majors["project_id"].astype(str).isin(used)].iterrows():
        rows.append(_row(data, names, as_of, policy=None, clauses=""))
    columns = list(ProjectRow.__dataclass_fields__)
    return pd.DataFrame([asdict(r) for r in rows], columns=columns)
