"""The overview: targets with actuals, the map by city, the enterprise ladder, money.

Actuals are computed simply from the data (sum of laser revenue per year, firm
counts above a size, growth of invention patents) until the monitoring module
provides its KPIs; targets, thresholds and clauses come from the policy model.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from laser_policy.contracts.cities import HUBEI_DIVISIONS
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData
from laser_policy.web.services.incentives import money_by_payer
from laser_policy.web.services.policy import PolicyInfo, TargetInfo

#: unit conversion (not a policy number): 1 亿元 = 10,000 万元
WAN_PER_YI = 10_000
#: display choice of the ladder: firms at or above this share of the lowest
#: revenue-milestone threshold are shown as "approaching"
LADDER_APPROACH_SHARE = 0.5
LADDER_MAX_ROWS = 30


def _yi(wan: float) -> float:
    return round(float(wan) / WAN_PER_YI, 2)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _visible(data: WebData, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    ents = scope.filter_enterprises(data.enterprises)
    ents = ents[ents["is_laser"].astype(bool)]
    fin = data.financials[data.financials["uscc"].isin(set(ents["uscc"]))]
    return ents, fin


def _target_actual(target: TargetInfo, fin: pd.DataFrame, year: int) -> float | None:
    """The actual of one target in one year from the financials; None when not derivable."""
    in_year = fin[fin["year"] == year]
    if in_year.empty:
        return None
    if target.id == "industry_scale":
        return _yi(in_year["laser_revenue_wan"].sum())
    if target.kind == "count" and target.threshold_wan is not None:
        return float((in_year["revenue_wan"] >= target.threshold_wan).sum())
    if target.id == "invention_patents_growth":
        before = fin[fin["year"] == year - 1]["invention_patents"].sum()
        now = in_year["invention_patents"].sum()
        return round(float(now / before - 1.0), 4) if before > 0 else None
    return None


def _status(
    target: TargetInfo,
    *,
    target_value: float | None,
    actual: float | None,
    year: int,
    latest: int | None,
    whole_province: bool,
) -> str:
    if latest is None or year > latest:
        return "future"
    if actual is None or target_value is None:
        return "no_data"
    if not whole_province:
        return "contribution"  # a city's or a firm's share is not judged against the province
    if target.comparison == "approx":
        return "met" if actual >= target_value * 0.95 else "behind"
    return "met" if actual >= target_value else "behind"


def _targets(
    policy: PolicyInfo | None,
    fin: pd.DataFrame,
    latest: int | None,
    lang: str,
    whole_province: bool,
) -> list[dict[str, Any]]:
    if policy is None:
        return []
    out = []
    for target in policy.targets:
        rows = []
        for year, value in sorted(target.values.items()):
            actual = _target_actual(target, fin, year)
            rows.append(
                {
                    "year": year,
                    "target": value,
                    "actual": actual,
                    "status": _status(
                        target,
                        target_value=value,
                        actual=actual,
                        year=year,
                        latest=latest,
                        whole_province=whole_province,
                    ),
                }
            )
        out.append(
            {
                "id": target.id,
                "label": target.label(lang),
                "clause": target.clause,
                "unit": target.unit,
                "kind": target.kind,
                "comparison": target.comparison,
                "years": rows,
                "latest": {
                    "year": latest,
                    "actual": _target_actual(target, fin, latest) if latest else None,
                },
            }
        )
    return out


def _scale_series(fin: pd.DataFrame, policy: PolicyInfo | None) -> dict[str, Any]:
    actual = fin.groupby("year")["laser_revenue_wan"].sum()
    target = policy.target("industry_scale") if policy else None
    years = sorted({int(y) for y in actual.index} | set(target.values if target else {}))
    return {
        "years": years,
        "actual_yi": [_yi(actual[y]) if y in actual.index else None for y in years],
        "target_yi": [target.values.get(y) if target else None for y in years],
        "clause": target.clause if target else None,
    }


def _map(ents: pd.DataFrame, fin: pd.DataFrame, latest: int | None) -> list[dict[str, Any]]:
    counts = ents.groupby("city").size()
    last = fin[fin["year"] == latest] if latest is not None else fin.iloc[0:0]
    by_city = (
        last.merge(ents[["uscc", "city"]], on="uscc").groupby("city")["laser_revenue_wan"].sum()
    )
    return [
        {
            "city": city,
            "enterprises": int(counts.get(city, 0)),
            "laser_revenue_yi": _yi(by_city.get(city, 0.0)),
        }
        for city in HUBEI_DIVISIONS
    ]


def _ladder(
    ents: pd.DataFrame, fin: pd.DataFrame, latest: int | None, policy: PolicyInfo | None
) -> dict[str, Any]:
    thresholds = sorted(policy.milestone_thresholds_wan) if policy else []
    if latest is None or not thresholds:
        return {"year": latest, "thresholds_yi": [_yi(t) for t in thresholds], "rows": []}
    last = fin[fin["year"] == latest][["uscc", "revenue_wan"]].dropna()
    last = last[last["revenue_wan"] >= thresholds[0] * LADDER_APPROACH_SHARE]
    last = last.merge(ents[["uscc", "name", "city"]], on="uscc")
    last = last.sort_values("revenue_wan", ascending=False).head(LADDER_MAX_ROWS)
    rows = []
    for rec in last.itertuples(index=False):
        revenue = float(rec.revenue_wan)  # type: ignore[arg-type]
        reached = [t for t in thresholds if revenue >= t]
        nxt = next((t for t in thresholds if revenue < t), None)
        rows.append(
            {
                "uscc": rec.uscc,
                "name": rec.name,
                "city": rec.city,
                "revenue_yi": _yi(revenue),
                "reached_yi": _yi(reached[-1]) if reached else None,
                "next_tier_yi": _yi(nxt) if nxt is not None else None,
                "gap_yi": _yi(nxt - revenue) if nxt is not None else None,
            }
        )
    return {
        "year": latest,
        "thresholds_yi": [_yi(t) for t in thresholds],
        "clause": policy.milestone_clause if policy else None,
        "rows": rows,
    }


def _scope_label(data: WebData, scope: Scope, lang: str) -> str:
    label = scope.label(lang)
    if scope.principal.uscc and not scope.sees_all_enterprises:
        names = data.enterprises.loc[data.enterprises["uscc"] == scope.principal.uscc, "name"]
        return str(names.iloc[0]) if len(names) else label
    return label


def overview(
    data: WebData,
    scope: Scope,
    policy: PolicyInfo | None,
    lang: str,
    *,
    entitlements: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Everything the overview page shows, for one scope."""
    ents, fin = _visible(data, scope)
    years = sorted(int(y) for y in fin["year"].dropna().unique())
    latest = years[-1] if years else None
    last = fin[fin["year"] == latest] if latest is not None else fin.iloc[0:0]
    patents = _num(last["invention_patents"].sum()) if not last.empty else None
    return {
        "scope": _scope_label(data, scope, lang),
        "synthetic": data.synthetic,
        "latest_year": latest,
        "kpis": {
            "enterprises": len(ents),
            "laser_revenue_yi": _yi(last["laser_revenue_wan"].sum()) if latest else None,
            "invention_patents": int(patents) if patents is not None else None,
        },
        "targets": _targets(policy, fin, latest, lang, scope.sees_all_enterprises),
        "scale": _scale_series(fin, policy),
        "map": _map(ents, fin, latest),
        "ladder": _ladder(ents, fin, latest, policy),
        "money": money_by_payer(entitlements, data, scope),
        "policy_version": policy.version if policy else None,
    }
