"""An amendment in force from a later date changes that year's entitlements, not earlier ones."""

from __future__ import annotations

from typing import Any

import pandas as pd

from laser_policy.ledger.replay import recorded_parameters
from laser_policy.ledger.service import run_parameters
from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.rules.compute import engine_schedule
from laser_policy.rules.inputs import prepare
from laser_policy.rules.parameters import parameter_schedule, parameters_from_model

from .incentive_packages import make_uscc

A, B = make_uscc(1), make_uscc(2)


def _tables() -> dict[str, pd.DataFrame]:
    return {
        "enterprises": pd.DataFrame({"uscc": [A, B], "name": ["甲（示例）", "乙（示例）"],
                                     "city": ["武汉市", "襄阳市"]}),
        "financials": pd.DataFrame({
            "uscc": [A, A, A, B, B, B], "year": [2024, 2025, 2026] * 2,
            # A reaches the first tier in 2025, B in 2026
            "revenue_wan": [100_000.0, 600_000.0, 600_000.0, 100_000.0, 200_000.0, 700_000.0],
        }),
        "products": pd.DataFrame({
            "product_id": ["P1", "P2"], "developer_uscc": [A, B], "user_uscc": [None, None],
            "catalog": ["first_set_equipment"] * 2, "catalog_level": ["national"] * 2,
            "year": [2025, 2026], "unit_price_wan": [1000.0, 1000.0], "rd_cost_wan": [None, None],
        }),
    }


def _amended() -> tuple[Any, list[float], list[float], float]:
    """The packaged model with two values amended from 2026-01-01 (the rest untouched)."""
    model = load_policy()
    first = model.parameter("revenue_milestone.amounts_wan").values[0][0].isoformat()
    old_amounts = model.parameter("revenue_milestone.amounts_wan").at(2025)
    new_amounts = [a + 100 for a in old_amounts]
    old_rate = model.parameter("first_set.rate").at(2025)
    return model.with_overrides({
        "revenue_milestone.amounts_wan": {first: old_amounts, "2026-01-01": new_amounts},
        "first_set.rate": {first: old_rate, "2026-01-01": old_rate + 0.05},
    }), old_amounts, new_amounts, old_rate


def _amount(table: pd.DataFrame, incentive: str, uscc: str) -> float:
    rows = table[(table["incentive"] == incentive) & (table["uscc"] == uscc)]
    assert len(rows) == 1, rows
    return float(rows["amount_wan"].iloc[0])


def test_each_year_is_computed_with_the_parameters_in_force_that_year() -> None:
    model, old_amounts, new_amounts, old_rate = _amended()
    table = compute_entitlements(_tables(), model)
    assert _amount(table, "revenue_milestone", A) == old_amounts[0]  # crossed in 2025
    assert _amount(table, "revenue_milestone", B) == new_amounts[0]  # crossed in 2026
    assert _amount(table, "first_set", A) == round(1000.0 * old_rate, 2)
    assert _amount(table, "first_set", B) == round(1000.0 * (old_rate + 0.05), 2)
    b_first_set = table[(table["incentive"] == "first_set") & (table["uscc"] == B)]
    assert f"按{round((old_rate + 0.05) * 100)}%计" in b_first_set["explanation"].iloc[0]
    # same order as a single-parameter computation: by incentive, enterprise, year
    assert list(table["incentive"]) == sorted(table["incentive"], key=[
        "revenue_milestone", "first_set", "service_platform", "innovation_source"].index)


def test_one_year_asked_for_uses_that_years_parameters() -> None:
    model, _, new_amounts, _ = _amended()
    table = compute_entitlements(_tables(), model, year=2026)
    assert set(table["year"]) == {2026}
    assert _amount(table, "revenue_milestone", B) == new_amounts[0]


def test_years_with_the_same_numbers_are_computed_together() -> None:
    model, *_ = _amended()
    schedule = engine_schedule(prepare(_tables()), model, None)
    groups = schedule.groups()
    assert [years for _, years in groups] == [(2024, 2025), (2026,)]
    plain = parameter_schedule(load_policy(), [2024, 2025, 2026])
    assert [years for _, years in plain.groups()] == [(2024, 2025, 2026)]


def test_years_before_the_policy_have_no_parameters_and_nothing_is_due() -> None:
    tables = _tables()
    tables["financials"] = tables["financials"].assign(year=lambda f: f["year"] - 4)
    tables["products"] = tables["products"].assign(year=lambda f: f["year"] - 4)
    table = compute_entitlements(tables, load_policy())
    assert table.empty
    assert "explanation" in table.columns


def test_a_run_records_every_years_parameters_and_replays_with_them() -> None:
    model, *_ = _amended()
    schedule = engine_schedule(prepare(_tables()), model, None)
    doc = run_parameters(schedule)
    assert set(doc["incentive_parameters_by_year"]) == {"2024", "2025", "2026"}
    assert recorded_parameters(doc, schedule.rules_version) == schedule
    # runs recorded before parameters were kept per year still replay with their one set
    single = parameters_from_model(model, 2025)
    assert recorded_parameters({"incentive_parameters": run_parameters(
        parameter_schedule(model, [2025]))["incentive_parameters"]}, "x") == single


def test_a_run_recorded_before_incentives_were_declared_still_replays() -> None:
    """Runs recorded by the engine of the four built-in rules hold one object of numbers per
    incentive id; they are rebuilt with the packaged model's declarations."""
    model = load_policy()
    now = parameters_from_model(model, 2025)
    legacy: dict[str, object] = {
        "year": 2025, "rules_version": "hubei-laser-2024/2024-07-22+old",
        "doc_number": model.doc_number,
    }
    for rule in now.incentives:
        legacy[rule.id] = {
            **{role: list(v) if isinstance(v, tuple) else v for role, v in rule.values},
            "province_share": rule.province_share, "clause": rule.clause,
        }
    legacy["first_set"]["cap_wan"] = 800  # type: ignore[index]
    legacy["service_platform"]["levels"] = ["national"]  # type: ignore[index]
    rebuilt = recorded_parameters({"incentive_parameters": legacy}, "old")
    assert rebuilt.first_set.cap_wan == 800
    assert rebuilt.service_platform.levels == ("national",)
    assert rebuilt.service_platform.eligible[0].values == ("national",)
    assert rebuilt.revenue_milestone == now.revenue_milestone
