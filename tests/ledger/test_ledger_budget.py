"""Budget by payer and year, the growth forecast, what-if and take-up."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from ledger_packages import count_rows, uscc, write_package

from laser_policy.ledger.budget import budget, committed, forecast, ledger_frame
from laser_policy.ledger.records import PROVINCE_ZH
from laser_policy.ledger.service import RunResult, approve, pay, read_tables, review
from laser_policy.ledger.takeup import take_up
from laser_policy.ledger.whatif import parse_assignments, what_if
from laser_policy.policy.model import load_policy

LEDGER_TABLES = ("computation_runs", "entitlements", "payments", "audit_log")


def _approve_half(url: str, run: RunResult) -> list[int]:
    ids = run.inserted_ids
    review(url, ids, "张审核（示例）")
    approve(url, ids[: len(ids) // 2], "李批准（示例）")
    pay(url, ids[: len(ids) // 4], "赵出纳（示例）")
    return ids


def test_committed_paid_and_pending_add_up_to_the_ledger(ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    _approve_half(url, run)
    frame = ledger_frame(url)
    table = committed(url)
    done = frame[frame["status"].isin(["approved", "paid"])]
    assert table["committed_wan"].sum() == pytest.approx(done["amount_wan"].sum())
    assert table["paid_wan"].sum() == pytest.approx(
        frame.loc[frame["status"] == "paid", "amount_wan"].sum())
    assert table["pending_wan"].sum() == pytest.approx(
        frame.loc[frame["status"] == "reviewed", "amount_wan"].sum())
    province = table[table["payer"] == PROVINCE_ZH]
    assert province["committed_wan"].sum() == pytest.approx(done["province_wan"].sum())
    for city, part in done.groupby("payer_city"):
        mine = table[table["payer"] == city]
        assert mine["committed_wan"].sum() == pytest.approx(part["city_wan"].sum())


@pytest.fixture
def growing_package(tmp_path: Path) -> tuple[Path, int]:
    """Three firms: one growing 10 % a year towards the first tier, one flat, one shrinking."""
    p = load_policy()
    latest = p.parameter("revenue_milestone.window_end_year").int_at(2026) - 1
    t1 = p.parameter("revenue_milestone.thresholds_wan").numbers_at(latest)[0]
    firms = [(uscc(1), "武汉市", 0.95 * t1, 0.10), (uscc(2, "420200"), "黄石市", 0.9 * t1, 0.0),
             (uscc(3, "420500"), "宜昌市", 0.98 * t1, -0.05)]
    enterprises = [{"uscc": u, "name": f"企业{i}（示例）", "province": "湖北省", "city": c,
                    "segments": "LSR-FIBER", "is_laser": True}
                   for i, (u, c, _, _) in enumerate(firms)]
    financials = [{"uscc": u, "year": latest - k, "revenue_wan": round(last / (1 + g) ** k, 2),
                   "laser_revenue_wan": round(last / (1 + g) ** k / 2, 2)}
                  for u, _, last, g in firms for k in range(4)]
    return write_package(tmp_path / "growing", {"enterprises": enterprises,
                                                "financials": financials}), latest


def test_the_forecast_finds_the_firm_growing_into_a_tier_and_splits_its_cost(
        growing_package: tuple[Path, int]) -> None:
    package, latest = growing_package
    p = load_policy()
    amount = p.parameter("revenue_milestone.amounts_wan").numbers_at(latest + 1)[0]
    share = p.parameter("revenue_milestone.province_share").number_at(latest + 1)
    fc = forecast(read_tables(package)[0], load_policy())
    assert fc.year == latest + 1
    assert fc.in_window
    assert fc.firms["uscc"].tolist() == [uscc(1)]
    firm = fc.firms.iloc[0]
    assert firm["growth"] == pytest.approx(0.10, abs=1e-6)
    assert firm["amount_wan"] == pytest.approx(amount)
    by_payer = dict(zip(fc.by_payer["payer"], fc.by_payer["forecast_wan"], strict=True))
    assert by_payer == pytest.approx({PROVINCE_ZH: amount * share, "武汉市": amount * (1 - share)})


def test_the_budget_table_carries_the_forecast(db_url: str,
                                               growing_package: tuple[Path, int]) -> None:
    from laser_policy.store.db import upgrade

    upgrade(db_url)
    package, latest = growing_package
    table, fc = budget(db_url, read_tables(package)[0], load_policy())
    assert fc is not None
    assert table["forecast_wan"].sum() == pytest.approx(fc.firms["amount_wan"].sum())
    assert set(table["year"]) == {latest + 1}


def test_what_if_lower_thresholds_changes_the_budget_and_names_the_firms(
        ledger: tuple[str, RunResult], sample_package: Path) -> None:
    url, _ = ledger
    before = count_rows(url, *LEDGER_TABLES)
    tables = read_tables(sample_package)[0]
    overrides = parse_assignments(["revenue_milestone.thresholds_wan=400000,800000,1600000"])
    result = what_if(tables, overrides, model=load_policy())
    assert len(result.firms) > 0
    assert (result.by_payer["change_wan"] != 0).any()
    assert result.total_change_wan == pytest.approx(result.firms["change_wan"].sum())
    assert set(result.firms["incentive"]) <= {"revenue_milestone"}
    assert (result.by_payer["baseline_wan"].sum()
            == pytest.approx(ledger_frame(url)["amount_wan"].sum()))
    split = what_if(tables, {"revenue_milestone.province_share": 0.6}, model=load_policy())
    assert split.total_change_wan == pytest.approx(0.0)
    province = split.by_payer[split.by_payer["payer"] == PROVINCE_ZH]["change_wan"].sum()
    cities = split.by_payer[split.by_payer["payer"] != PROVINCE_ZH]["change_wan"].sum()
    assert province > 0
    assert province == pytest.approx(-cities)
    assert set(split.firms["incentive"]) == {"revenue_milestone"}
    assert count_rows(url, *LEDGER_TABLES) == before


def test_what_if_through_the_cli_leaves_the_ledger_alone(
        ledger: tuple[str, RunResult], sample_package: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from laser_policy.cli.ledger import what_if_command

    url, _ = ledger
    monkeypatch.setenv("LASER_POLICY_DB", url)
    before = count_rows(url, *LEDGER_TABLES)
    out = CliRunner().invoke(what_if_command, [
        str(sample_package), "--set", "revenue_milestone.thresholds_wan=[400000, 800000, 1600000]",
        "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"by_payer"' in out.output
    assert '"firms"' in out.output
    assert count_rows(url, *LEDGER_TABLES) == before
    bad = CliRunner().invoke(what_if_command, [str(sample_package), "--set", "no_such=1"])
    assert bad.exit_code != 0


def test_take_up_lists_the_unpaid_with_their_wait(ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    _approve_half(url, run)
    frame = ledger_frame(url)
    later = pd.Timestamp(frame["computed_at"].max()).to_pydatetime() + pd.Timedelta(days=30)
    table = take_up(url, now=later)
    unpaid = frame[~frame["status"].isin(["paid", "rejected"])]
    assert sorted(table["id"]) == sorted(unpaid["id"])
    assert (table["waited_days"] >= 29).all()
    assert set(table["status"]) == {"reviewed", "approved"}
