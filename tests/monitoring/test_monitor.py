"""Monitoring: actuals equal independent sums; statuses and forecasts carry their reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.io import Package, read_package
from laser_policy.monitoring.kpis import implied_growth, monitor
from laser_policy.policy.model import load_policy
from laser_policy.sample import write_sample

FIELDS = {"kpi", "year", "target", "actual", "unit", "status", "forecast", "forecast_lower",
          "forecast_upper", "probability", "reason"}


@pytest.fixture(scope="module")
def sample_pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mon") / "pkg"
    write_sample(out, enterprises=300, transactions=1000, seed=7)
    return out


def _rows(frame: pd.DataFrame, kpi: str) -> pd.DataFrame:
    return frame[frame["kpi"] == kpi].set_index("year")


def test_industry_scale_equals_an_independent_sum(sample_pkg: Path) -> None:
    fin = pd.read_csv(sample_pkg / "financials.csv", encoding="utf-8-sig")
    ent = pd.read_csv(sample_pkg / "enterprises.csv", encoding="utf-8-sig")
    laser = set(ent.loc[ent["is_laser"].astype(str).str.lower().isin(["true", "1", "是"]), "uscc"])
    expected = fin[fin["uscc"].isin(laser)].groupby("year")["laser_revenue_wan"].sum() / 10_000
    frame = monitor(read_package(sample_pkg), load_policy())
    got = _rows(frame, "industry_scale")["actual"].dropna()
    assert list(got.index) == list(expected.index)
    for year, value in expected.items():
        assert got[year] == pytest.approx(value, rel=1e-9)


def test_firm_counts_equal_an_independent_count_of_laser_firms(sample_pkg: Path) -> None:
    # the ladder counts 营收过50/100/200亿元的企业数 count laser firms only (issue 12): the
    # independent count excludes firms marked is_laser = false
    fin = pd.read_csv(sample_pkg / "financials.csv", encoding="utf-8-sig")
    ent = pd.read_csv(sample_pkg / "enterprises.csv", encoding="utf-8-sig")
    other = set(ent.loc[ent["is_laser"].astype(str).str.lower().isin(["false", "0", "否"]),
                        "uscc"])
    fin = fin[~fin["uscc"].isin(other)]
    frame = monitor(read_package(sample_pkg), load_policy())
    for kpi, yi in (("firms_revenue_over_50yi", 50), ("firms_revenue_over_100yi", 100),
                    ("firms_revenue_over_200yi", 200)):
        expected = fin.assign(hit=fin["revenue_wan"] >= yi * 10_000).groupby("year")["hit"].sum()
        got = _rows(frame, kpi)["actual"].dropna()
        assert {int(y): int(v) for y, v in got.items()} == {
            int(y): int(v) for y, v in expected.items()}


def test_as_of_a_year_later_years_are_forecast_with_interval_and_probability(
        sample_pkg: Path) -> None:
    frame = monitor(read_package(sample_pkg), load_policy(), year=2024)
    scale = _rows(frame, "industry_scale")
    assert pd.isna(scale.loc[2025, "actual"])
    for year in (2025, 2026):
        row = scale.loc[year]
        assert row["forecast_lower"] < row["forecast"] < row["forecast_upper"]
        assert 0.0 <= row["probability"] <= 1.0
        assert row["status"] in {"on_track", "at_risk", "off_track"}
        assert "概率" in row["reason"]
    assert "ETS" in scale.loc[2026, "forecast_method"]


def test_every_row_has_a_status_and_a_reason(sample_pkg: Path) -> None:
    frame = monitor(read_package(sample_pkg), load_policy(), year=2025)
    assert frame["status"].notna().all()
    assert (frame["reason"].str.len() > 0).all()
    assert set(frame["kpi"]) == {t.id for t in load_policy().targets}


def test_a_missed_target_is_reported_with_actual_and_target(tmp_path: Path) -> None:
    pkg = tmp_path / "p"
    write_sample(pkg, enterprises=60, transactions=100, seed=3)
    fin = pd.read_csv(pkg / "financials.csv", encoding="utf-8-sig")
    fin.loc[fin["year"] == 2024, "laser_revenue_wan"] = 0.0
    fin.to_csv(pkg / "financials.csv", index=False, encoding="utf-8-sig")
    frame = monitor(read_package(pkg), load_policy())
    row = _rows(frame, "industry_scale").loc[2024]
    assert row["status"] == "missed"
    assert "未达到目标280" in row["reason"]


def test_implied_growth_of_the_targets() -> None:
    growth = {g["year"]: g for g in implied_growth(load_policy(), _empty_package())}
    assert growth[2025]["implied_growth"] == pytest.approx(380 / 280 - 1)
    assert growth[2026]["implied_growth"] == pytest.approx(500 / 380 - 1)


def _empty_package() -> Package:
    return Package(source=Path("."))


def test_cli_json_has_the_fixed_fields(sample_pkg: Path) -> None:
    result = CliRunner().invoke(cli, ["monitor", str(sample_pkg), "--year", "2024",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows
    assert set(rows[0]) >= FIELDS


def test_cli_table_is_chinese(sample_pkg: Path) -> None:
    result = CliRunner().invoke(cli, ["monitor", str(sample_pkg)])
    assert result.exit_code == 0, result.output
    assert "全省激光产业规模" in result.output
    assert "状态" in result.output


def test_cli_breakdown_sums_to_the_total(sample_pkg: Path) -> None:
    result = CliRunner().invoke(cli, ["monitor", str(sample_pkg), "--year", "2025",
                                      "--breakdown"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert sum(c["actual_yi"] for c in out["by_city"]) == pytest.approx(out["actual_yi"])
    assert out["target_yi"] == 380


def test_local_supply_rate_equals_an_independent_duckdb_sum(sample_pkg: Path) -> None:
    import duckdb

    ent = pd.read_csv(sample_pkg / "enterprises.csv", encoding="utf-8-sig")
    laser = ent[ent["is_laser"].astype(str).str.lower().isin(["true", "1", "是"])
                & (ent["province"].fillna("湖北省") == "湖北省")]
    con = duckdb.connect()
    con.register("buyers", laser[["uscc"]])
    expected = con.execute(
        "SELECT year, sum(CASE WHEN supplier_province = '湖北省' THEN amount_wan END) "
        "/ sum(amount_wan) FROM read_parquet(?, hive_partitioning = true) t "
        "JOIN buyers b ON t.buyer_uscc = b.uscc GROUP BY year ORDER BY year",
        [str(sample_pkg / "transactions" / "**" / "*.parquet")],
    ).fetchall()
    frame = monitor(read_package(sample_pkg), load_policy())
    got = _rows(frame, "local_supply_rate")
    assert expected
    for year, rate in expected:
        assert got.loc[int(year), "actual"] == pytest.approx(rate)
        assert got.loc[int(year), "status"] == "monitored"
