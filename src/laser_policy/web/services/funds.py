"""基金与担保 Funds and guarantees: what the funds of 十八 invested and the guarantees to
laser firms (``monitoring.funds``), in the caller's scope — a city sees its own firms, an
enterprise its own rows; the related industries' output is a statistic everyone sees."""

from __future__ import annotations

from typing import Any

import pandas as pd

from laser_policy.io.package import Package
from laser_policy.monitoring.actuals import actual_series
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData

FIRM_TABLES = ("fund_investments", "guarantees")


def _scoped(pkg: Package, scope: Scope) -> Package:
    """The package with only the firms (and attracted firms) the caller may see."""
    if scope.sees_all_enterprises:
        return pkg
    tables = dict(pkg.tables)
    ent = pkg.get("enterprises")
    visible = set(scope.filter_located(ent)["uscc"]) if len(ent) else set()
    tables["enterprises"] = ent[ent["uscc"].isin(visible)]
    for name in FIRM_TABLES:
        if name in tables:
            tables[name] = tables[name][tables[name]["uscc"].isin(visible)]
    if "attracted_firms" in tables:
        att = tables["attracted_firms"]
        city = scope.principal.city if scope.role.value == "city" else None
        tables["attracted_firms"] = att[att["city"] == city] if city else att.iloc[0:0]
    return Package(source=pkg.source, tables=tables)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    out = []
    for row in frame[columns].to_dict("records"):
        item: dict[str, Any] = {}
        for k, v in row.items():
            if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
                item[str(k)] = None
            elif hasattr(v, "isoformat"):
                item[str(k)] = v.date().isoformat() if hasattr(v, "date") else v.isoformat()
            elif hasattr(v, "item") and not isinstance(v, str):
                item[str(k)] = v.item()
            else:
                item[str(k)] = v
        out.append(item)
    return out


def funds_page(data: WebData, scope: Scope) -> dict[str, Any]:
    """Deployment per fund, by purpose, city and segment; guarantees with default rate;
    the investments and guarantees listed; attracted firms; related industries' output."""
    from laser_policy.monitoring import funds
    from laser_policy.policy.model import load_policy

    model = load_policy()
    full = data.package()
    pkg = _scoped(full, scope)
    report = funds.funds_report(pkg, model)
    inv = funds.investments(pkg)
    names = dict(model.fund_purposes)
    fund_names = {f.id: f.name_zh for f in model.funds}
    inv = inv.assign(fund_zh=inv["fund"].map(fund_names),
                     purpose_zh=inv["purpose"].map(names)).sort_values(
        ["date", "investment_id"], ascending=[False, True])
    g = funds.guarantees(pkg)
    related = actual_series(full, model, model.target("related_industries_scale"))
    if related is None:
        related = pd.Series(dtype=float)
    report.update({
        "investments": _records(inv, ["investment_id", "fund", "fund_zh", "name", "uscc",
                                      "amount_wan", "date", "purpose", "purpose_zh", "city",
                                      "segment"]),
        "guarantee_items": _records(g, ["guarantee_id", "name", "uscc", "city", "guarantor",
                                        "bank", "amount_wan", "start_date", "end_date",
                                        "outcome"]),
        "attracted": _records(funds.attracted_list(pkg),
                              ["name", "segment", "date", "city", "origin"]),
        "related_output": [{"year": int(str(y)), "output_yi": float(v)}
                           for y, v in related.items()],
        "scope": scope.key,
    })
    return report
