"""The analytics engines: one implementation (Ibis expressions), two back-ends.

DuckDB runs in-process by default. Apache Spark runs the same expressions when
data outgrows one machine: ``connect("spark", master="spark://host:7077")`` or
``local[*]`` for local mode. Settings can also come from the environment:
``LASER_POLICY_SPARK_MASTER`` and ``LASER_POLICY_SPARK_CONF`` (``k=v;k=v``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from laser_policy.errors import UsageError

EngineName = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """A SparkSession for the given master (default local mode), reused if one is running."""
    from pyspark.sql import SparkSession

    master = master or os.environ.get("LASER_POLICY_SPARK_MASTER", "local[2]")
    settings: dict[str, str] = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "4",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "false",
        # dates parsed strictly by java.time (2021-02-30 is not a date), never an error
        "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    }
    if master.startswith("local"):
        # loopback only in local mode; on a cluster the executors must reach the driver
        settings["spark.driver.bindAddress"] = "127.0.0.1"
        settings["spark.driver.host"] = "127.0.0.1"
    env_conf = os.environ.get("LASER_POLICY_SPARK_CONF", "")
    for item in filter(None, env_conf.split(";")):
        key, _, value = item.partition("=")
        settings[key.strip()] = value.strip()
    settings.update(conf or {})
    builder = SparkSession.builder.master(master).appName("laser-policy")
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def connect(
    engine: str = "duckdb",
    *,
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    database: str = ":memory:",
) -> Any:
    """An Ibis backend for ``engine`` ("duckdb" or "spark")."""
    import ibis

    if engine == "duckdb":
        return ibis.duckdb.connect(database)
    if engine == "spark":
        return ibis.pyspark.connect(spark_session(master, conf))
    raise UsageError(f"未知的计算引擎 / unknown engine {engine!r}; 可选 / choose one of {ENGINES}")
