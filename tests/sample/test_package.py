"""The sample is a valid, clearly synthetic data package, the same for the same seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from laser_policy.contracts.cities import HUBEI, HUBEI_DIVISIONS
from laser_policy.contracts.uscc import is_valid_uscc
from laser_policy.errors import UsageError
from laser_policy.io.package import read_package
from laser_policy.sample import write_sample
from laser_policy.sample.names import SYNTHETIC_MARK


def _csv(package: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(package / f"{name}.csv", encoding="utf-8-sig", dtype=str)


def _transactions(package: Path) -> pd.DataFrame:
    glob = str(package / "transactions" / "**" / "*.parquet")
    return duckdb.sql(
        f"select * from read_parquet('{glob}', hive_partitioning=true)").df()


def test_the_package_passes_validation(package: Path, small: dict[str, int]) -> None:
    pkg = read_package(package)
    assert len(pkg.get("enterprises")) == small["enterprises"]
    assert pkg.row_counts["transactions"] == small["transactions"]
    for name in ("financials", "qualifications", "products", "platforms", "projects", "awards",
                 "demands", "offers"):
        assert len(pkg.get(name)) > 0, name


def test_it_says_it_is_synthetic(package: Path, truth: dict[str, Any]) -> None:
    assert truth["synthetic"] is True
    readme = (package / "README.txt").read_text(encoding="utf-8")
    assert "合成" in readme
    assert "SYNTHETIC" in readme


def test_every_name_is_marked_synthetic(package: Path) -> None:
    names = pd.concat([
        _csv(package, "enterprises")["name"], _csv(package, "projects")["name"],
        _csv(package, "platforms")["name"], _csv(package, "products")["name"],
        _transactions(package)["supplier_name"].drop_duplicates(),
    ])
    assert names.notna().all()
    assert names.str.endswith(SYNTHETIC_MARK).all()
    assert _csv(package, "enterprises")["name"].is_unique


def test_every_credit_code_is_valid_and_unique(package: Path) -> None:
    codes = _csv(package, "enterprises")["uscc"]
    assert codes.is_unique
    suppliers = _transactions(package)["supplier_uscc"].drop_duplicates()
    assert all(is_valid_uscc(c) for c in pd.concat([codes, suppliers]))


def test_wuhan_dominates_and_every_firm_is_in_a_hubei_division(package: Path) -> None:
    ent = _csv(package, "enterprises")
    assert (ent["province"] == HUBEI).all()
    assert ent["city"].isin(HUBEI_DIVISIONS).all()
    assert 0.6 < (ent["city"] == "武汉市").mean() < 0.8
    manufacturing = ent["city"].isin(["黄石市", "鄂州市", "十堰市", "襄阳市", "宜昌市"]).mean()
    elsewhere = 1 - (ent["city"] == "武汉市").mean() - manufacturing
    assert manufacturing > elsewhere


def test_weak_segments_have_few_local_firms(package: Path, truth: dict[str, Any]) -> None:
    seg = _csv(package, "enterprises")["segments"].dropna().str.split(";").explode()
    counts = seg.value_counts()
    weak = counts.reindex(truth["weak_segments"]).fillna(0)
    strong = counts.reindex(["LSR-FIBER", "EQP-CUT", "EQP-WELD"]).fillna(0)
    assert (weak >= 1).all()  # every segment has a local firm
    assert weak.max() < strong.min()


def test_three_listings_in_2024_to_2026(package: Path, truth: dict[str, Any]) -> None:
    ent = _csv(package, "enterprises").set_index("uscc")
    years = pd.to_datetime(ent.loc[truth["new_listings"], "listed_on"]).dt.year
    assert sorted(years) == [2024, 2025, 2026]
    listed = pd.to_datetime(ent["listed_on"].dropna()).dt.year
    assert ((listed >= 2024) & (listed <= 2026)).sum() == 3


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = write_sample(tmp_path / "a", enterprises=80, transactions=3_000, seed=3)
    b = write_sample(tmp_path / "b", enterprises=80, transactions=3_000, seed=3)
    assert a.files == b.files
    for f in [*a.files, "_ground_truth.json"]:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_different_seeds_differ(tmp_path: Path) -> None:
    write_sample(tmp_path / "a", enterprises=80, transactions=1_000, seed=3)
    write_sample(tmp_path / "b", enterprises=80, transactions=1_000, seed=4)
    for f in ("enterprises.csv", "financials.csv", "demands.csv"):
        assert (tmp_path / "a" / f).read_bytes() != (tmp_path / "b" / f).read_bytes(), f


def test_too_few_enterprises_is_bad_usage_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="60"):
        write_sample(tmp_path / "x", enterprises=10, transactions=10)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_output_is_kept_unless_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "x"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(UsageError, match="overwrite"):
        write_sample(out, enterprises=60, transactions=10)
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep"
    write_sample(out, enterprises=60, transactions=10, overwrite=True)
    assert not (out / "mine.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x"]  # no staging folder left
