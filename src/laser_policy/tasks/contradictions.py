"""Reported "done" against the data: a small declarative table of contradiction rules.

Each :class:`Contradiction` names a measure (its numeral), a check and what the check
looks for, in Chinese. A check reads the data package and the policy model for the
period's year and returns one Chinese sentence per piece of evidence that the measure
is *not* done (an empty list when the data agrees or does not cover that year). Every
number a check compares with comes from the policy model. To add a rule, write a
check and add a row to :data:`CONTRADICTIONS`.

Checks are made only where the data covers the period's year; a report of "done"
with no data to test it is not contradicted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from laser_policy.io import Package
from laser_policy.policy.model import PolicyModel
from laser_policy.tasks.schedule import Period

WAN_PER_YI = 10_000  # unit conversion 万元 → 亿元, not a policy number
#: how many firms a reason names before "等N家"
NAMED_FIRMS = 5

Check = Callable[[Package, PolicyModel, Period], list[str]]


@dataclass(frozen=True)
class Contradiction:
    measure: str
    check: Check
    rule_zh: str
    rule_en: str


def _names(pkg: Package) -> dict[str, str]:
    ent = pkg.get("enterprises")
    return dict(zip(ent["uscc"].astype(str), ent["name"].astype(str), strict=True))


def _laser(pkg: Package) -> pd.DataFrame:
    fin = pkg.get("financials")
    ent = pkg.get("enterprises")
    if len(ent) and "is_laser" in ent.columns:
        laser = ent.loc[ent["is_laser"].fillna(True).astype(bool), "uscc"]
        fin = fin[fin["uscc"].isin(laser)]
    return fin


def _yi(wan: float) -> str:
    return f"{wan / WAN_PER_YI:,.4g}亿元"


def _listed(items: list[str]) -> str:
    shown = "、".join(items[:NAMED_FIRMS])
    return shown + (f"等{len(items)}家" if len(items) > NAMED_FIRMS else "")


# -- 十八: revenue-milestone rewards ------------------------------------------------------
def unpaid_revenue_milestones(pkg: Package, model: PolicyModel, period: Period) -> list[str]:
    """Firms that reached a revenue tier by the period's year and are still owed its reward.

    With the incentive engine (``laser_policy.rules.compute``) present, its entitlements
    (money still due after the ``awards`` ledger) are the evidence; otherwise the tiers are
    read here from ``financials`` and compared with ``awards``.
    """
    try:
        from laser_policy.rules.compute import compute_entitlements
    except ImportError:
        return _unpaid_from_awards(pkg, model, period)
    due = compute_entitlements(pkg.tables, model)
    due = due[(due["incentive"] == "revenue_milestone") & (due["year"] <= period.year)
              & (due["amount_wan"] > 0)]
    return [f"{r['name']}（{r['uscc']}）{int(r['year'])}年应享营收突破奖励"
            f"{float(r['amount_wan']):,.6g}万元尚未兑现：{r['explanation']}"
            for r in due.to_dict("records")]


def _unpaid_from_awards(pkg: Package, model: PolicyModel, period: Period) -> list[str]:
    year = period.year
    par = {n: model.parameter(f"revenue_milestone.{n}") for n in (
        "thresholds_wan", "amounts_wan", "threshold_inclusive", "window_start_year",
        "window_end_year", "pre_window_crossings")}
    thresholds = np.asarray(par["thresholds_wan"].numbers_at(year), dtype=float)
    amounts = par["amounts_wan"].numbers_at(year)
    start, end = par["window_start_year"].int_at(year), par["window_end_year"].int_at(year)
    fin = _laser(pkg)
    fin = fin[fin["year"] <= year][["uscc", "year", "revenue_wan"]].dropna()
    if par["pre_window_crossings"].str_at(year) == "ignore":
        fin = fin[fin["year"] >= start]
    if fin.empty:
        return []
    rev = fin["revenue_wan"].to_numpy(dtype=float)[:, None]
    hit = rev >= thresholds if par["threshold_inclusive"].bool_at(year) else rev > thresholds
    fin = fin.assign(tier=hit.sum(axis=1)).sort_values(["uscc", "year"])
    prior = fin.groupby("uscc")["tier"].cummax().groupby(fin["uscc"]).shift(fill_value=0)
    new = fin[(fin["tier"] > prior) & fin["year"].between(start, end)]
    if new.empty:
        return []
    best = new.sort_values(["tier", "year"]).groupby("uscc").tail(1)
    awards = pkg.get("awards")
    paid = (awards[awards["incentive"] == "revenue_milestone"].groupby("uscc")["amount_wan"]
            .sum())
    names = _names(pkg)
    out = []
    for r in best.sort_values(["year", "uscc"]).to_dict("records"):
        uscc, tier = str(r["uscc"]), int(r["tier"])
        owed, got = float(amounts[tier - 1]), float(paid.get(uscc, 0.0))
        if got < owed:
            out.append(f"{names.get(uscc, '')}（{uscc}）{int(r['year'])}年营业收入"
                       f"{_yi(float(r['revenue_wan']))}，达到{_yi(float(thresholds[tier - 1]))}"
                       f"档，应获营收突破奖励{owed:,.6g}万元，已兑现{got:,.6g}万元")
    return out


# -- 一: R&D institutions in every above-scale firm -------------------------------------
def rd_coverage_short(pkg: Package, model: PolicyModel, period: Period) -> list[str]:
    """Above-scale laser firms without an R&D institution in the period's year."""
    target = model.target("rd_institution_coverage")
    goals = [float(v) for v in target.values.values() if v is not None]
    if not goals:
        return []
    goal = max(goals)
    fin = _laser(pkg)
    if fin.empty or "above_scale" not in fin.columns:
        return []
    above = fin[(fin["year"] == period.year) & fin["above_scale"].fillna(False).astype(bool)]
    if above.empty:
        return []
    has = above["has_rd_institution"].fillna(False).astype(bool)
    coverage = float(has.mean())
    if coverage >= goal:
        return []
    names = _names(pkg)
    lacking = [names.get(str(u), str(u)) for u in above.loc[~has, "uscc"]]
    return [(f"{period.year}年规上激光企业研发机构覆盖率{coverage:.1%}，未达{target.label_zh}"
             f"目标{goal:.0%}；未建研发机构：{_listed(lacking)}")]


# -- 十七: about three projects a year from each provincial fund --------------------------
def fund_channels_short(pkg: Package, model: PolicyModel, period: Period) -> list[str]:
    """Provincial fund channels that supported fewer projects than the yearly number."""
    year = period.year
    channels = model.parameter("special_fund.channels").strings_at(year)
    per = model.parameter("special_fund.projects_per_channel_per_year").int_at(year)
    p = pkg.get("projects")
    sf = p[(p["kind"] == "special_fund") & (p["year"] == year)] if len(p) else p
    if sf.empty:
        return []
    counts = sf.groupby("channel").size()
    return [f"{ch}{year}年支持激光项目{int(counts.get(ch, 0))}项，少于每年{per}项左右"
            for ch in channels if int(counts.get(ch, 0)) < per]


CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction("十八", unpaid_revenue_milestones,
                  "报告已完成，但有企业营收突破门槛而奖励未兑现",
                  "reported done while a firm that crossed a revenue tier is still owed its "
                  "reward"),
    Contradiction("一", rd_coverage_short,
                  "报告已完成，但规上激光企业研发机构未全覆盖",
                  "reported done while R&D-institution coverage of above-scale firms is short"),
    Contradiction("十七", fund_channels_short,
                  "报告已完成，但有省级资金渠道支持项目数少于目标",
                  "reported done while a fund channel supported fewer projects than the target"),
)


def contradictions_for(measure: str) -> tuple[Contradiction, ...]:
    return tuple(c for c in CONTRADICTIONS if c.measure == measure)
