"""本地配套率: equal to an independent pandas computation, on every layout and both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.chain.fixtures import ENTERPRISES, TRANSACTIONS, expected_supply

from laser_policy.chain.source import open_chain_data
from laser_policy.chain.supply import SUPPLY_COLUMNS, local_supply
from laser_policy.contracts.cities import PACKAGED_REGION as REGION
from laser_policy.errors import InputError

KEYS = ["segment", "city", "year"]


def _detail(df: pd.DataFrame) -> pd.DataFrame:
    d = df.dropna(subset=["segment", "city", "year"]).copy()
    d["year"] = d["year"].astype(int)
    return d.sort_values(KEYS).reset_index(drop=True)


def _assert_same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    a = _detail(actual)
    e = expected.sort_values(KEYS).reset_index(drop=True)
    assert list(a[KEYS].itertuples(index=False)) == list(e[KEYS].itertuples(index=False))
    for col in ("purchases_wan", "local_wan", "local_rate", "same_city_wan", "same_city_rate"):
        assert a[col].to_numpy() == pytest.approx(e[col].to_numpy()), col


@pytest.mark.parametrize("layout", ["hive", "parquet", "csv"])
def test_detail_rows_equal_an_independent_computation(
    tmp_path_factory: pytest.TempPathFactory, package_in: Any, layout: str
) -> None:
    root = package_in(tmp_path_factory.mktemp("layouts"), layout)
    result = local_supply(open_chain_data(root, region=REGION))
    assert tuple(result.columns) == SUPPLY_COLUMNS
    _assert_same(result, expected_supply(ENTERPRISES, TRANSACTIONS))


def test_only_hubei_laser_buyers_count(package: Path) -> None:
    result = local_supply(open_chain_data(package, region=REGION))
    head = result[(result["segment"] == "CMP-HEAD") & (result["city"] == "武汉市")]
    # the non-laser trader's 9999 and the unknown buyer's 777 are left out
    assert head["purchases_wan"].tolist() == [500.0]
    assert head["local_rate"].tolist() == [pytest.approx(80 / 500)]


def test_short_province_and_city_forms_count_as_local_and_same_city(package: Path) -> None:
    result = local_supply(open_chain_data(package, region=REGION))
    row = result[(result["segment"] == "LSR-FIBER") & (result["city"] == "宜昌市")
                 & (result["year"] == 2024)].iloc[0]
    assert row["local_wan"] == 400.0
    assert row["same_city_rate"] == 1.0
    wuhan = result[(result["segment"] == "LSR-FIBER") & (result["city"] == "武汉市")
                   & (result["year"] == 2024)].iloc[0]
    assert wuhan["local_rate"] == pytest.approx(500 / 600)
    assert wuhan["same_city_wan"] == 0.0  # bought in 宜昌, not inside 武汉


def test_total_rows_are_the_documented_ones(package: Path) -> None:
    result = local_supply(open_chain_data(package, region=REGION))
    detail = _detail(result)
    years = sorted(detail["year"].unique())
    totals = result[result["segment"].isna() & result["city"].isna()]
    assert [None if pd.isna(y) else int(y) for y in totals["year"]] == [*years, None]
    for year in years:
        total = totals[totals["year"] == year].iloc[0]
        d = detail[detail["year"] == year]
        assert total["purchases_wan"] == pytest.approx(d["purchases_wan"].sum())
        assert total["local_rate"] == pytest.approx(d["local_wan"].sum() / d["purchases_wan"].sum())
        by_seg = result[result["segment"].notna() & result["city"].isna()
                        & (result["year"] == year)]
        assert sorted(by_seg["segment"]) == sorted(d["segment"].unique())
        by_city = result[result["segment"].isna() & result["city"].notna()
                         & (result["year"] == year)]
        assert by_city["purchases_wan"].sum() == pytest.approx(d["purchases_wan"].sum())
    grand = totals[totals["year"].isna()].iloc[0]
    assert grand["local_wan"] == pytest.approx(detail["local_wan"].sum())


def test_years_can_be_selected(package: Path) -> None:
    result = local_supply(open_chain_data(package, region=REGION), years=[2025])
    assert set(result["year"].dropna()) == {2025}


def test_a_package_without_transactions_is_bad_input(tmp_path: Path) -> None:
    ENTERPRISES.to_csv(tmp_path / "enterprises.csv", index=False)
    with pytest.raises(InputError, match="transactions"):
        open_chain_data(tmp_path, region=REGION)


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    ENTERPRISES.to_csv(tmp_path / "enterprises.csv", index=False)
    TRANSACTIONS.drop(columns=["segment", "amount_wan"]).to_csv(
        tmp_path / "transactions.csv", index=False)
    with pytest.raises(InputError, match=r"segment, amount_wan"):
        open_chain_data(tmp_path, region=REGION)


def test_chinese_headers_are_accepted(tmp_path: Path) -> None:
    from laser_policy.contracts.tables import TRANSACTIONS as SPEC

    ENTERPRISES.to_csv(tmp_path / "enterprises.csv", index=False)
    zh = {c.name: c.zh for c in SPEC.columns}
    TRANSACTIONS.rename(columns=zh).to_csv(tmp_path / "transactions.csv", index=False,
                                           encoding="utf-8-sig")
    _assert_same(local_supply(open_chain_data(tmp_path, region=REGION)),
                 expected_supply(ENTERPRISES, TRANSACTIONS))


def test_transactions_can_live_elsewhere(tmp_path: Path, package: Path) -> None:
    ENTERPRISES.to_csv(tmp_path / "enterprises.csv", index=False)
    elsewhere = str(package / "transactions") + "/"
    result = local_supply(open_chain_data(tmp_path, region=REGION, transactions=elsewhere))
    _assert_same(result, expected_supply(ENTERPRISES, TRANSACTIONS))


def test_segments_written_by_name_count_as_their_code(tmp_path: Path) -> None:
    ENTERPRISES.to_csv(tmp_path / "enterprises.csv", index=False)
    tx = TRANSACTIONS.copy()
    tx.loc[tx["segment"] == "MAT-CRYSTAL", "segment"] = ["激光晶体", "MAT-CRYSTAL", "激光晶体",
                                                        "MAT-CRYSTAL"]
    tx.to_parquet(tmp_path / "transactions.parquet", index=False)
    _assert_same(local_supply(open_chain_data(tmp_path, region=REGION)),
                 expected_supply(ENTERPRISES, TRANSACTIONS))
