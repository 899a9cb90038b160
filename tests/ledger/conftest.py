"""Ledger fixtures: small synthetic packages and a ledger database per back-end."""

from __future__ import annotations

from pathlib import Path

import pytest

import laser_policy.ledger.models  # noqa: F401  (registers the ledger tables on Base)


@pytest.fixture(scope="session")
def sample_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic package (80 enterprises, seed 7), written once per session."""
    from laser_policy.sample import write_sample

    out = tmp_path_factory.mktemp("ledger-sample") / "pkg"
    write_sample(out, enterprises=80, transactions=200, seed=7)
    return out
