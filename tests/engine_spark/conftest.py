"""One local SparkSession for the module's tests (Spark is slow to start)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from laser_policy.engine import spark_session

    yield spark_session("local[2]")
