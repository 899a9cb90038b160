"""Running a computation into the ledger: expected entitlements once, never twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from ledger_packages import count_rows

from laser_policy.errors import DataValidationError, InputError
from laser_policy.io.fingerprint import content_fingerprint
from laser_policy.ledger.models import ENTITLEMENTS, RUNS
from laser_policy.ledger.records import natural_key
from laser_policy.ledger.service import (
    PreparedRun,
    RunResult,
    read_tables,
    record_run,
)
from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.store.db import make_engine
from laser_policy.store.models import AUDIT_LOG


def _stored(url: str) -> list[dict[str, object]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.select(ENTITLEMENTS)).mappings()]
    finally:
        engine.dispose()


def test_a_run_into_an_empty_ledger_records_every_entitlement_the_engine_computes(
        ledger: tuple[str, RunResult], sample_package: Path) -> None:
    url, result = ledger
    expected = compute_entitlements(read_tables(sample_package)[0], load_policy())
    assert len(expected) > 0
    assert result.computed == result.inserted == len(expected)
    assert result.already == []
    stored = _stored(url)
    assert len(stored) == len(expected)
    assert {r["status"] for r in stored} == {"computed"}
    by_engine = sorted(zip(expected["uscc"], expected["incentive"], expected["year"],
                           expected["amount_wan"], expected["province_wan"],
                           expected["city_wan"], strict=True))
    by_ledger = sorted((r["uscc"], r["incentive"], r["year"], r["amount_wan"],
                        r["province_wan"], r["city_wan"]) for r in stored)
    assert by_ledger == by_engine
    # each natural key once
    assert len({natural_key(r) for r in stored}) == len(stored)


def test_the_run_is_frozen_with_version_parameters_and_input_hash(
        ledger: tuple[str, RunResult], sample_package: Path, prepared: PreparedRun) -> None:
    url, result = ledger
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            run = conn.execute(sa.select(RUNS)).mappings().one()
            audits = conn.execute(sa.select(AUDIT_LOG).where(
                AUDIT_LOG.c.action == "compute")).mappings().all()
    finally:
        engine.dispose()
    assert run["id"] == result.run_id
    assert run["input_hash"] == content_fingerprint(read_tables(sample_package)[0])
    assert run["rules_version"] == prepared.rules_version
    params = run["parameters"]["incentive_parameters"]
    assert params["rules_version"] == prepared.rules_version
    def thresholds(doc: dict[str, Any]) -> Any:  # the declared incentive's numbers by role
        rule = next(r for r in doc["incentives"] if r["id"] == "revenue_milestone")
        return dict(rule["values"])["thresholds_wan"]

    assert thresholds(params) == list(thresholds(prepared.parameters["incentive_parameters"]))
    assert run["counts"] == {"computed": result.computed, "inserted": result.inserted,
                             "already": 0}
    assert len(audits) == result.inserted
    assert all(a["before"] is None and a["after"]["status"] == "computed" for a in audits)


def test_rerunning_creates_nothing_and_reports_everything_as_already_in_the_ledger(
        ledger: tuple[str, RunResult], prepared: PreparedRun) -> None:
    url, first = ledger
    before = count_rows(url, "entitlements", "audit_log")
    again = record_run(url, prepared, "另一计算员（示例）")
    assert again.run_id != first.run_id
    assert again.inserted == 0
    assert len(again.already) == first.computed
    assert count_rows(url, "entitlements", "audit_log") == before
    assert "已在台账中" in again.summary_zh()


def test_a_broken_package_writes_nothing(db_url: str, tmp_path: Path,
                                         sample_package: Path) -> None:
    from laser_policy.ledger.service import run_computation
    from laser_policy.store.db import upgrade

    upgrade(db_url)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "enterprises.csv").write_text("uscc,name\nNOT-A-CODE,坏企业（示例）\n",
                                            encoding="utf-8")
    with pytest.raises((DataValidationError, InputError)):
        run_computation(broken, db_url, user="u", model=load_policy())
    assert count_rows(db_url, "computation_runs", "entitlements") == {
        "computation_runs": 0, "entitlements": 0}
