"""Targets against actuals, with trajectories, forecasts and statuses: one row per KPI and year."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from laser_policy.io import Package
from laser_policy.monitoring.actuals import ACTUALS, invention_patents_held
from laser_policy.monitoring.forecast import Forecast, forecast_series
from laser_policy.monitoring.funds import lacks_data
from laser_policy.monitoring.status import STATUS_ZH, StatusRule
from laser_policy.policy.model import PolicyModel
from laser_policy.policy.records import Target

UNIT_ZH = {"currency-CNY-yi": "亿元", "/1": "比例", "count": "家/项", "none": ""}


@dataclass
class KpiRow:
    kpi: str
    label: str
    year: int
    target: float | None
    actual: float | None
    unit: str
    status: str
    status_zh: str
    reason: str
    clause: str
    comparison: str
    trajectory: float | None = None
    forecast: float | None = None
    forecast_lower: float | None = None
    forecast_upper: float | None = None
    probability: float | None = None
    forecast_method: str | None = None


def _trajectory(target: Target, actual: pd.Series, years: list[int], start: int
                ) -> dict[int, float]:
    """Interim trajectory: the target where the text sets one; before the first target
    year, a straight line (geometric for levels) from the last actual before the policy
    period (``start``) to the first target."""
    values = {y: float(v) for y, v in target.values.items() if v is not None}
    if not values:
        return {}
    out = dict(values)
    first = min(values)
    base_years = [y for y in actual.index if y < min(first, start)]
    if base_years and target.kind in ("level", "count", "share"):
        b = max(base_years)
        base = float(actual[b])
        span = first - b
        for y in range(b + 1, first):
            frac = (y - b) / span
            if target.kind == "level" and base > 0 and values[first] > 0:
                out[y] = base * (values[first] / base) ** frac
            else:
                out[y] = base + (values[first] - base) * frac
    return {y: v for y, v in out.items() if y in years or y in values}


def _forecasts(target: Target, pkg: Package, actual: pd.Series, until: int,
               as_of: int | None) -> dict[int, Forecast]:
    goals = {y: float(v) for y, v in target.values.items() if v is not None}
    if target.id == "invention_patents_growth":
        return _growth_forecasts(invention_patents_held(pkg), goals, until, as_of)
    if target.kind == "level":
        return {f.year: f for f in forecast_series(actual, until, goals)}
    return {}


def _growth_forecasts(held: pd.Series, goals: dict[int, float], until: int,
                      as_of: int | None) -> dict[int, Forecast]:
    """Growth targets: forecast the level, read growth off it; the probability is that
    of the level reaching the path compounded at the target rate from the last actual."""
    if as_of is not None:
        held = held[held.index <= as_of]
    if held.empty:
        return {}
    last_year, last = int(held.index[-1]), float(held.iloc[-1])
    path, level = {}, last
    for y in range(last_year + 1, until + 1):
        level *= 1 + goals.get(y, 0.0)
        path[y] = level
    out: dict[int, Forecast] = {}
    prev = last
    for f in forecast_series(held, until, path):
        out[f.year] = Forecast(f.year, f.mean / prev - 1, f.lower / prev - 1, f.upper / prev - 1,
                               f.probability, f.method + "; growth read off the level")
        prev = f.mean
    return out


def monitor(pkg: Package, model: PolicyModel, year: int | None = None,
            rule: StatusRule | None = None) -> pd.DataFrame:
    """All KPI rows for every year of the data and of the plan.

    ``year`` evaluates as of the end of that year: data of later years is ignored,
    and the years after it are forecast.
    """
    rule = rule or StatusRule()
    start, end = model.period
    rows: list[KpiRow] = []
    for target in model.targets:
        fn = None if lacks_data(pkg, target.id) else ACTUALS.get(target.id)
        actual = fn(pkg, target, start) if fn else pd.Series(dtype=float)
        if year is not None:
            actual = actual[actual.index <= year]
        actual = actual.sort_index()
        rows.extend(_rows_for(target, pkg, actual, start, end, rule, year,
                               has_fn=fn is not None))
    return pd.DataFrame([asdict(r) for r in rows])


def _rows_for(target: Target, pkg: Package, actual: pd.Series, start: int, end: int,
              rule: StatusRule, as_of: int | None, *, has_fn: bool) -> list[KpiRow]:
    goals = {y: float(v) for y, v in target.values.items() if v is not None}
    observed = [int(y) for y in actual.index]
    years = sorted(set(observed) | set(target.values) | set(range(start, end + 1)))
    trajectory = _trajectory(target, actual, years, start)
    forecasts = _forecasts(target, pkg, actual, end, as_of) if has_fn else {}
    unit = UNIT_ZH.get(target.unit, target.unit)
    out = []
    for y in years:
        a = float(actual[y]) if y in actual.index else None
        goal = goals.get(y)
        fc = forecasts.get(y)
        status, reason = _judge(target, y, a, goal, trajectory.get(y), fc, rule, has_fn=has_fn)
        out.append(KpiRow(
            kpi=target.id, label=target.label_zh, year=y, target=goal, actual=a, unit=unit,
            status=status, status_zh=STATUS_ZH[status], reason=reason, clause=target.clause,
            comparison=target.comparison, trajectory=trajectory.get(y),
            forecast=fc.mean if fc else None, forecast_lower=fc.lower if fc else None,
            forecast_upper=fc.upper if fc else None, probability=fc.probability if fc else None,
            forecast_method=fc.method if fc else None,
        ))
    return out


def _judge(target: Target, year: int, actual: float | None, goal: float | None,
           trajectory: float | None, fc: Forecast | None, rule: StatusRule,
           *, has_fn: bool) -> tuple[str, str]:
    if not has_fn:
        return "no_data", "数据包中没有计算该指标所需的数据。"
    if not target.quantified:
        said = "提升" if target.comparison == "increase" else "一批"
        return "monitored", f"原文未给出数值（“{said}”），只跟踪监测，不判定达标。"
    if actual is not None and goal is not None:
        ok = rule.met(actual, goal, target.comparison)
        verdict = "达到" if ok else "未达到"
        return ("met" if ok else "missed"), f"{year}年实际{actual:.4g}，{verdict}目标{goal:.4g}。"
    if goal is not None and fc is not None and fc.probability is not None:
        st = rule.from_probability(fc.probability)
        return st, (f"预测{year}年为{fc.mean:.4g}（80%区间{fc.lower:.4g}–{fc.upper:.4g}），"
                    f"达到目标{goal:.4g}的概率约{fc.probability:.0%}。")
    if actual is not None and trajectory is not None:
        st = rule.from_trajectory(actual, trajectory)
        return st, f"{year}年实际{actual:.4g}，进度轨迹{trajectory:.4g}。"
    if goal is None and actual is not None:
        return "no_target", f"{year}年无目标值，实际{actual:.4g}。"
    return "no_data", "该年度暂无实际数据。"


def implied_growth(model: PolicyModel, pkg: Package) -> list[dict[str, Any]]:
    """The growth the industry-scale targets imply against the industry's own history."""
    target = model.target("industry_scale")
    start = model.period[0]
    actual = ACTUALS["industry_scale"](pkg, target, start).sort_index()
    goals = {y: float(v) for y, v in target.values.items() if v is not None}
    history = actual[actual.index < min(goals)]
    hist_growth = None
    if len(history) >= 2:
        n = int(history.index[-1] - history.index[0])
        hist_growth = (float(history.iloc[-1]) / float(history.iloc[0])) ** (1 / n) - 1
    out = []
    prev_year = int(history.index[-1]) if len(history) else None
    prev = float(history.iloc[-1]) if len(history) else None
    for y in sorted(goals):
        implied = goals[y] / prev - 1 if prev else None
        out.append({"year": y, "target": goals[y], "from_year": prev_year, "from_value": prev,
                    "implied_growth": implied, "historical_cagr": hist_growth})
        prev, prev_year = goals[y], y
    return out
