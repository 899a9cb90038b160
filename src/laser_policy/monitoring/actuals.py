"""Actual values of a policy's targets, computed from a data package.

A target declares how its actual is computed (``targets.yaml`` ``actual:``, read into
:class:`~laser_policy.policy.records.Actual`); this module holds the kinds
(:mod:`.kinds` lists them) and knows no target by id. Each kind returns a Series
indexed by year. A target without ``actual`` (its data table does not exist yet, e.g.
related industries) has none and is reported as "no data".
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from laser_policy.io import Package
from laser_policy.policy.model import PolicyModel
from laser_policy.policy.records import Actual, Target
from laser_policy.policy.region import Region

WAN_PER_YI = 10_000  # unit conversion (万元 → 亿元), not a policy number

Compute = Callable[[Package, "Context"], pd.Series]


class Context:
    """What a kind needs besides the data: the target, its actual, the policy period's
    first year and the region."""

    def __init__(self, target: Target, actual: Actual, start: int, region: Region | None):
        self.target, self.actual, self.start, self.region = target, actual, start, region


def actual_series(pkg: Package, model: PolicyModel, target: Target) -> pd.Series | None:
    """The target's actual by year, or None when there is nothing to compute it from: the
    target declares no actual, or the package has no rows in the table it reads."""
    if target.actual is None:
        return None
    table = target.actual.table
    if table is not None and (table not in pkg or pkg.get(table).empty):
        return None
    ctx = Context(target, target.actual, model.period[0], model.region)
    return KIND_FUNCTIONS[target.actual.kind](pkg, ctx)


def level_series(pkg: Package, model: PolicyModel, target: Target) -> pd.Series | None:
    """For a ``growth`` target: the level whose growth it is (for forecasting the level)."""
    if target.actual is None or target.actual.kind != "growth":
        return None
    ctx = Context(target, target.actual, model.period[0], model.region)
    return _summed(pkg, ctx, min_count=1).dropna().astype(float)


# -- rows and firms a target counts ------------------------------------------------------
def _rows(pkg: Package, ctx: Context) -> pd.DataFrame:
    """The rows of the actual's table: its firms (laser only, in the region) and filters."""
    a = ctx.actual
    assert a.table is not None  # the loader requires a table for every kind that reads one
    frame = pkg.get(a.table)
    if (a.laser_only or a.in_region) and len(frame):
        frame = frame[~frame["uscc"].isin(_excluded_firms(pkg, ctx))]
    for col, value in a.where.items():
        frame = frame[frame[col].astype(str) == value]
    for col, text in a.contains.items():
        frame = frame[frame[col].astype(str).str.contains(text, regex=False)]
    return frame


def _excluded_firms(pkg: Package, ctx: Context) -> pd.Series:
    """The firms not counted: marked not laser (a missing mark counts as laser), or of
    another province than the region's (a missing province counts as the region's)."""
    ent = pkg.get("enterprises")
    drop = pd.Series(False, index=ent.index)
    if ctx.actual.laser_only and "is_laser" in ent.columns:
        drop |= ~ent["is_laser"].fillna(True).astype(bool)
    if ctx.actual.in_region and ctx.region is not None and "province" in ent.columns:
        prov = ent["province"]
        names = ctx.region.province_names
        drop |= ~(prov.isna() | prov.astype(str).str.strip().isin([*names, ""]))
    return ent.loc[drop, "uscc"]


def _years(pkg: Package) -> list[int]:
    fin = pkg.get("financials")
    return sorted(int(y) for y in fin["year"].dropna().unique()) if len(fin) else []


def _summed(pkg: Package, ctx: Context, *, min_count: int = 0) -> pd.Series:
    rows = _rows(pkg, ctx)
    col = ctx.actual.column
    if col is None or col not in rows.columns:
        return pd.Series(dtype=float)
    return rows.groupby("year")[col].sum(min_count=min_count)


# -- the kinds ---------------------------------------------------------------------------
def sum_of(pkg: Package, ctx: Context) -> pd.Series:
    """Sum of a column by year; money in 万元 shown in 亿元 when the target is in 亿元."""
    s = _summed(pkg, ctx)
    if ctx.target.unit == "currency-CNY-yi":
        s = s / WAN_PER_YI
    return s.astype(float)


def growth(pkg: Package, ctx: Context) -> pd.Series:
    """Year-on-year growth of the sum of a column."""
    held = _summed(pkg, ctx, min_count=1).dropna().astype(float).sort_index()
    return held.pct_change().dropna()


def count_at_least(pkg: Package, ctx: Context) -> pd.Series:
    """Firms whose column reaches the target's threshold (亿元 thresholds on 万元 columns)."""
    th = ctx.target.threshold
    assert th is not None  # the loader requires it for this kind
    value = float(th.value) * (WAN_PER_YI if th.unit == "currency-CNY-yi" else 1)
    rows = _rows(pkg, ctx)
    return rows.assign(hit=rows[ctx.actual.column] >= value).groupby("year")["hit"].sum().astype(
        float
    )


def count_since_start(pkg: Package, ctx: Context) -> pd.Series:
    """Firms whose date column falls from the policy period's start to each year."""
    rows = _rows(pkg, ctx)
    years = _years(pkg)
    col = ctx.actual.column
    if col not in rows.columns or not years:
        return pd.Series(dtype=float)
    dated = pd.to_datetime(rows[col], errors="coerce").dt.year.dropna().astype(int)
    start = ctx.start
    return pd.Series(
        {y: float(((dated >= start) & (dated <= y)).sum()) for y in years if y >= start}
    )


def count_qualified(pkg: Package, ctx: Context) -> pd.Series:
    """Distinct firms holding the qualification, first recognised up to each year."""
    years = _years(pkg)
    if pkg.get(ctx.actual.table or "").empty or not years:
        return pd.Series(dtype=float)
    q = _rows(pkg, ctx)
    firsts = q.groupby("uscc")["year"].min()
    return pd.Series({y: float((firsts <= y).sum()) for y in years})


def share(pkg: Package, ctx: Context) -> pd.Series:
    """Share of the rows with ``among`` true that have ``column`` true, by year."""
    rows = _rows(pkg, ctx)
    col, among = ctx.actual.column, ctx.actual.among
    if among is None or col is None or among not in rows.columns or col not in rows.columns:
        return pd.Series(dtype=float)
    chosen = rows[rows[among].fillna(False).astype(bool)]
    if chosen.empty:
        return pd.Series(dtype=float)
    return chosen.groupby("year")[col].apply(lambda s: float(s.fillna(False).astype(bool).mean()))


def fewest_per_group(pkg: Package, ctx: Context) -> pd.Series:
    """The fewest rows of any group (e.g. projects of any one fund channel), by year."""
    frame = pkg.get(ctx.actual.table or "")
    if frame.empty:
        return pd.Series(dtype=float)
    rows = _rows(pkg, ctx)
    if rows.empty:
        return pd.Series(dtype=float)
    counts = rows.groupby(["year", ctx.actual.group]).size().unstack(fill_value=0)
    return counts.min(axis=1).astype(float)


def local_supply_rate(pkg: Package, ctx: Context) -> pd.Series:
    """Share of the region's laser firms' purchases bought from suppliers in its province,
    by year (the chain analysis's totals, measure 八), from the transactions the package
    offers (read from files or from the store alike; never read again from ``pkg.source``)."""
    if "transactions" not in pkg or ctx.region is None:
        return pd.Series(dtype=float)
    from laser_policy.chain.source import package_chain_data  # Ibis: imported when needed
    from laser_policy.chain.supply import local_supply

    rows = local_supply(package_chain_data(pkg, ctx.region))
    totals = rows[rows["segment"].isna() & rows["city"].isna() & rows["year"].notna()]
    return pd.Series(totals["local_rate"].to_numpy(dtype=float),
                     index=totals["year"].astype(int).to_numpy())


def sum_whole_or_parts(pkg: Package, ctx: Context) -> pd.Series:
    """Sum of ``column`` by year: the rows whose ``part`` is empty (the whole, e.g. a
    province-wide figure) where a year has them, else the sum of the parts (its cities)."""
    a = ctx.actual
    frame = pkg.get(a.table or "")
    column, part = a.column or "", a.part or ""
    if frame.empty or column not in frame.columns or part not in frame.columns:
        return pd.Series(dtype=float)
    whole = frame[part].isna() | (frame[part].astype(str).str.strip() == "")
    values: dict[int, float] = {}
    for rows in (frame[~whole], frame[whole]):  # a year's whole replaces its parts' sum
        sums = rows.groupby("year")[column].sum()
        values.update({int(str(y)): float(v) for y, v in sums.items()})
    return pd.Series(dict(sorted(values.items())), dtype=float)


def special_fund_by_channel(pkg: Package) -> pd.DataFrame:
    p = pkg.get("projects")
    sf = p[p["kind"] == "special_fund"] if not p.empty else p
    return sf.groupby(["year", "channel"]).size().rename("projects").reset_index()


KIND_FUNCTIONS: dict[str, Compute] = {
    "sum": sum_of,
    "growth": growth,
    "count_at_least": count_at_least,
    "count_since_start": count_since_start,
    "count_qualified": count_qualified,
    "share": share,
    "fewest_per_group": fewest_per_group,
    "local_supply_rate": local_supply_rate,
    "sum_whole_or_parts": sum_whole_or_parts,
}
