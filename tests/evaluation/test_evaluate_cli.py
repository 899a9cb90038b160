"""``laser-policy evaluate`` on the demo sample: the contract's JSON, thin evidence, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.cli import main
from laser_policy.evaluation import first_support_years
from laser_policy.io import read_package
from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.sample import write_sample

Runner = Callable[..., "Run"]

CONTRACT_KEYS = {"incentive", "outcome", "method", "att", "ci_low", "ci_high", "treated",
                 "controls", "by_year"}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Runner:
    """The CLI in this process (its entry point, exit status and streams as a user sees)."""

    def call(*args: str | Path) -> Run:
        with pytest.raises(SystemExit) as stop:
            main(["evaluate", *map(str, args)])
        out = capsys.readouterr()
        return Run(int(stop.value.code or 0), out.out, out.err)

    return call


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eval") / "pkg"
    write_sample(out, enterprises=300, transactions=200)
    return out


def test_json_has_the_contract_keys_and_says_the_evidence_is_thin(
    run: Runner, sample: Path
) -> None:
    result = run(sample, "--incentive", "first_set", "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= CONTRACT_KEYS
    assert out["incentive"] == "first_set"
    assert out["outcome"] == "revenue_wan"
    assert out["method"].startswith("callaway_santanna")
    assert 0 < out["treated"] < 30
    assert out["controls"] > 200
    assert out["ci_low"] <= out["att"] <= out["ci_high"]
    assert "few_treated" in out["warnings"]
    assert out["thin"] is True
    rel = [e["relative_year"] for e in out["by_year"]]
    assert rel == sorted(rel)
    assert 0 in rel
    reference = next(e for e in out["by_year"] if e["relative_year"] == -1)
    assert reference["estimate"] == 0.0  # effects are measured against the year before support


def test_table_words_the_effect_in_chinese(run: Runner, sample: Path) -> None:
    result = run(sample, "--incentive", "service_platform", "--outcome", "rd_expense_wan")
    assert result.returncode == 0, result.stderr
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("获得公共服务平台奖补（第十七条）的企业此后研发费用平均")
    assert "95%置信区间" in first_line
    assert "证据薄弱" in result.stdout


def test_treated_firms_are_those_entitled_or_already_paid(sample: Path) -> None:
    """The engine's entitlements leave out what the ledger paid; both sources count."""
    pkg = read_package(sample)
    due = compute_entitlements(pkg.tables, load_policy(), with_steps=False)
    due = due[due["incentive"] == "first_set"]
    awards = pkg.get("awards")
    paid = awards[awards["incentive"] == "first_set"]
    assert len(paid)
    assert len(due)
    first = first_support_years(pkg.tables, "first_set", load_policy())
    expected = pd.concat([due[["uscc", "year"]], paid[["uscc", "year"]]]).groupby("uscc")["year"]
    assert first.to_dict() == expected.min().to_dict()
    assert set(paid["uscc"]) - set(due["uscc"]), "some firms are known from the ledger only"


def test_revenue_milestones_on_revenue_are_flagged(run: Runner, sample: Path) -> None:
    result = run(sample, "--incentive", "revenue_milestone", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "outcome_drives_support" in json.loads(result.stdout)["warnings"]


def test_placebo_option(run: Runner, sample: Path) -> None:
    result = run(sample, "--incentive", "first_set", "--format", "json", "--placebo",
                 "--seed", "4")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["placebo"] is True
    assert "placebo" in out["warnings"]


def test_too_short_data_is_a_clear_error_in_chinese_first(
    run: Runner, sample: Path, tmp_path: Path
) -> None:
    short = tmp_path / "short"
    short.mkdir()
    for name in ("enterprises", "awards"):
        (short / f"{name}.csv").write_bytes((sample / f"{name}.csv").read_bytes())
    fin = pd.read_csv(sample / "financials.csv", encoding="utf-8-sig")
    fin[fin["year"] >= 2025].to_csv(short / "financials.csv", index=False)
    result = run(short, "--incentive", "first_set")
    assert result.returncode == 1
    message = result.stderr.strip()
    assert message.startswith("错误 / error: financials 表的「营业收入」只有2个年度（2025–2026）")
    assert "政策效果评估至少需要4个年度" in message
    assert "at least 4" in message
    assert result.stdout == ""


def test_unknown_incentive_is_bad_usage(run: Runner, sample: Path) -> None:
    result = run(sample, "--incentive", "no_such")
    assert result.returncode == 2
    assert "no_such" in result.stderr
