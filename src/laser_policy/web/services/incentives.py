"""Entitlements (``laser_policy.rules``) as the pages show them: per enterprise, by payer.

Computed once per data snapshot (the caller caches) over the whole package; scoping
happens afterwards, in ``Scope``, like everything else.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from laser_policy.errors import LaserPolicyError
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel


PROVINCE = "省级"
RULE_TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")


def compute(data: WebData, model: PolicyModel) -> pd.DataFrame | None:
    """The entitlements table, or None when the engine is absent or cannot run on the data."""
    try:
        from laser_policy.rules import compute_entitlements
    except ImportError:
        return None
    tables = {n: data.extra[n] for n in RULE_TABLES if n in data.extra}
    if "enterprises" not in tables or data.enterprises.empty:
        return None
    try:
        result: pd.DataFrame = compute_entitlements(tables, model)
    except LaserPolicyError:
        return None
    return result


def _num(value: Any) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(f) else f


def money_by_payer(
    entitlements: pd.DataFrame | None, data: WebData, scope: Scope
) -> dict[str, Any] | None:
    """Money due by payer (province, each city) over the enterprises the scope sees."""
    if entitlements is None:
        return None
    visible = scope.filter_enterprises(data.enterprises)[["uscc", "city"]]
    rows = entitlements[entitlements["uscc"].isin(set(visible["uscc"]))]
    rows = rows.merge(visible, on="uscc", how="left", suffixes=("_rule", ""))
    lines: list[dict[str, Any]] = []
    if scope.sees_payer("province"):
        lines.append({"payer": PROVINCE, "due_wan": round(_num(rows["province_wan"].sum()), 2)})
    by_city = rows.groupby("city")["city_wan"].sum()
    for city, amount in sorted(by_city.items(), key=lambda kv: -_num(kv[1])):
        if scope.sees_payer(str(city)) and _num(amount) > 0:
            lines.append({"payer": str(city), "due_wan": round(_num(amount), 2)})
    by_incentive = [
        {"incentive": str(k), "due_wan": round(_num(v), 2)}
        for k, v in rows.groupby("incentive")[scope.money_column].sum().items()
    ]
    awards = data.extra.get("awards")
    paid = 0.0
    if awards is not None and not awards.empty and "amount_wan" in awards:
        paid = _num(awards[awards["uscc"].isin(set(visible["uscc"]))]["amount_wan"].sum())
    return {
        "payers": lines,
        "incentives": by_incentive,
        "paid_wan": round(paid, 2),
        "due_wan": round(sum(line["due_wan"] for line in lines), 2),
    }


def for_enterprise(entitlements: pd.DataFrame | None, uscc: str) -> list[dict[str, Any]] | None:
    """One enterprise's entitlements with their explanations, newest first."""
    if entitlements is None:
        return None
    rows = entitlements[entitlements["uscc"] == uscc].sort_values(
        "year", ascending=False, kind="stable"
    )
    return [
        {
            "incentive": str(r.incentive),
            "year": int(_num(r.year)),
            "role": r.role or None,
            "amount_wan": _num(r.amount_wan),
            "province_wan": _num(r.province_wan),
            "city_wan": _num(r.city_wan),
            "clause": str(r.clause),
            "explanation": str(r.explanation),
        }
        for r in rows.itertuples(index=False)
    ]
