"""Funds, guarantees, related industries and attracted firms: figures equal sums done by
hand on the small package, the two targets leave 暂无数据, and ``monitor`` shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fund_packages import CODES, fund_tables
from laser_policy.cli import cli
from laser_policy.io import Package, read_package
from laser_policy.monitoring import funds
from laser_policy.monitoring.kpis import monitor
from laser_policy.policy.model import load_policy


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("funds") / "pkg"
    out.mkdir()
    for name, frame in fund_tables().items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
    return out


@pytest.fixture(scope="module")
def pkg(folder: Path) -> Package:
    return read_package(folder)


def test_deployment_per_fund_against_its_size(pkg: Package) -> None:
    dep = funds.fund_deployment(pkg, load_policy()).set_index("fund")
    assert dep.loc["optics_valley_laser_fund", "amount_wan"] == 50_000
    assert dep.loc["optics_valley_laser_fund", "investments"] == 2
    # 100亿元 = 1,000,000万元 (funds.yaml); the share is of the fund's size
    assert dep.loc["optics_valley_laser_fund", "share_of_size"] == pytest.approx(0.05)
    assert dep.loc["chutian_fengming", "share_of_size"] == pytest.approx(5000 / 5_000_000)
    assert dep["share_of_size"].isna()["provincial_guidance_fund"]  # no size in the text
    assert dep.loc["provincial_guidance_fund", "amount_wan"] == 10_000


def test_deployment_by_purpose_city_and_segment(pkg: Package) -> None:
    model = load_policy()
    purpose = funds.deployment_by(pkg, model, "purpose").set_index("purpose")
    assert purpose["amount_wan"].to_dict() == {"innovation": 40_000, "mergers": 20_000,
                                               "commercialisation": 5_000}
    assert purpose.loc["innovation", "label"] == "技术创新"
    # a row without a city takes its firm's city from the register
    city = funds.deployment_by(pkg, model, "city").set_index("city")["amount_wan"].to_dict()
    assert city == {"武汉市": 60_000, "襄阳市": 5_000}
    seg = funds.deployment_by(pkg, model, "segment").set_index("segment")["amount_wan"]
    assert seg.to_dict() == {"LSR-FIBER": 40_000, "EQP-CUT": 20_000, "CMP-CHIP": 5_000}
    scoped = funds.deployment_by(pkg, model, "city", cities=["襄阳市"])
    assert scoped["amount_wan"].tolist() == [5_000]


def test_guarantees_to_laser_firms_count_amount_and_default_rate(pkg: Package) -> None:
    s = funds.guarantee_summary(pkg)
    total = s[s["year"].isna()].iloc[0]
    # G-5 goes to a firm that is not a laser firm: not counted
    assert (total["count"], total["amount_wan"], total["defaults"]) == (4, 1100, 1)
    assert total["default_rate"] == pytest.approx(0.25)
    by_year = s.dropna(subset=["year"]).set_index("year")["count"].to_dict()
    assert by_year == {2024: 2, 2025: 2}
    assert funds.guarantee_summary(pkg, cities=["武汉市"])["count"].iloc[-1] == 2
    assert set(funds.guarantees(pkg)["uscc"]) == set(CODES[:3])


def test_related_industries_and_attracted_firms_get_actuals(pkg: Package) -> None:
    frame = monitor(pkg, load_policy())
    rel = frame[frame["kpi"] == "related_industries_scale"].set_index("year")
    # 2024: the province-wide rows; 2025: only city rows, summed
    assert rel.loc[2024, "actual"] == 4500
    assert rel.loc[2025, "actual"] == 4400
    assert rel.loc[2026, "status"] == "no_data"  # no 2026 figure yet, target 10000
    att = frame[frame["kpi"] == "attracted_firms"].set_index("year")
    # the firm settled in 2023 is before the policy period
    assert att.loc[2024, "actual"] == 1
    assert att.loc[2025, "actual"] == 2
    assert att.loc[2025, "status"] == "monitored"


def test_without_the_tables_the_two_targets_still_say_no_data(folder: Path) -> None:
    tables = {n: read_package(folder).get(n) for n in ("enterprises", "financials")}
    frame = monitor(Package(source=folder, tables=tables), load_policy())
    for kpi in ("related_industries_scale", "attracted_firms"):
        rows = frame[frame["kpi"] == kpi]
        assert set(rows["status"]) == {"no_data"}
        assert set(rows["reason"]) == {"数据包中没有计算该指标所需的数据。"}


def test_monitor_cli_shows_funds_and_guarantees(folder: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["monitor", str(folder)])
    assert table.exit_code == 0, table.output
    assert "带动激光应用相关产业规模" in table.output
    assert "基金投放（第十八条）" in table.output
    assert "光谷激光产业发展基金" in table.output
    assert "5.00%" in table.output
    assert "代偿率" in table.output
    assert "25.0%" in table.output
    out = runner.invoke(cli, ["monitor", str(folder), "--funds", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert {f["fund"]: f["amount_wan"] for f in data["funds"]} == {
        "provincial_guidance_fund": 10_000, "chutian_fengming": 5_000,
        "optics_valley_laser_fund": 50_000}
    assert data["guarantees"][-1]["default_rate"] == pytest.approx(0.25)
    assert data["attracted_firms"] == 3
