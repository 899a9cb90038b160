"""Funds and guarantees of measure 十八.

* :func:`fund_deployment`: what each fund of ``funds.yaml`` invested in laser firms,
  against its size where the text gives one (the share is of the fund's size, not a
  target: the text earmarks no amount for laser firms);
* :func:`deployment_by`: the same by purpose, city or chain segment;
* :func:`guarantee_summary`: guarantees to laser firms by year of their start — count,
  amount, defaults (担保结果 代偿) and the default rate (defaults / guarantees);
* the targets ``related_industries_scale`` and ``attracted_firms`` read these tables too,
  through the actuals they declare in ``targets.yaml`` (:mod:`.actuals`).

Each takes an optional ``cities`` scope (a city sees its own firms only) and an
optional ``year`` (data up to the end of that year).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Any

import pandas as pd

from laser_policy.contracts.tables import DEFAULT_OUTCOME
from laser_policy.io import Package
from laser_policy.policy.model import PolicyModel
from laser_policy.policy.records import Target

WAN_PER_YI = 10_000  # unit conversion (万元 → 亿元), not a policy number
BY = {"purpose": "投向", "city": "市州", "segment": "产业链环节"}


def _table(pkg: Package, name: str) -> pd.DataFrame:
    return pkg.get(name) if name in pkg else pd.DataFrame()


def _laser_firms(pkg: Package) -> pd.DataFrame:
    ent = pkg.get("enterprises")
    if "is_laser" in ent.columns and len(ent):
        ent = ent[ent["is_laser"].fillna(True).astype(bool)]
    return ent


def investments(pkg: Package, cities: Collection[str] | None = None,
                year: int | None = None) -> pd.DataFrame:
    """Fund investments with the investee's name and city (from the register when the
    row gives none) and the year; scoped to ``cities`` and to years up to ``year``."""
    inv = _table(pkg, "fund_investments")
    if inv.empty:
        return pd.DataFrame(columns=["investment_id", "fund", "uscc", "name", "amount_wan",
                                     "date", "year", "purpose", "city", "segment"])
    ent = pkg.get("enterprises")[["uscc", "name", "city", "segments"]].rename(
        columns={"city": "ent_city"})
    out = inv.merge(ent, on="uscc", how="left")
    out["city"] = out["city"].where(out["city"].notna(), out["ent_city"])
    first = out["segments"].astype(object).where(out["segments"].notna(), "").astype(str)
    out["segment"] = out["segment"].where(out["segment"].notna(),
                                          first.str.split(";").str[0].replace("", None))
    out["year"] = pd.to_datetime(out["date"]).dt.year.astype(int)
    if cities is not None:
        out = out[out["city"].isin(set(cities))]
    if year is not None:
        out = out[out["year"] <= year]
    return out.drop(columns=["ent_city", "segments"]).reset_index(drop=True)


def fund_deployment(pkg: Package, model: PolicyModel, cities: Collection[str] | None = None,
                    year: int | None = None) -> pd.DataFrame:
    """One row per fund of the model: investments, firms, amount (万元), size and share."""
    inv = investments(pkg, cities, year)
    rows = []
    for fund in model.funds:
        mine = inv[inv["fund"] == fund.id]
        size_wan = None
        if fund.size is not None:
            size_wan = float(fund.size.value) * (
                WAN_PER_YI if fund.size.unit == "currency-CNY-yi" else 1.0)
        amount = float(mine["amount_wan"].sum())
        rows.append({
            "fund": fund.id, "name": fund.name_zh, "clause": fund.clause,
            "investments": len(mine), "firms": int(mine["uscc"].nunique()),
            "amount_wan": amount, "size_wan": size_wan,
            "share_of_size": amount / size_wan if size_wan else None,
        })
    return pd.DataFrame(rows)


def deployment_by(pkg: Package, model: PolicyModel, by: str,
                  cities: Collection[str] | None = None, year: int | None = None
                  ) -> pd.DataFrame:
    """Amount (万元) and number of investments by ``by`` (purpose, city or segment)."""
    if by not in BY:
        raise ValueError(f"by must be one of {sorted(BY)}")
    inv = investments(pkg, cities, year)
    names: dict[str, str] = dict(model.fund_purposes) if by == "purpose" else {}
    if by == "segment":
        names = {s.code: s.name_zh for s in model.chain.segments}
    key = inv[by].astype(object).where(inv[by].notna(), "")
    grouped = (inv.assign(key=key).groupby("key", sort=False)
               .agg(amount_wan=("amount_wan", "sum"), investments=("investment_id", "count"))
               .reset_index().sort_values(["amount_wan", "key"], ascending=[False, True]))
    grouped.insert(1, "label", [names.get(k, k) or "未填" for k in grouped["key"]])
    return grouped.rename(columns={"key": by}).reset_index(drop=True)


def guarantees(pkg: Package, cities: Collection[str] | None = None,
               year: int | None = None) -> pd.DataFrame:
    """Guarantees to laser firms (the register's 激光企业), with firm name, city, year."""
    g = _table(pkg, "guarantees")
    if g.empty:
        return pd.DataFrame(columns=["guarantee_id", "uscc", "name", "city", "guarantor", "bank",
                                     "amount_wan", "start_date", "end_date", "outcome", "year"])
    laser = _laser_firms(pkg)[["uscc", "name", "city"]]
    out = g.merge(laser, on="uscc", how="inner")
    out["year"] = pd.to_datetime(out["start_date"]).dt.year.astype(int)
    if cities is not None:
        out = out[out["city"].isin(set(cities))]
    if year is not None:
        out = out[out["year"] <= year]
    return out.sort_values(["start_date", "guarantee_id"]).reset_index(drop=True)


def guarantee_summary(pkg: Package, cities: Collection[str] | None = None,
                      year: int | None = None) -> pd.DataFrame:
    """By year of start and a total row (year None): count, amount, defaults, rate."""
    g = guarantees(pkg, cities, year)
    rows: list[dict[str, Any]] = []
    for y, part in [*g.groupby("year"), (None, g)]:
        n = len(part)
        defaults = int((part["outcome"] == DEFAULT_OUTCOME).sum())
        rows.append({"year": None if y is None else int(str(y)), "count": n,
                     "firms": int(part["uscc"].nunique()),
                     "amount_wan": float(part["amount_wan"].sum()), "defaults": defaults,
                     "default_amount_wan": float(
                         part.loc[part["outcome"] == DEFAULT_OUTCOME, "amount_wan"].sum()),
                     "default_rate": defaults / n if n else None})
    return pd.DataFrame(rows)


def attracted_list(pkg: Package, cities: Collection[str] | None = None,
                   year: int | None = None) -> pd.DataFrame:
    att = _table(pkg, "attracted_firms")
    if att.empty:
        return pd.DataFrame(columns=["name", "segment", "date", "city", "origin", "year"])
    att = att.assign(year=pd.to_datetime(att["date"]).dt.year.astype(int))
    if cities is not None:
        att = att[att["city"].isin(set(cities))]
    if year is not None:
        att = att[att["year"] <= year]
    return att.sort_values(["date", "name"]).reset_index(drop=True)


FundActual = Callable[[Package, Target, int], pd.Series]
#: the targets whose actuals these tables give (hooked into ``actuals.ACTUALS``)
def funds_report(pkg: Package, model: PolicyModel, cities: Collection[str] | None = None,
                 year: int | None = None) -> dict[str, Any]:
    """Everything above as plain records (the CLI's and the web page's JSON)."""
    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [{str(k): (None if isinstance(v, float) and math.isnan(v) else v)
                 for k, v in row.items()} for row in frame.to_dict("records")]

    return {
        "funds": records(fund_deployment(pkg, model, cities, year)),
        "by_purpose": records(deployment_by(pkg, model, "purpose", cities, year)),
        "by_city": records(deployment_by(pkg, model, "city", cities, year)),
        "by_segment": records(deployment_by(pkg, model, "segment", cities, year)),
        "guarantees": records(guarantee_summary(pkg, cities, year)),
        "attracted_firms": len(attracted_list(pkg, cities, year)),
    }


def has_fund_data(pkg: Package) -> bool:
    return any(name in pkg and not pkg.get(name).empty
               for name in ("fund_investments", "guarantees"))
