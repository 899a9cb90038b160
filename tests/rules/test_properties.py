"""Properties that hold for any panel: exact splits, caps, never paying twice, 晋档补差 in total."""

from __future__ import annotations

from decimal import Decimal

import ibis
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.rules.formulas import tier_amount, tier_reached
from laser_policy.rules.parameters import parameters_from_model

MODEL = load_policy()
PARAMS = parameters_from_model(MODEL, 2025)


def random_panel(seed: int, firms: int = 60) -> dict[str, pd.DataFrame]:
    """A panel whose values crowd around every threshold and cap, with a partial ledger."""
    rng = np.random.default_rng(seed)
    rm = PARAMS.revenue_milestone
    ids = [f"E{i:04d}" for i in range(firms)]
    years = list(range(rm.window_start_year - 2, rm.window_end_year + 2))
    points = np.array([0.0, *rm.thresholds_wan])
    fin = pd.DataFrame(
        [(u, y) for u in ids for y in years if rng.random() < 0.8], columns=["uscc", "year"]
    )
    near = points[rng.integers(0, len(points), len(fin))]
    fin["revenue_wan"] = np.maximum(near + rng.choice([-0.01, 0.0, 0.01, -5e4, 3e4], len(fin)), 0)
    cap_base = PARAMS.first_set.cap_wan / PARAMS.first_set.rate
    products = pd.DataFrame(
        {
            "product_id": [f"P{i}" for i in range(firms)],
            "developer_uscc": rng.choice(ids, firms),
            "user_uscc": [u if rng.random() < 0.6 else None for u in rng.choice(ids, firms)],
            "catalog": "first_set_equipment",
            "catalog_level": rng.choice(["national", "provincial", "municipal"], firms),
            "year": rng.choice(years, firms),
            "unit_price_wan": [
                v if rng.random() < 0.7 else None for v in rng.random(firms) * 2 * cap_base
            ],
            "rd_cost_wan": rng.random(firms) * cap_base,
        }
    )
    platforms = pd.DataFrame(
        {
            "platform_id": [f"F{i % 20}" for i in range(firms)],
            "operator_uscc": [ids[i % 20] for i in range(firms)],
            "level": rng.choice(["national", "provincial", "municipal"], firms),
            "year": [years[i // 20 % len(years)] for i in range(firms)],
            "external_service_revenue_wan": rng.random(firms)
            * 2
            * PARAMS.service_platform.cap_wan
            / PARAMS.service_platform.rate,
        }
    )
    projects = pd.DataFrame(
        {
            "project_id": [f"J{i}" for i in range(firms)],
            "name": "策源地项目（示例）",
            "uscc": rng.choice(ids, firms),
            "kind": rng.choice(["innovation_source", "major"], firms),
            "year": rng.choice(years, firms),
            "investment_wan": rng.random(firms)
            * 2
            * PARAMS.innovation_source.cap_wan
            / PARAMS.innovation_source.rate,
        }
    )
    awards = pd.DataFrame(
        {
            "uscc": rng.choice(ids, 10),
            "incentive": "revenue_milestone",
            "year": rm.window_start_year,
            "amount_wan": rng.choice(rm.amounts_wan, 10),
        }
    )
    enterprises = pd.DataFrame(
        {
            "uscc": ids,
            "name": [f"{u}（示例）" for u in ids],
            "city": rng.choice(["武汉市", "黄石市", "襄阳市"], firms),
        }
    )
    return {
        "enterprises": enterprises,
        "financials": fin,
        "products": products,
        "platforms": platforms,
        "projects": projects,
        "awards": awards,
    }


def _as_awards(out: pd.DataFrame) -> pd.DataFrame:
    return out[["uscc", "incentive", "year", "amount_wan", "ref"]].copy()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_any_panel_splits_exactly_respects_caps_and_never_pays_twice(seed: int) -> None:
    tables = random_panel(seed)
    con = ibis.duckdb.connect()
    out = compute_entitlements(tables, MODEL, con=con)
    assert len(out) > 0

    # money: positive, 2 decimals, province + city == amount exactly (as written out)
    for amount, province, city in out[["amount_wan", "province_wan", "city_wan"]].itertuples(
        index=False
    ):
        assert amount > 0
        assert Decimal(str(province)) + Decimal(str(city)) == Decimal(str(amount))
        assert Decimal(str(amount)).as_tuple().exponent >= -2

    # caps: both sides of a product together, a platform-year, a project
    first_set = out[out.incentive == "first_set"].groupby("ref")["amount_wan"].sum()
    assert (first_set <= PARAMS.first_set.cap_wan + 1e-9).all()
    platform = out[out.incentive == "service_platform"].groupby(["ref", "year"])["amount_wan"].sum()
    assert (platform <= PARAMS.service_platform.cap_wan + 1e-9).all()
    project = out[out.incentive == "innovation_source"].groupby("ref")["amount_wan"].sum()
    assert (project <= PARAMS.innovation_source.cap_wan + 1e-9).all()
    assert (
        out.groupby(["uscc", "incentive", "year", "ref", "role"], dropna=False).size() == 1
    ).all()

    # 晋档补差 in total: top tier reached in the window, less the pre-window tier and the ledger
    rm = PARAMS.revenue_milestone
    fin = tables["financials"]
    fin = fin[fin.year <= rm.window_end_year].assign(
        tier=lambda f: tier_reached(f.revenue_wan.to_numpy(), rm.thresholds_wan)
    )
    top = fin.groupby("uscc")["tier"].max()
    before = fin[fin.year < rm.window_start_year].groupby("uscc")["tier"].max()
    before = before.reindex(top.index, fill_value=0)
    ledger = tables["awards"].groupby("uscc")["amount_wan"].sum().reindex(top.index, fill_value=0)
    expected = np.maximum(
        tier_amount(top.to_numpy(), rm.amounts_wan)
        - tier_amount(before.to_numpy(), rm.amounts_wan)
        - ledger.to_numpy(),
        0,
    )
    got = out[out.incentive == "revenue_milestone"].groupby("uscc")["amount_wan"].sum()
    got = got.reindex(top.index, fill_value=0)
    np.testing.assert_allclose(got.to_numpy(), expected, atol=1e-9)

    # paying everything listed and computing again leaves nothing due
    tables["awards"] = pd.concat([tables["awards"], _as_awards(out)], ignore_index=True)
    again = compute_entitlements(tables, MODEL, con=con)
    assert again.empty, again[["uscc", "incentive", "year", "ref", "amount_wan"]]


def test_asking_for_one_year_lists_exactly_that_years_rows_of_the_full_computation() -> None:
    tables = random_panel(11)
    con = ibis.duckdb.connect()
    full = compute_entitlements(tables, MODEL, con=con, year=2025)
    everything = compute_entitlements(
        tables, MODEL, con=con, params=parameters_from_model(MODEL, 2025)
    )
    expected = everything[everything.year == 2025].reset_index(drop=True)
    pd.testing.assert_frame_equal(full, expected)
