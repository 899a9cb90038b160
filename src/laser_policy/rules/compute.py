"""Package in, entitlements out: the four rules stacked into one expression, executed once.

The rules are Ibis expressions over the whole panel (every enterprise, every
year); the same expression runs on DuckDB (default) and on Spark. Only the
result — one row per payment still due — comes back to Python, where it is
rounded, split and explained (:mod:`laser_policy.rules.explain`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import Any

import ibis
import pandas as pd

from laser_policy.rules.explain import finalize
from laser_policy.rules.first_set import first_set_amount
from laser_policy.rules.innovation_source import innovation_source_amount
from laser_policy.rules.inputs import SCHEMAS, RuleInputs, prepare
from laser_policy.rules.parameters import (
    IncentiveParameters,
    PolicyModelLike,
    parameters_from_model,
)
from laser_policy.rules.revenue_milestone import revenue_milestone_amount
from laser_policy.rules.service_platform import service_platform_amount

_YEAR_TABLES = ("financials", "products", "platforms", "projects")


def _in_window(rows: Any, params: Any) -> Any:
    """Only years the incentive applies to (``window_start_year``..``window_end_year``)."""
    return rows.filter(rows.year.between(params.window_start_year, params.window_end_year))


def entitlement_rows(tables: dict[str, Any], params: IncentiveParameters, year: int | None) -> Any:
    """One Ibis expression: every rule's rows still due money, with name and city."""
    rows = ibis.union(
        revenue_milestone_amount(tables, params.revenue_milestone),  # applies its own window
        _in_window(first_set_amount(tables, params.first_set), params.first_set),
        _in_window(service_platform_amount(tables, params.service_platform),
                   params.service_platform),
        _in_window(innovation_source_amount(tables, params.innovation_source),
                   params.innovation_source),
    )
    rows = rows.filter(rows.due_wan > 0)
    if year is not None:
        rows = rows.filter(rows.year == year)
    ent = tables["enterprises"]
    ent = ent.filter(ent.uscc.notnull() & ent.uscc.isin(rows.uscc))  # only firms due money
    ent = ent.group_by(e_uscc=ent.uscc).aggregate(name=ent.name.min(), city=ent.city.min())
    joined = rows.left_join(ent, rows.uscc == ent.e_uscc)
    return joined.select(*rows.columns, "name", "city")


def latest_year(inputs: RuleInputs) -> int:
    """The latest year in the package's dated tables (this year when there is none)."""
    years = [
        int(inputs.frames[name]["year"].max())
        for name in _YEAR_TABLES
        if inputs.frames[name]["year"].notna().any()
    ]
    return max(years) if years else datetime.date.today().year


def compute_entitlements(
    tables: Mapping[str, pd.DataFrame],
    model: PolicyModelLike | None = None,
    *,
    year: int | None = None,
    params: IncentiveParameters | None = None,
    con: Any = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
    with_steps: bool = True,
) -> pd.DataFrame:
    """The entitlements table for a package's tables.

    Parameters are those in force in ``year`` (else the package's latest year),
    read from ``model`` (default: the packaged policy model) unless ``params`` is
    given. ``year`` also keeps only that year's entitlements (earlier years still
    count as paid). ``con`` is an Ibis backend; otherwise one is opened for ``engine``.
    ``with_steps=False`` leaves out the structured ``steps`` column (only JSON shows it).
    """
    inputs = prepare(dict(tables))
    if params is None:
        if model is None:
            from laser_policy.policy.model import load_policy

            model = load_policy()
        when = year if year is not None else latest_year(inputs)
        params = parameters_from_model(model, when)
    raw = execute_rows(inputs, params, year, con=con, engine=engine, spark_master=spark_master)
    return finalize(raw, params, with_steps=with_steps)


def execute_rows(
    inputs: RuleInputs,
    params: IncentiveParameters,
    year: int | None,
    *,
    con: Any = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> pd.DataFrame:
    """The rules' expression executed: one raw row per payment due (before rounding).

    On DuckDB the expression is compiled once per parameter set and year (cached
    SQL over named tables) and run on a private cursor with the frames registered
    as Arrow tables, so repeated computations skip Ibis's build and compile and
    concurrent ones never see each other's tables. Spark runs the same expression
    through Ibis over temporary views.
    """
    if con is None and engine == "duckdb":
        import duckdb

        return _run_duckdb(duckdb.connect(), inputs, params, year)
    if con is None:
        from laser_policy.engine import connect

        quiet = {"spark.ui.showConsoleProgress": "false"} if engine == "spark" else None
        con = connect(engine, master=spark_master, conf=quiet)
    if getattr(con, "name", "") == "duckdb":
        return _run_duckdb(con.con.cursor(), inputs, params, year)
    expr = entitlement_rows(inputs.tables(con), params, year)
    result: pd.DataFrame = con.execute(expr)
    return result


_TABLE_PREFIX = "laser_policy_"


@functools.lru_cache(maxsize=64)
def _duckdb_query(params: IncentiveParameters, year: int | None) -> tuple[str, Any]:
    """The rules as DuckDB SQL over tables named ``laser_policy_<table>``, and its schema."""
    unbound = {
        name: ibis.table(ibis.schema(schema), name=_TABLE_PREFIX + name)
        for name, schema in SCHEMAS.items()
    }
    expr = entitlement_rows(unbound, params, year)
    return str(ibis.to_sql(expr, dialect="duckdb")), expr.schema()


def _run_duckdb(
    cursor: Any, inputs: RuleInputs, params: IncentiveParameters, year: int | None
) -> pd.DataFrame:
    from ibis.backends.duckdb.converter import DuckDBPandasData

    sql, schema = _duckdb_query(params, year)
    try:
        for name, table in inputs.arrow().items():
            cursor.register(_TABLE_PREFIX + name, table)
        arrow = cursor.sql(sql).to_arrow_table()
    finally:
        cursor.close()
    frame: pd.DataFrame = DuckDBPandasData.convert_table(arrow.to_pandas(), schema)
    return frame
