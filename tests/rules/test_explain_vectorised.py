"""The column-wise ``finalize`` gives exactly what the row-by-row one gave, row for row.

``_explain_reference`` is a frozen copy of ``rules/explain.py`` as it was before
the sentences and steps were built column-wise (one dict and one f-string per
row). It is the oracle here: same columns, dtypes, order, explanation strings
and steps (compared by ``repr``, so 1 and 1.0 or True and 1 differ) for the
engine's output on synthetic sample packages, on every YAML policy case, on
panels crowding every threshold and cap, and on Hypothesis-made engine rows
reaching edges the engine rarely produces.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laser_policy.cli.incentives import TABLES
from laser_policy.io import read_package
from laser_policy.policy.model import load_policy
from laser_policy.rules import explain
from laser_policy.rules.compute import execute_rows, latest_year
from laser_policy.rules.inputs import prepare
from laser_policy.rules.parameters import IncentiveParameters, parameters_from_model
from laser_policy.sample import write_sample
from policy_cases.policy_casebook import all_cases, case_batches

from . import _explain_reference as reference
from .test_properties import random_panel

MODEL = load_policy()
PARAMS = parameters_from_model(MODEL, 2025)


def assert_same(raw: pd.DataFrame, params: IncentiveParameters) -> None:
    """Old and new ``finalize`` agree exactly, with and without steps, and leave ``raw`` alone."""
    before = raw.copy()
    for with_steps in (False, True):
        want = reference.finalize(raw, params, with_steps=with_steps)
        got = explain.finalize(raw, params, with_steps=with_steps)
        assert list(got.columns) == list(want.columns)
        assert got.dtypes.to_dict() == want.dtypes.to_dict()
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        for column in ("explanation", "uscc", "ref", "role", "name", "clause"):
            assert repr(got[column].tolist()) == repr(want[column].tolist()), column
        if with_steps:
            assert repr(got["steps"].tolist()) == repr(want["steps"].tolist())
    pd.testing.assert_frame_equal(raw, before, check_exact=True)


def engine_raw(tables: dict[str, pd.DataFrame], params: IncentiveParameters,
               year: int | None = None, con: Any = None) -> pd.DataFrame:
    """The executed engine result ``finalize`` receives (as ``compute_entitlements`` runs it)."""
    years = None if year is None else (year,)
    return execute_rows(prepare(tables), params, years, con=con)


# ------------------------------------------------------------------ engine output


@pytest.mark.parametrize("seed", [1, 5])
def test_sample_packages_are_explained_as_before(tmp_path: Path, seed: int) -> None:
    write_sample(tmp_path / "pkg", enterprises=400, transactions=0, seed=seed)
    tables = dict(read_package(tmp_path / "pkg", tables=TABLES).tables)
    params = parameters_from_model(MODEL, latest_year(prepare(dict(tables))))
    raw = engine_raw(tables, params)
    assert len(raw) > 20
    assert set(raw["incentive"]) >= {"revenue_milestone", "first_set"}
    assert_same(raw, params)


@pytest.mark.parametrize("seed", [3, 11])
def test_panels_crowding_thresholds_and_caps_are_explained_as_before(seed: int) -> None:
    raw = engine_raw(random_panel(seed), PARAMS)
    assert raw["capped"].eq(True).any()
    assert_same(raw, PARAMS)


@pytest.mark.spark
def test_spark_results_are_explained_as_before(spark_con: Any) -> None:
    """Spark hands back its own column types; the sentences and steps are still the same."""
    raw = engine_raw(random_panel(3), PARAMS, con=spark_con)
    assert len(raw) > 20
    assert_same(raw, PARAMS)


def test_every_policy_case_is_explained_as_before() -> None:
    """The YAML cases, batched as the casebook batches them (cases sharing overrides and year)."""
    for batch in case_batches(all_cases()):
        tables = batch.tables
        when = batch.year if batch.year is not None else latest_year(prepare(dict(tables)))
        params = parameters_from_model(batch.model, when)
        assert_same(engine_raw(tables, params, batch.year), params)


def test_nothing_due_gives_the_same_empty_table() -> None:
    raw = engine_raw(random_panel(3), PARAMS)
    assert_same(raw.iloc[0:0], PARAMS)
    assert_same(raw.assign(paid_ledger_wan=1e9), PARAMS)


def test_an_unknown_incentive_fails_as_before() -> None:
    raw = engine_raw(random_panel(3), PARAMS)
    raw.loc[raw.index[0], "incentive"] = "mystery"
    with pytest.raises(KeyError):
        reference.finalize(raw, PARAMS)
    with pytest.raises(KeyError):
        explain.finalize(raw, PARAMS)


# --------------------------------------------------------- edge rows, Hypothesis

#: amounts where formatting is delicate: decimal ties, exact 亿, huge, tiny, negative
AWKWARD = [
    0.0, 0.004, 0.005, 0.015, 1.005, 2.675, 0.125, 185.175, 999.995, 1000.0, 6666.0,
    499999.0, 499999.99, 500000.0, 623000.0, 623000.5, 1234567.8912, 99999999.995,
    1e9 - 0.005, 1e9, 1e9 + 0.25, 3e10, 1e11 + 1, 1e12 + 0.5, 1e15, -0.0, -0.001, -12.5,
]
money_wan = st.one_of(
    st.sampled_from(AWKWARD),
    st.floats(0, 2e4, allow_nan=False),
    st.integers(0, 10**7).map(lambda c: c / 100),
    st.floats(0, 1e13, allow_nan=False),
)
paid_wan = st.one_of(st.just(0.0), st.sampled_from([200.0, 0.01, 12.345]), money_wan)
text = st.text(alphabet=st.sampled_from(list("AZaz09光纤激光-_（）「」 {}")), max_size=8)
maybe_text = st.one_of(st.none(), st.just(""), text)
shares = st.one_of(st.sampled_from([1.0, 0.5, 0.0, 0.3333333333333333, 0.125]),
                   st.floats(0, 1, allow_nan=False))
ITEM_KINDS = ["first_set_equipment", "first_batch_material", "innovation_source", None, "", "x"]
LEVELS = ["national", "provincial", "municipal", None]


@st.composite
def engine_row(draw: st.DrawFn) -> dict[str, Any]:
    """One row as the engine hands it back (only shapes the old code could explain)."""
    incentive = draw(st.sampled_from(
        ["revenue_milestone", "first_set", "service_platform", "innovation_source"]
    ))
    gross = draw(money_wan)
    row: dict[str, Any] = {
        "uscc": draw(st.sampled_from(["A", "B", "企业C", "a"])),
        "incentive": incentive,
        "year": draw(st.integers(2019, 2031)),
        "role": None, "ref": None, "item_name": None, "item_kind": None, "level": None,
        "base_wan": draw(money_wan), "rate": math.nan, "gross_wan": gross, "cap_wan": math.nan,
        "capped": None, "total_wan": gross, "tier": math.nan, "threshold_wan": math.nan,
        "jumped_tiers": math.nan, "side_share": math.nan, "entitled_wan": gross,
        "baseline_wan": draw(paid_wan), "paid_before_wan": draw(paid_wan),
        "paid_ledger_wan": draw(paid_wan), "province_share": draw(shares),
        "clause": draw(st.sampled_from(["十七", "十八", "十九", "二十"])),
        "name": draw(text), "city": draw(st.one_of(maybe_text, st.just("武汉市"))),
    }
    if incentive == "revenue_milestone":
        row["base_kind"] = "revenue"
        tier = draw(st.integers(1, 4))
        row["tier"] = float(tier)
        row["threshold_wan"] = draw(st.one_of(st.sampled_from([5e5, 1e6, 2e6, 1e6 + 0.5]),
                                              money_wan))
        row["jumped_tiers"] = float(draw(st.integers(1, tier)))
        return row
    capped = draw(st.booleans())
    row.update({
        "ref": draw(st.one_of(text.filter(bool), st.just("P1"))),
        "item_name": draw(maybe_text),
        "rate": draw(st.sampled_from([0.15, 0.1, 0.05, 0.3, 0.125, 0.333])),
        "cap_wan": draw(st.one_of(st.sampled_from([1000.0, 500.0, 2000.0]), money_wan)),
        "capped": capped,
    })
    if incentive == "first_set":
        side = draw(shares.filter(lambda s: s > 0))
        row.update({
            "role": draw(st.sampled_from(["developer", "user"])) if side < 1 else "developer",
            "item_kind": draw(st.sampled_from(ITEM_KINDS)),
            "level": draw(st.sampled_from(LEVELS)),
            "base_kind": draw(st.sampled_from(["unit_price", "rd_cost"])),
            "side_share": side,
            "entitled_wan": gross * side,
        })
    elif incentive == "service_platform":
        row["level"] = draw(st.sampled_from(LEVELS))
        row["base_kind"] = "external_service_revenue"
    else:
        row.update({"item_kind": "innovation_source", "base_kind": "investment"})
    return row


RAW_DTYPES = {
    "year": "int64", "capped": "object",
    **dict.fromkeys(
        ("base_wan", "rate", "gross_wan", "cap_wan", "total_wan", "tier", "threshold_wan",
         "jumped_tiers", "side_share", "entitled_wan", "baseline_wan", "paid_before_wan",
         "paid_ledger_wan", "province_share"),
        "float64",
    ),
}


def raw_frame(rows: list[dict[str, Any]], texts: str) -> pd.DataFrame:
    """Rows typed as DuckDB returns them (``texts="str"``) or as plain objects (``"object"``)."""
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else list(RAW_DTYPES))
    for column in frame.columns:
        frame[column] = frame[column].astype(RAW_DTYPES.get(column, texts))
    frame["due_wan"] = frame["entitled_wan"]
    return frame


PARAMS_BY_INCLUSIVE = {
    inclusive: parameters_from_model(
        MODEL.with_overrides({"revenue_milestone.threshold_inclusive": inclusive}), 2025
    )
    for inclusive in (True, False)
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(engine_row(), min_size=1, max_size=25),
       texts=st.sampled_from(["str", "object"]), inclusive=st.booleans())
def test_edge_rows_are_explained_as_before(
    rows: list[dict[str, Any]], texts: str, inclusive: bool
) -> None:
    assert_same(raw_frame(rows, texts), PARAMS_BY_INCLUSIVE[inclusive])


def test_engines_handing_back_counts_as_floats_or_years_as_int32_change_nothing() -> None:
    raw = engine_raw(random_panel(11), PARAMS)
    assert_same(raw.astype({"year": "int32"}), PARAMS)
    assert_same(raw.astype({"year": "float64"}), PARAMS)
    assert_same(raw.astype({"capped": "float64", "role": "object", "city": "object"}), PARAMS)


def test_column_helpers_match_the_clerks_formatting_on_awkward_values() -> None:
    values = np.array([*AWKWARD, math.nan, math.inf, -math.inf, 1 / 3, 2 / 3, 5e-324])
    for decimals in (2, 4):
        got = explain._numbers(values, decimals).to_pylist()
        assert got == [explain.number(v, decimals) for v in values]
    texts = explain._revenue_texts(pd.Series(values)).to_pylist()
    assert texts == [explain.revenue_text(v) for v in values]
    cents = np.array([0, 1, 5, 10, 99, 100, 18518, 20000, -1, -150, 10**15 + 7])
    parts = explain._money(cents)
    joined = [a + b for a, b in zip(parts[0].to_pylist(), parts[1].to_pylist(), strict=True)]
    assert joined == [explain.money(c) for c in cents]
