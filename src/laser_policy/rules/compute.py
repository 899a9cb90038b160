"""Package in, entitlements out: the model's declared incentives stacked into one expression.

Each incentive the policy model declares (``incentives.yaml``) is built by its
kind (:mod:`laser_policy.rules.kinds`) as an Ibis expression over the whole panel
(every enterprise, every year); they are unioned and executed once, and the same
expression runs on DuckDB (default) and on Spark. Only the
result — one row per payment still due — comes back to Python, where it is
rounded, split and explained (:mod:`laser_policy.rules.explain`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from laser_policy.errors import PolicyModelError, UsageError
from laser_policy.rules.explain import OUTPUT_COLUMNS, finalize, incentive_order, ordered
from laser_policy.rules.inputs import SCHEMAS, RuleInputs, as_inputs
from laser_policy.rules.kinds import check_readable, rule_rows
from laser_policy.rules.parameters import (
    IncentiveParameters,
    ParameterSchedule,
    PolicyModelLike,
    parameter_schedule,
)
from laser_policy.rules.sql_cache import Query, cached_query, result_columns, to_pandas

_YEAR_TABLES = ("financials", "products", "platforms", "projects")


def entitlement_rows(
    tables: dict[str, Any], params: IncentiveParameters, years: tuple[int, ...] | None = None
) -> Any:
    """One Ibis expression: every declared incentive's rows still due money (in ``years``),
    with name and city. The model must declare at least one incentive."""
    import ibis

    parts = [rule_rows(tables, rule) for rule in params.incentives]
    rows = ibis.union(*parts) if len(parts) > 1 else parts[0]
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
        raise UsageError(
            "须给出政策模型或参数 / a policy model (or its parameters) is required: "
            "the caller passes it in (CLI --model, web LASER_POLICY_MODELS)"
        )
    return parameter_schedule(model, [year] if year is not None else data_years(inputs))


def compute_entitlements(
    tables: Mapping[str, pd.DataFrame] | RuleInputs,
    model: PolicyModelLike | Sequence[PolicyModelLike] | None = None,
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

    ``model`` may be a list of models (several policies in force together): see
    :func:`compute_all`.
    """
    inputs = as_inputs(tables)
    if isinstance(model, Sequence):
        if params is not None:
            raise TypeError("params applies to one model, not to a list of models")
        return compute_all(inputs, model, year=year, con=con, engine=engine,
                           spark_master=spark_master, with_steps=with_steps)
    if params is None:
        params = engine_schedule(inputs, model, year)
    only: tuple[int, ...] | None = None if year is None else (year,)
    groups: list[tuple[IncentiveParameters, tuple[int, ...] | None]]
    if isinstance(params, IncentiveParameters):
        groups = [(params, only)]
    else:
        groups = [(p, years if only is None else only) for p, years in params.groups()]
    groups = [(p, years) for p, years in groups if p.incentives]
    for p, _ in groups:
        for rule in p.incentives:
            check_readable(rule)
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
    if len(parts) == 1:
        return parts[0]
    order = tuple(dict.fromkeys(i for p, _ in groups for i in incentive_order(p)))
    return ordered(pd.concat(parts, ignore_index=True), order)


def policy_id(model: PolicyModelLike) -> str:
    """The id output rows name a policy by (the model's ``id``, else its version)."""
    return str(getattr(model, "id", None) or model.version)


def compute_all(
    tables: Mapping[str, pd.DataFrame] | RuleInputs,
    models: Sequence[PolicyModelLike],
    *,
    year: int | None = None,
    con: Any = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
    with_steps: bool = True,
) -> pd.DataFrame:
    """The entitlements of several policies in force together, one table.

    Each model is computed as :func:`compute_entitlements` computes it alone (its
    own incentives, parameters year by year, ledger rows of its incentive ids);
    every row names its ``policy`` (the model's id, the column after
    ``rules_version``); the rows come policy by policy, in the order given.
    Two models with the same id are refused.
    """
    ids = [policy_id(m) for m in models]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise PolicyModelError(
            f"同一政策模型给出了两次：{', '.join(twice)} / the same policy model is given twice: "
            f"{', '.join(twice)}"
        )
    inputs = as_inputs(tables)
    parts = []
    for model, ident in zip(models, ids, strict=True):
        part = compute_entitlements(inputs, model, year=year, con=con, engine=engine,
                                    spark_master=spark_master, with_steps=with_steps)
        part.insert(list(part.columns).index("rules_version") + 1, "policy", ident)
        parts.append(part)
    if not parts:
        columns = [*OUTPUT_COLUMNS, "policy", *(["steps"] if with_steps else [])]
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)


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
