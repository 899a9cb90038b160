"""Actual values of the policy's targets, computed from a data package.

One function per target id of the policy model's ``targets.yaml``; each returns a
Series indexed by year. Targets without data in the package have no function and
are reported as "no data"; those of the fund tables are in ``monitoring.funds``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from laser_policy.io import Package
from laser_policy.monitoring.funds import FUND_ACTUALS
from laser_policy.policy.records import Target

WAN_PER_YI = 10_000  # unit conversion (万元 → 亿元), not a policy number

Actual = Callable[[Package, Target, int], pd.Series]
"""(package, target, first year of the policy period) -> values by year"""


def _laser_financials(pkg: Package) -> pd.DataFrame:
    fin = pkg.get("financials")
    ent = pkg.get("enterprises")
    if "is_laser" in ent.columns and len(ent):
        laser = ent.loc[ent["is_laser"].fillna(True).astype(bool), "uscc"]
        fin = fin[fin["uscc"].isin(laser)]
    return fin


def industry_scale(pkg: Package, target: Target, start: int) -> pd.Series:
    """Sum of laser business revenue (亿元) by year."""
    fin = _laser_financials(pkg)
    s = fin.groupby("year")["laser_revenue_wan"].sum() / WAN_PER_YI
    return s.astype(float)


def invention_patents_held(pkg: Package) -> pd.Series:
    fin = _laser_financials(pkg)
    if "invention_patents" not in fin.columns:
        return pd.Series(dtype=float)
    return fin.groupby("year")["invention_patents"].sum(min_count=1).dropna().astype(float)


def invention_patents_growth(pkg: Package, target: Target, start: int) -> pd.Series:
    """Year-on-year growth of laser invention patents held."""
    held = invention_patents_held(pkg).sort_index()
    return held.pct_change().dropna()


def firms_over_threshold(pkg: Package, target: Target, start: int) -> pd.Series:
    """Number of enterprises whose revenue reaches the target's threshold, by year."""
    if target.threshold is None:
        return pd.Series(dtype=float)
    threshold_wan = float(target.threshold.value) * WAN_PER_YI
    fin = pkg.get("financials")
    return (fin.assign(hit=fin["revenue_wan"] >= threshold_wan)
            .groupby("year")["hit"].sum().astype(float))


def new_listings(pkg: Package, target: Target, start: int) -> pd.Series:
    """Listings since the start of the policy period, cumulative by year."""
    ent = pkg.get("enterprises")
    years = _years(pkg)
    if "listed_on" not in ent.columns or not years:
        return pd.Series(dtype=float)
    listed = pd.to_datetime(ent["listed_on"], errors="coerce").dt.year.dropna().astype(int)
    return pd.Series({y: float(((listed >= start) & (listed <= y)).sum()) for y in years
                      if y >= start})


def little_giants(pkg: Package, target: Target, start: int) -> pd.Series:
    """National 专精特新“小巨人” enterprises recognised up to each year (distinct firms)."""
    q = pkg.get("qualifications")
    years = _years(pkg)
    if q.empty or not years:
        return pd.Series(dtype=float)
    mask = q["kind"].astype(str).str.contains("小巨人") & (q["level"].astype(str) == "国家级")
    firsts = q[mask].groupby("uscc")["year"].min()
    return pd.Series({y: float((firsts <= y).sum()) for y in years})


def rd_institution_coverage(pkg: Package, target: Target, start: int) -> pd.Series:
    """Share of above-scale (规上) laser enterprises with an R&D institution."""
    fin = _laser_financials(pkg)
    if "above_scale" not in fin.columns or "has_rd_institution" not in fin.columns:
        return pd.Series(dtype=float)
    above = fin[fin["above_scale"].fillna(False).astype(bool)]
    if above.empty:
        return pd.Series(dtype=float)
    return above.groupby("year")["has_rd_institution"].apply(
        lambda s: float(s.fillna(False).astype(bool).mean())
    )


def special_fund_projects(pkg: Package, target: Target, start: int) -> pd.Series:
    """Fewest projects any one provincial fund channel supported, by year."""
    p = pkg.get("projects")
    if p.empty:
        return pd.Series(dtype=float)
    sf = p[p["kind"] == "special_fund"]
    if sf.empty:
        return pd.Series(dtype=float)
    counts = sf.groupby(["year", "channel"]).size().unstack(fill_value=0)
    return counts.min(axis=1).astype(float)


def special_fund_by_channel(pkg: Package) -> pd.DataFrame:
    p = pkg.get("projects")
    sf = p[p["kind"] == "special_fund"] if not p.empty else p
    return sf.groupby(["year", "channel"]).size().rename("projects").reset_index()


def local_supply_rate(pkg: Package, target: Target, start: int) -> pd.Series:
    """Share of Hubei laser firms' purchases bought from Hubei suppliers, by year
    (the chain analysis's totals, measure 八), from the transactions the package offers
    (read from files or from the store alike; never read again from ``pkg.source``)."""
    if "transactions" not in pkg:
        return pd.Series(dtype=float)
    from laser_policy.chain.source import package_chain_data  # Ibis: imported when needed
    from laser_policy.chain.supply import local_supply

    rows = local_supply(package_chain_data(pkg))
    totals = rows[rows["segment"].isna() & rows["city"].isna() & rows["year"].notna()]
    return pd.Series(totals["local_rate"].to_numpy(dtype=float),
                     index=totals["year"].astype(int).to_numpy())


def _years(pkg: Package) -> list[int]:
    fin = pkg.get("financials")
    return sorted(int(y) for y in fin["year"].dropna().unique()) if len(fin) else []


ACTUALS: dict[str, Actual] = {
    "industry_scale": industry_scale,
    "invention_patents_growth": invention_patents_growth,
    "firms_revenue_over_200yi": firms_over_threshold,
    "firms_revenue_over_100yi": firms_over_threshold,
    "firms_revenue_over_50yi": firms_over_threshold,
    "new_listings": new_listings,
    "little_giants": little_giants,
    "rd_institution_coverage": rd_institution_coverage,
    "special_fund_projects": special_fund_projects,
    "local_supply_rate": local_supply_rate,
    # related industries' output and attracted firms (monitoring.funds)
    **FUND_ACTUALS,
}
