"""One local SparkSession for the module's tests (Spark is slow to start)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def session() -> Any:
    pytest.importorskip("pyspark")
    from laser_policy.engine import spark_session

    return spark_session("local[2]")
