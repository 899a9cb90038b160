"""The rules' SQL is compiled once and read from disk after: a cached run never imports Ibis,
and its result is converted to pandas exactly as Ibis converts it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.policy.model import load_policy
from laser_policy.rules.compute import _run_duckdb
from laser_policy.rules.inputs import from_arrow
from laser_policy.rules.parameters import parameters_from_model
from laser_policy.sample import write_sample

TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")

PROBE = """
import sys
from laser_policy.cli import main
try:
    main(["incentives", "compute", sys.argv[1], "--format", "csv", "--output", sys.argv[2]])
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("ibis" in sys.modules, "sqlalchemy" in sys.modules)
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sql-cache") / "pkg"
    write_sample(out, enterprises=150, transactions=100, seed=3)
    return out


def _run(sample: Path, out: Path, cache: Path) -> str:
    env = {**os.environ, "LASER_POLICY_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(sample), str(out)],
                          capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_a_run_with_cached_sql_imports_neither_ibis_nor_the_database(
    sample: Path, tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    first = _run(sample, tmp_path / "first.csv", cache)
    assert first.split()[0] == "True"  # compiled by Ibis the first time
    assert list((cache / "rules-sql").glob("*.json"))
    second = _run(sample, tmp_path / "second.csv", cache)
    assert second == "False False"
    assert (tmp_path / "first.csv").read_bytes() == (tmp_path / "second.csv").read_bytes()


@pytest.mark.parametrize("year", [None, (2024,), (1990,)])  # 1990: an empty result
def test_result_converted_as_ibis_converts_it(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, year: tuple[int, ...] | None,
) -> None:
    import duckdb
    import ibis
    from ibis.backends.duckdb.converter import DuckDBPandasData

    from laser_policy.io import read_package
    from laser_policy.rules.compute import _TABLE_PREFIX, entitlement_rows
    from laser_policy.rules.inputs import SCHEMAS

    monkeypatch.setenv("LASER_POLICY_CACHE_DIR", str(tmp_path))
    inputs = from_arrow(read_package(sample, tables=TABLES).arrow)
    params = parameters_from_model(load_policy(), 2024)
    ours = _run_duckdb(duckdb.connect(), inputs, params, year)
    unbound = {name: ibis.table(ibis.schema(s), name=_TABLE_PREFIX + name)
               for name, s in SCHEMAS.items()}
    expr = entitlement_rows(unbound, params, year)
    con = duckdb.connect()
    for name, table in inputs.arrow().items():
        con.register(_TABLE_PREFIX + name, table)
    arrow = con.sql(str(ibis.to_sql(expr, dialect="duckdb"))).to_arrow_table()
    theirs = DuckDBPandasData.convert_table(arrow.to_pandas(), expr.schema())
    if year != (1990,):
        assert len(ours) > 0
    key = ["uscc", "incentive", "year", "role", "ref"]  # the SQL leaves the order open
    pd.testing.assert_frame_equal(ours.sort_values(key, ignore_index=True),
                                  theirs.sort_values(key, ignore_index=True))
