"""The sample has the shape the policy cares about: trajectory, milestones, weak links,
caps, special-fund projects and postings with their true matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from laser_policy.contracts.cities import HUBEI
from laser_policy.sample import write_sample
from laser_policy.sample.policy_inputs import policy_inputs


def _csv(package: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(package / f"{name}.csv", encoding="utf-8-sig")


def _industry(package: Path) -> pd.Series:
    fin = _csv(package, "financials")
    ent = _csv(package, "enterprises")
    laser = set(ent.loc[ent["is_laser"], "uscc"])
    return fin[fin["uscc"].isin(laser)].groupby("year")["laser_revenue_wan"].sum()


def _first_years(package: Path) -> pd.DataFrame:
    """Per laser firm and threshold, the years revenue was at or above it."""
    fin = _csv(package, "financials")
    ent = _csv(package, "enterprises")
    fin = fin[fin["uscc"].isin(set(ent.loc[ent["is_laser"], "uscc"]))]
    rows = []
    for t in policy_inputs().milestone_thresholds_wan:
        hit = fin[fin["revenue_wan"] >= t]
        first = hit.groupby("uscc")["year"].min()
        rows += [{"uscc": u, "threshold": t, "first": y} for u, y in first.items()]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("enterprises", [60, 300, 3000])
def test_industry_total_is_near_the_trajectory_whatever_the_size(
    tmp_path: Path, enterprises: int, package: Path
) -> None:
    out = package if enterprises == 300 else tmp_path / "p"
    if out != package:
        write_sample(out, enterprises=enterprises, transactions=0, seed=11)
    total = _industry(out)
    for year, target in policy_inputs().industry_targets_wan.items():
        assert abs(total[year] / target - 1) <= 0.15, (year, total[year], target)
        assert total[year] != target  # near it, not on it
    assert total.is_monotonic_increasing


def test_milestone_cases_exist(package: Path) -> None:
    inputs = policy_inputs()
    start = inputs.milestone_window[0]
    first = _first_years(package)
    lo, mid, hi = inputs.milestone_thresholds_wan
    # every tier is reached by someone, in different years
    assert set(first["threshold"]) == {lo, mid, hi}
    assert first.loc[first["threshold"] == lo, "first"].nunique() >= 3
    # one firm jumps two tiers in one year inside the window
    same = first.pivot(index="uscc", columns="threshold", values="first")
    assert ((same[lo] == same[mid]) & (same[lo] >= start)).any()
    # one crossed the lowest tier before the window
    assert (same[lo] < start).any()
    # one dips below the lowest tier after reaching it, then reaches it again
    fin = _csv(package, "financials").pivot(index="uscc", columns="year", values="revenue_wan")
    reached = fin.ge(lo)
    dipped = reached.cummax(axis=1) & ~reached
    again = reached & dipped.shift(1, axis=1, fill_value=False).cummax(axis=1)
    assert (dipped.any(axis=1) & again.any(axis=1)).any()


def test_2024_milestone_award_is_in_the_ledger(package: Path) -> None:
    inputs = policy_inputs()
    first = _first_years(package)
    start = inputs.milestone_window[0]
    lowest = inputs.milestone_thresholds_wan[0]
    crossed = first[(first["first"] == start) & (first["threshold"] == lowest)]
    awards = _csv(package, "awards")
    paid = awards[awards["incentive"] == "revenue_milestone"]
    assert set(paid["uscc"]) == set(crossed["uscc"])
    assert (paid["amount_wan"] == inputs.milestone_amounts_wan[0]).all()
    assert (paid["year"] == start).all()


def test_non_laser_firms_have_no_laser_revenue(package: Path) -> None:
    ent = _csv(package, "enterprises")
    fin = _csv(package, "financials")
    assert (~ent["is_laser"]).sum() >= 2
    users = fin[fin["uscc"].isin(set(ent.loc[~ent["is_laser"], "uscc"]))]
    assert (users["laser_revenue_wan"] == 0).all()
    assert (fin["laser_revenue_wan"] <= fin["revenue_wan"]).all()


def test_patents_grow_ten_to_twenty_percent_a_year(package: Path) -> None:
    fin = _csv(package, "financials")
    firms = fin.groupby("uscc")["year"].min()
    old = set(firms[firms == firms.min()].index)  # firms present every year
    total = fin[fin["uscc"].isin(old)].groupby("year")["invention_patents"].sum()
    growth = total.pct_change().dropna()
    assert growth.between(0.08, 0.22).all(), growth


def test_caps_are_exercised(package: Path, truth: dict[str, Any]) -> None:
    inputs = policy_inputs()
    products = _csv(package, "products")
    over = products["unit_price_wan"] * inputs.first_set_rate > inputs.first_set_cap_wan
    assert over.sum() >= 2
    assert products["user_uscc"].isna().any()
    assert (products["unit_price_wan"].isna() & products["rd_cost_wan"].notna()).any()
    assert set(products["catalog"]) == {"first_set_equipment", "first_batch_material"}
    platforms = _csv(package, "platforms")
    at_cap = platforms["external_service_revenue_wan"] * inputs.platform_rate
    assert (at_cap == inputs.platform_cap_wan).any()
    assert truth["platform_at_cap"]


def test_projects_cover_named_major_projects_and_every_fund_channel(
    package: Path, truth: dict[str, Any]
) -> None:
    projects = _csv(package, "projects")
    names = set(projects.loc[projects["kind"] == "major", "name"])
    assert {p["name"] for p in truth["named_major_projects"]} <= names
    funds = projects[projects["kind"] == "special_fund"]
    per = funds.groupby(["channel", "year"]).size()
    inputs = policy_inputs()
    assert set(funds["channel"]) == set(inputs.special_fund_channels)
    about = inputs.projects_per_channel_per_year
    assert per.between(about - 1, about + 1).all()
    assert len(per) == len(inputs.special_fund_channels) * 3
    assert (projects["kind"] == "innovation_source").sum() >= 6


def test_weak_segments_are_bought_outside_hubei(package: Path, truth: dict[str, Any]) -> None:
    glob = str(package / "transactions" / "**" / "*.parquet")
    rate = duckdb.sql(f"""
        select segment,
               sum(case when supplier_province = '{HUBEI}' then amount_wan else 0 end)
                 / sum(amount_wan) as local_rate
        from read_parquet('{glob}', hive_partitioning=true) group by segment
    """).df().set_index("segment")["local_rate"]
    weak = rate.reindex(truth["weak_segments"])
    strong = rate.reindex([s.code for s in policy_inputs().segments if s.strength == "strong"])
    assert weak.max() < strong.min()
    assert weak.mean() < 0.35
    assert strong.mean() > 0.65


def test_attraction_targets_are_the_biggest_outside_suppliers(
    package: Path, truth: dict[str, Any]
) -> None:
    glob = str(package / "transactions" / "**" / "*.parquet")
    top = duckdb.sql(f"""
        select segment, supplier_name, sum(amount_wan) as amount
        from read_parquet('{glob}', hive_partitioning=true)
        where supplier_province <> '{HUBEI}' group by 1, 2
    """).df()
    assert set(truth["attraction_targets"]) == set(truth["weak_segments"])
    for segment, names in truth["attraction_targets"].items():
        ranked = top[top["segment"] == segment].sort_values("amount", ascending=False)
        assert names == ranked["supplier_name"].head(len(names)).tolist()
        assert len(names) == 3


def test_transactions_are_partitioned_by_year(package: Path, small: dict[str, int]) -> None:
    parts = sorted(p.relative_to(package).as_posix()
                   for p in (package / "transactions").rglob("*.parquet"))
    assert {p.split("/")[1] for p in parts} == {f"year={y}" for y in range(2022, 2027)}
    assert any(p.endswith("part-1.parquet") for p in parts)  # chunked
    glob = str(package / "transactions" / "**" / "*.parquet")
    n, bad = duckdb.sql(f"""select count(*), count(*) filter (where year(date) <> year)
                            from read_parquet('{glob}', hive_partitioning=true)""").fetchall()[0]
    assert (n, bad) == (small["transactions"], 0)


def test_every_demand_has_relevant_offers(package: Path, truth: dict[str, Any]) -> None:
    demands = _csv(package, "demands").set_index("id")
    offers = _csv(package, "offers").set_index("id")
    assert len(truth["matches"]) == len(demands)
    for m in truth["matches"]:
        assert m["offer_ids"]
        segment = demands.loc[m["demand_id"], "segment"]
        assert (offers.loc[m["offer_ids"], "segment"] == segment).all()
    # natural, varied wording
    assert demands["text"].nunique() > 0.9 * len(demands)
    assert demands["text"].str.contains("[\u4e00-\u9fff]").all()
    assert offers["title"].nunique() > 10
