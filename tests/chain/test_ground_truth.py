"""On a synthetic sample package, the chain analysis finds what the generator planted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.chain.fixtures import expected_supply

from laser_policy.chain.matching import Query, build_matcher
from laser_policy.chain.source import open_chain_data
from laser_policy.chain.supply import local_supply
from laser_policy.chain.targets import attraction_targets
from laser_policy.chain.weak_links import weak_links
from laser_policy.contracts.cities import PACKAGED_REGION as REGION

KEYS = ["segment", "city", "year"]


def independent_supply(root: Path) -> pd.DataFrame:
    """Detail rows computed with pandas straight from the files."""
    enterprises = pd.read_csv(root / "enterprises.csv", dtype=str, encoding="utf-8-sig")
    files = sorted((root / "transactions").rglob("*.parquet"))
    tx = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    return expected_supply(enterprises, tx).sort_values(KEYS).reset_index(drop=True)


def detail(df: pd.DataFrame) -> pd.DataFrame:
    d = df.dropna(subset=KEYS).copy()
    d["year"] = d["year"].astype(int)
    return d.sort_values(KEYS).reset_index(drop=True)


def assert_equal_supply(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    a = detail(actual)
    assert list(a[KEYS].itertuples(index=False)) == list(expected[KEYS].itertuples(index=False))
    for col in ("purchases_wan", "local_wan", "local_rate", "same_city_wan", "same_city_rate"):
        assert a[col].to_numpy() == pytest.approx(expected[col].to_numpy(), rel=1e-9), col


def test_supply_rate_equals_an_independent_computation(sample_package: Path) -> None:
    assert_equal_supply(local_supply(open_chain_data(sample_package, region=REGION)),
                        independent_supply(sample_package))


def test_the_weak_links_are_the_planted_ones(sample_package: Path, truth: dict[str, Any]) -> None:
    w = weak_links(open_chain_data(sample_package, region=REGION))
    assert set(w.loc[w["weak"], "segment"]) == set(truth["weak_segments"])
    top = w.head(len(truth["weak_segments"]))
    assert set(top["segment"]) == set(truth["weak_segments"])


def test_the_targets_are_the_planted_suppliers(sample_package: Path, truth: dict[str, Any]) -> None:
    planted: dict[str, list[str]] = truth["attraction_targets"]
    found = attraction_targets(open_chain_data(sample_package, region=REGION), list(planted), top=3)
    for seg in found:
        assert [s.name for s in seg.suppliers] == planted[seg.segment], seg.segment
        assert all(s.province != "湖北省" for s in seg.suppliers)
        assert all(s.buyers for s in seg.suppliers)


def test_matching_finds_the_relevant_offers(sample_package: Path, truth: dict[str, Any]) -> None:
    data = open_chain_data(sample_package, region=REGION, need_transactions=False)
    matcher = build_matcher(data, "offers")
    demands = data.table("demands").set_index("id")
    recall, reciprocal = [], []
    for case in truth["matches"]:
        row = demands.loc[case["demand_id"]]
        ids = [h.id for h in matcher.search(Query(f"{row['title']} {row['text']}"), top=10)]
        relevant = set(case["offer_ids"])
        recall.append(len(relevant & set(ids)) / len(relevant))
        first = next((i for i, x in enumerate(ids, start=1) if x in relevant), None)
        reciprocal.append(1 / first if first else 0.0)
    assert sum(recall) / len(recall) >= 0.85
    assert sum(reciprocal) / len(reciprocal) >= 0.8


@pytest.mark.spark
def test_spark_supply_equals_the_independent_computation(
    sample_package: Path, spark_con: Any
) -> None:
    spark = open_chain_data(sample_package, region=REGION, engine="spark", con=spark_con)
    assert_equal_supply(local_supply(spark), independent_supply(sample_package))
    w = weak_links(spark)
    assert set(w.loc[w["weak"], "segment"]) == set(
        pd.read_json(sample_package / "_ground_truth.json", typ="series")["weak_segments"])
