"""Every policy case gives the same entitlements on Spark as on DuckDB.

One expression, two engines: the whole output (amounts, sentences, steps) must be identical.
"""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd
import pytest

from .policy_casebook import PolicyCase, all_cases, check_case, run_cases

CASES = all_cases()


#: Spark settings that suit a few dozen rows (whole-stage code generation and many
#: shuffle partitions cost more than they save); restored after the run
SMALL_DATA_CONF = {"spark.sql.codegen.wholeStage": "false", "spark.sql.shuffle.partitions": "1"}


@pytest.fixture(scope="module")
def outputs(spark_con: Any) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    conf = spark_con._session.conf
    saved = {key: conf.get(key) for key in SMALL_DATA_CONF}
    for key, value in SMALL_DATA_CONF.items():
        conf.set(key, value)
    try:
        on_spark = run_cases(CASES, spark_con)
    finally:
        for key, value in saved.items():
            conf.set(key, value)
    return run_cases(CASES, ibis.duckdb.connect()), on_spark


@pytest.mark.spark
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_identical_output_on_spark(
    case: PolicyCase, outputs: tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]
) -> None:
    duckdb_out, spark_out = outputs
    check_case(case, spark_out[case.name])
    pd.testing.assert_frame_equal(duckdb_out[case.name], spark_out[case.name])
