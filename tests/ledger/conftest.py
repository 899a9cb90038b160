"""Ledger fixtures: small synthetic packages and ledgers on both back-ends.

All data here is synthetic (names end with （示例）).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import laser_policy.ledger.models  # noqa: F401  (registers the ledger tables on Base)
from laser_policy.ledger.service import PreparedRun, RunResult, prepare_run, record_run
from laser_policy.policy.model import load_policy


@pytest.fixture(scope="session")
def sample_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic package (80 enterprises, seed 7), written once per session."""
    from laser_policy.sample import write_sample

    out = tmp_path_factory.mktemp("ledger-sample") / "pkg"
    write_sample(out, enterprises=80, transactions=200, seed=7)
    return out


@pytest.fixture(scope="session")
def prepared(sample_package: Path) -> PreparedRun:
    """The sample package computed once (no database)."""
    return prepare_run(sample_package, model=load_policy())


@pytest.fixture
def ledger(db_url: str, prepared: PreparedRun) -> tuple[str, RunResult]:
    """A ledger holding one run of the sample package."""
    return db_url, record_run(db_url, prepared, "计算员（示例）")
