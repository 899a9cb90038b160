"""Spark reads the package where it lies: the same entitlements and the same problems as
the DuckDB reader (``laser_policy.io.read_package``), for paths and ``file://`` URIs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pandas as pd
import pytest
from tests.data_validation.conftest import enterprises, financials, write_package
from tests.data_validation.test_broken_files import CASES

from laser_policy.engine.spark_read import read_package_spark, spark_entitlements
from laser_policy.errors import DataValidationError, Problem
from laser_policy.io import read_package
from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.sample import write_sample
from laser_policy.sample.writer import WORKBOOK

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module", params=["csv", "parquet", "xlsx"])
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic package as CSV and Parquet files, and as one workbook."""
    out = tmp_path_factory.mktemp(f"sample-{request.param}") / "pkg"
    write_sample(out, enterprises=300, transactions=0, fmt=request.param)
    return out / WORKBOOK if request.param == "xlsx" else out


def test_a_package_read_by_spark_gives_the_entitlements_duckdb_gives(
    session: Any, sample: Path
) -> None:
    model = load_policy()
    duck = compute_entitlements(read_package(sample).tables, model)
    spark = spark_entitlements(sample.as_uri(), session=session, model=model)  # file://
    assert len(duck) > 0
    assert set(duck["incentive"]) >= {"revenue_milestone"}
    pd.testing.assert_frame_equal(spark.reset_index(drop=True), duck.reset_index(drop=True))


def _problems(read: Any, folder: Path) -> list[tuple[Any, ...]]:
    with pytest.raises(DataValidationError) as info:
        read(folder)
    found: list[Problem] = info.value.problems
    return [(p.file, p.rule, p.row, p.column, repr(p.value), p.message_zh, p.message_en)
            for p in found]


_CHOSEN = ("bad check character", "duplicate key", "dangling reference", "bad date",
           "unknown segment", "GBK-encoded CSV")


def _all_at_once() -> dict[str, pd.DataFrame | bytes]:
    """Several tables broken in several ways in one package."""
    ent = enterprises().astype(object)
    ent.loc[3, "city"] = "长沙市"
    ent.loc[0, "is_laser"] = "也许"
    fin = financials().astype(object)
    fin.loc[2, "revenue_wan"] = -5
    products = pd.DataFrame({
        "product_id": ["P1"], "developer_uscc": [ent.loc[0, "uscc"]], "catalog": ["首台套"],
        "catalog_level": ["市级"], "year": [2025], "rd_cost_wan": [100]})
    return {"enterprises": ent, "financials": fin, "products": products}


def _case(case: str) -> dict[str, pd.DataFrame | bytes]:
    if case == "all at once":
        return _all_at_once()
    tables = next(t for i, t, *_ in CASES if i == case)
    return cast(dict[str, pd.DataFrame | bytes], tables)


@pytest.mark.parametrize("case", [*_CHOSEN, "all at once"])
def test_a_broken_package_gives_the_same_problems_under_spark(
    session: Any, tmp_path: Path, case: str
) -> None:
    folder = write_package(tmp_path / "pkg", _case(case))
    duck = _problems(read_package, folder)
    spark = _problems(lambda f: read_package_spark(session, f), folder)
    assert duck  # the case is broken
    assert spark == duck
    if case == "all at once":
        assert {p[0] for p in spark} == {"enterprises.csv", "financials.csv", "products.csv"}
        assert len({p[1] for p in spark}) >= 4
