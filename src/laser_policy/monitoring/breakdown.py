"""Where the industry-scale gap comes from: by city, chain segment and the firms that weigh most."""

from __future__ import annotations

import pandas as pd

from laser_policy.io import Package
from laser_policy.monitoring.actuals import WAN_PER_YI

TOP_FIRMS = 10


def _panel(pkg: Package, year: int) -> pd.DataFrame:
    fin = pkg.get("financials")
    ent = pkg.get("enterprises")[["uscc", "name", "city", "segments"]]
    cur = fin[fin["year"] == year][["uscc", "laser_revenue_wan"]]
    prev = fin[fin["year"] == year - 1][["uscc", "laser_revenue_wan"]]
    panel = cur.merge(prev, on="uscc", how="outer", suffixes=("", "_prev")).fillna(
        {"laser_revenue_wan": 0.0, "laser_revenue_wan_prev": 0.0})
    panel = panel.merge(ent, on="uscc", how="left")
    panel["segment"] = panel["segments"].fillna("").astype(str).str.split(";").str[0]
    panel.loc[panel["segment"] == "", "segment"] = "未分类"
    panel["change_wan"] = panel["laser_revenue_wan"] - panel["laser_revenue_wan_prev"]
    return panel


def breakdown(pkg: Package, year: int, target_yi: float | None) -> dict[str, object]:
    """Laser revenue of ``year`` against the previous year and the target, by group."""
    panel = _panel(pkg, year)
    total = float(panel["laser_revenue_wan"].sum()) / WAN_PER_YI
    gap = None if target_yi is None else target_yi - total

    def group(col: str) -> list[dict[str, object]]:
        g = panel.groupby(col, dropna=False).agg(
            actual_wan=("laser_revenue_wan", "sum"),
            previous_wan=("laser_revenue_wan_prev", "sum"),
            firms=("uscc", "nunique"),
        ).reset_index()
        g["actual_yi"] = g["actual_wan"] / WAN_PER_YI
        g["change_yi"] = (g["actual_wan"] - g["previous_wan"]) / WAN_PER_YI
        g["share"] = g["actual_wan"] / max(float(g["actual_wan"].sum()), 1e-12)
        g = g.rename(columns={col: "group"}).sort_values("actual_yi", ascending=False)
        return g[["group", "firms", "actual_yi", "change_yi", "share"]].to_dict("records")  # type: ignore[return-value]

    firms = panel.assign(
        actual_yi=panel["laser_revenue_wan"] / WAN_PER_YI,
        change_yi=panel["change_wan"] / WAN_PER_YI,
    )
    drags = firms.sort_values("change_yi").head(TOP_FIRMS)
    movers = firms.sort_values("change_yi", ascending=False).head(TOP_FIRMS)
    cols = ["uscc", "name", "city", "segment", "actual_yi", "change_yi"]
    return {
        "year": year,
        "actual_yi": total,
        "target_yi": target_yi,
        "gap_yi": gap,
        "by_city": group("city"),
        "by_segment": group("segment"),
        "top_growth_firms": movers[cols].to_dict("records"),
        "top_decline_firms": drags[cols].to_dict("records"),
    }
