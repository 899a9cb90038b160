"""A past computation replays to the same amounts, and only on the same package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.errors import LedgerError, NotFoundError
from laser_policy.ledger.replay import replay
from laser_policy.ledger.service import RunResult, run_computation
from laser_policy.policy.model import load_policy


def test_replay_reproduces_every_amount(ledger: tuple[str, RunResult],
                                        sample_package: Path) -> None:
    url, run = ledger
    result = replay(run.run_id, sample_package, url)
    assert result.identical, result.summary_zh()
    assert result.compared == run.inserted
    assert result.computed == run.computed
    assert "重算一致" in result.summary_zh()


def test_replay_uses_the_recorded_parameters_not_todays_model(
        db_url: str, sample_package: Path) -> None:
    scenario = load_policy().with_overrides({"revenue_milestone.province_share": 0.6})
    run = run_computation(sample_package, db_url, user="u", model=scenario)
    result = replay(run.run_id, sample_package, db_url)
    assert result.identical, result.summary_zh()


def test_replay_refuses_a_different_package(ledger: tuple[str, RunResult],
                                            sample_package: Path, tmp_path: Path) -> None:
    url, run = ledger
    changed = tmp_path / "changed"
    shutil.copytree(sample_package, changed)
    fin = changed / "financials.csv"  # one value differs (a blank line would not: the
    frame = pd.read_csv(fin, encoding="utf-8-sig", dtype=str)  # fingerprint is of content)
    frame.loc[0, "revenue_wan"] = str(float(frame.loc[0, "revenue_wan"]) + 1)
    frame.to_csv(fin, index=False, encoding="utf-8-sig")
    with pytest.raises(LedgerError, match="数据包与计算批次"):
        replay(run.run_id, changed, url)
    with pytest.raises(NotFoundError):
        replay(run.run_id + 99, sample_package, url)
