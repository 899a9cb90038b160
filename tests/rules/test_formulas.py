"""The vector helpers and number formatting do what their doctests say, on NumPy and Ibis alike."""

from __future__ import annotations

import doctest

import ibis
import numpy as np
import pandas as pd
import pytest

from laser_policy.rules import explain, explain_columns, formulas


@pytest.mark.parametrize("module", [formulas, explain], ids=lambda m: m.__name__)
def test_doctests_pass(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


def test_tiers_and_caps_agree_between_numpy_and_ibis() -> None:
    values = np.array([0.0, 499_999.99, 500_000.0, 500_000.01, 1_999_999.0, 2_000_000.0, 9e6])
    thresholds = [500_000.0, 1_000_000.0, 2_000_000.0]
    amounts = [200.0, 500.0, 1000.0]
    t = ibis.memtable(pd.DataFrame({"v": values}))
    for inclusive in (True, False):
        expr = t.mutate(
            tier=formulas.tier_reached(t.v, thresholds, inclusive=inclusive),
            capped=formulas.capped_rate(t.v, 0.001, 1000.0),
        )
        expr = expr.mutate(amount=formulas.tier_amount(expr.tier, amounts))
        got = ibis.duckdb.connect().execute(expr)
        tiers = formulas.tier_reached(values, thresholds, inclusive=inclusive)
        np.testing.assert_array_equal(got["tier"].to_numpy(), tiers)
        np.testing.assert_array_equal(
            got["amount"].to_numpy(), formulas.tier_amount(tiers, amounts)
        )
        np.testing.assert_array_equal(
            got["capped"].to_numpy(), formulas.capped_rate(values, 0.001, 1000.0)
        )


def test_split_always_adds_up_and_never_goes_negative() -> None:
    rng = np.random.default_rng(7)
    cents = rng.integers(0, 10**9, size=10_000)
    shares = rng.random(10_000)
    province, city = formulas.split_cents(cents, shares)
    assert (province + city == cents).all()
    assert (province >= 0).all()
    assert (city >= 0).all()


def test_counts_read_as_whole_numbers_when_an_engine_returns_them_as_floats() -> None:
    tier = pd.Series([3.0, np.nan])
    values = explain_columns.python_values(tier, as_int=True)
    assert values == [3, None]
    assert isinstance(values[0], int)
    assert explain_columns.python_values(pd.Series([2025.0]), as_int=True) == [2025]
