"""Shared fixtures of the incentive-engine tests."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # ibis asks pandas about an option pandas 3 deprecates; not ours to fix
    config.addinivalue_line("filterwarnings", "ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="session")
def spark_con() -> Any:
    """One Spark (local mode) Ibis backend for the whole test session."""
    from laser_policy.engine import connect

    return connect("spark")
