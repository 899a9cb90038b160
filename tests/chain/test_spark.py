"""The same Ibis code on Apache Spark (local mode) gives the same results as on DuckDB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.chain.fixtures import ENTERPRISES, TRANSACTIONS, expected_supply

from laser_policy.chain.source import open_chain_data
from laser_policy.chain.supply import local_supply
from laser_policy.chain.targets import attraction_targets
from laser_policy.chain.weak_links import weak_links
from laser_policy.contracts.cities import PACKAGED_REGION as REGION

pytestmark = pytest.mark.spark


def test_supply_weak_links_and_targets_agree_across_engines(package: Path, spark_con: Any) -> None:
    duck = open_chain_data(package, region=REGION)
    spark = open_chain_data(package, region=REGION, engine="spark", con=spark_con)

    d_supply, s_supply = local_supply(duck), local_supply(spark)
    pd.testing.assert_frame_equal(d_supply, s_supply, check_dtype=False)
    detail = s_supply.dropna(subset=["segment", "city", "year"]).sort_values(
        ["segment", "city", "year"])
    expected = expected_supply(ENTERPRISES, TRANSACTIONS).sort_values(["segment", "city", "year"])
    assert detail["local_rate"].to_numpy() == pytest.approx(expected["local_rate"].to_numpy())

    d_weak, s_weak = weak_links(duck), weak_links(spark)
    pd.testing.assert_frame_equal(d_weak, s_weak, check_dtype=False)

    codes = list(d_weak.loc[d_weak["weak"], "segment"])
    assert [t.to_dict() for t in attraction_targets(duck, codes)] == [
        t.to_dict() for t in attraction_targets(spark, codes)]
