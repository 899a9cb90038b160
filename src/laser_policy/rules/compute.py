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

import pandas as pd

from laser_policy.rules.explain import OUTPUT_COLUMNS, finalize, ordered
from laser_policy.rules.inputs import SCHEMAS, RuleInputs, as_inputs
from laser_policy.rules.parameters import (
    IncentiveParameters,
    ParameterSchedule,
    PolicyModelLike,
    parameter_schedule,
)
from laser_policy.rules.sql_cache import Query, cached_query, result_columns, to_pandas

_YEAR_TABLES = ("financials", "products", "platforms", "projects")


def _in_window(rows: Any, params: Any) -> Any:
    """Only years the incentive applies to (``window_start_year``..``window_end_year``)."""
    return rows.filter(rows.year.between(params.window_start_year, params.window_end_year))


def entitlement_rows(
    tables: dict[str, Any], params: IncentiveParameters, years: tuple[int, ...] | None = None
) -> Any:
    """One Ibis expression: every rule's rows still due money (in ``years``), with name and city."""
    import ibis

    from laser_policy.rules.first_set import first_set_amount
    from laser_policy.rules.innovation_source import innovation_source_amount
    from laser_policy.rules.revenue_milestone import revenue_milestone_amount
    from laser_policy.rules.service_platform import service_platform_amount

    rows = ibis.union(
        revenue_milestone_amount(tables, params.revenue_milestone),  # applies its own window
        _in_window(first_set_amount(tables, params.first_set), params.first_set),
        _in_window(service_platform_amount(tables, params.service_platform),
                   params.service_platform),
        _in_window(innovation_source_amount(tables, params.innovation_source),
                   params.innovation_source),
    )
    rows = rows.filter(rows.due_wan > 0)
    if years is not None:
        rows = rows.filter(rows.year.isin(list(years)))
    ent = tables["enterprises"]
    ent = ent.filter(ent.uscc.notnull() & ent.uscc.isin(rows.uscc))  # only firms due money
    ent = ent.group_by(e_uscc=ent.uscc).aggregate(name=ent.name.min(), city=ent.city.min())
    joined = rows.left_join(ent, rows.uscc == ent.e_uscc)
    return joined.select(*rows.columns, "name", "city")


def data_years(inputs: RuleInputs) -> list[int]:
    """Every year in the package's dated tables."""
    return sorted(inputs.years(_YEAR_TABLES))


def latest_year(inputs: RuleInputs) -> int:
    """The latest year in the package's dated tables (this year when there is none)."""
    years = data_years(inputs)
    return years[-1] if years else datetime.date.today().year


def engine_schedule(
    inputs: RuleInputs, model: PolicyModelLike | None, year: int | None
) -> ParameterSchedule:
    """The parameters the engine reads: those in force in ``year``, else in each year of
    the package (an entitlement of year Y is computed with the parameters of Y)."""
    if model is None:
        from laser_policy.policy.model import load_policy

        model = load_policy()
    return parameter_schedule(model, [year] if year is not None else data_years(inputs))


def compute_entitlements(
    tables: Mapping[str, pd.DataFrame] | RuleInputs,
    model: PolicyModelLike | None = None,
    *,
    year: int | None = None,
    params: IncentiveParameters | ParameterSchedule | None = None,
    con: Any = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
    with_steps: bool = True,
) -> pd.DataFrame:
    """The entitlements table for a package's tables (``Package.tables``: the reader's
    Arrow tables are used, no pandas copy), pandas frames, or inputs already typed by
    :func:`~laser_policy.rules.inputs.prepare` / ``from_arrow``.

    Each year's entitlements are computed with the parameters in force that year
    (read from ``model``, default the packaged policy model), unless ``params``
    is given: one :class:`IncentiveParameters` for every year, or a
    :class:`ParameterSchedule`. ``year`` keeps only that year's entitlements
    (earlier years still count as paid). ``con`` is an Ibis backend; otherwise
    one is opened for ``engine``. ``with_steps=False`` leaves out the structured
    ``steps`` column (only JSON shows it).
    """
    inputs = as_inputs(tables)
    if params is None:
        params = engine_schedule(inputs, model, year)
    only: tuple[int, ...] | None = None if year is None else (year,)
    groups: list[tuple[IncentiveParameters, tuple[int, ...] | None]]
    if isinstance(params, IncentiveParameters):
        groups = [(params, only)]
    else:
        groups = [(p, years if only is None else only) for p, years in params.groups()]
    parts = [
        finalize(
            execute_rows(inputs, p, years, con=con, engine=engine, spark_master=spark_master),
            p,
            with_steps=with_steps,
        )
        for p, years in groups
    ]
    if not parts:  # no year with parameters in force (all before the policy): nothing due
        columns = [*OUTPUT_COLUMNS, "steps"] if with_steps else list(OUTPUT_COLUMNS)
        return pd.DataFrame(columns=columns)
    return parts[0] if len(parts) == 1 else ordered(pd.concat(parts, ignore_index=True))


def execute_rows(
    inputs: RuleInputs,
    params: IncentiveParameters,
    years: tuple[int, ...] | None,
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

        return _run_duckdb(duckdb.connect(), inputs, params, years)
    if con is None:
        from laser_policy.engine import connect

        quiet = {"spark.ui.showConsoleProgress": "false"} if engine == "spark" else None
        con = connect(engine, master=spark_master, conf=quiet)
    if getattr(con, "name", "") == "duckdb":
        return _run_duckdb(con.con.cursor(), inputs, params, years)
    expr = entitlement_rows(inputs.tables(con), params, years)
    result: pd.DataFrame = con.execute(expr)
    return result


_TABLE_PREFIX = "laser_policy_"


@functools.lru_cache(maxsize=64)
def _duckdb_query(params: IncentiveParameters, years: tuple[int, ...] | None) -> Query:
    """The rules as DuckDB SQL over tables named ``laser_policy_<table>``, and the result's
    column types; compiled by Ibis once and then read from the disk cache
    (:mod:`laser_policy.rules.sql_cache`), so a run with cached SQL never imports Ibis."""

    def build() -> Query:
        import ibis

        unbound = {
            name: ibis.table(ibis.schema(schema), name=_TABLE_PREFIX + name)
            for name, schema in SCHEMAS.items()
        }
        expr = entitlement_rows(unbound, params, years)
        return str(ibis.to_sql(expr, dialect="duckdb")), result_columns(expr.schema())

    return cached_query((_TABLE_PREFIX, params, years), build)


def _run_duckdb(
    cursor: Any, inputs: RuleInputs, params: IncentiveParameters, years: tuple[int, ...] | None
) -> pd.DataFrame:
    sql, columns = _duckdb_query(params, years)
    try:
        cursor.execute("SET enable_progress_bar = false")  # DuckDB's bar would go to stdout
        for name, table in inputs.arrow().items():
            cursor.register(_TABLE_PREFIX + name, table)
        arrow = cursor.sql(sql).to_arrow_table()
    finally:
        cursor.close()
    return to_pandas(arrow, columns)
