"""The package tables the incentive rules read, typed once as Arrow and handed to the engine.

Only the columns the rules use are kept. Values that cannot be read as the
contract's type are reported all at once (file, row, column) and nothing is
computed. Levels typed in Chinese (国家级/省级) are read as ``national``/``provincial``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from laser_policy.errors import Problem, ProblemCollector

#: per table, the columns the rules read (name -> Ibis type)
SCHEMAS: dict[str, dict[str, str]] = {
    "enterprises": {"uscc": "string", "name": "string", "city": "string", "is_laser": "boolean"},
    "financials": {
        "uscc": "string", "year": "int64", "revenue_wan": "float64", "rd_expense_wan": "float64",
    },
    "products": {
        "product_id": "string", "developer_uscc": "string", "user_uscc": "string",
        "catalog": "string", "catalog_level": "string", "year": "int64",
        "unit_price_wan": "float64", "rd_cost_wan": "float64", "name": "string",
    },
    "platforms": {
        "platform_id": "string", "operator_uscc": "string", "level": "string", "year": "int64",
        "external_service_revenue_wan": "float64", "name": "string",
    },
    "projects": {
        "project_id": "string", "name": "string", "uscc": "string", "kind": "string",
        "year": "int64", "investment_wan": "float64",
    },
    "awards": {
        "uscc": "string", "incentive": "string", "year": "int64", "amount_wan": "float64",
        "tier": "string", "ref": "string",
    },
}

#: the columns a table must have when it is present and not empty
REQUIRED: dict[str, tuple[str, ...]] = {
    "enterprises": ("uscc",),
    "financials": ("uscc", "year", "revenue_wan"),
    "products": ("product_id", "developer_uscc", "catalog_level", "year"),
    "platforms": ("platform_id", "operator_uscc", "level", "year", "external_service_revenue_wan"),
    "projects": ("project_id", "uscc", "kind", "year", "investment_wan"),
    "awards": ("uscc", "incentive", "year", "amount_wan"),
}

#: each type of SCHEMAS as Arrow and as SQL (Spark casts to it): one list for both engines
_TYPES: dict[str, tuple[pa.DataType, str]] = {
    "string": (pa.string(), "STRING"), "int64": (pa.int64(), "BIGINT"),
    "float64": (pa.float64(), "DOUBLE"), "boolean": (pa.bool_(), "BOOLEAN"),
}
_ARROW_TYPES = {kind: arrow for kind, (arrow, _) in _TYPES.items()}
SQL_TYPES = {kind: sql for kind, (_, sql) in _TYPES.items()}

LEVELS_ZH = {"国家级": "national", "省级": "provincial", "国家": "national", "省": "provincial"}
_LEVEL_COLUMNS = {"products": "catalog_level", "platforms": "level"}


class RuleInputs:
    """The typed tables of one computation: Arrow tables with the rules' schemas
    (engine-neutral); pandas frames only on request (:attr:`frames`)."""

    def __init__(self, tables: Mapping[str, pa.Table]) -> None:
        self._arrow = {name: tables[name] for name in SCHEMAS}
        self._frames: dict[str, pd.DataFrame] | None = None

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """The tables as pandas (text as Arrow-backed strings, years as ``Int64``),
        converted on first use."""
        if self._frames is None:
            self._frames = {name: _frame(table) for name, table in self._arrow.items()}
        return self._frames

    def tables(self, con: Any = None) -> dict[str, Any]:
        """The tables as Ibis tables with explicit schemas, for the backend ``con``.

        DuckDB (and no backend) gets in-memory tables. On Spark the tables are
        registered as temporary views from Arrow: Ibis's own in-memory path goes
        through pandas and turns a missing text value into the string "NaN".
        """
        import ibis

        if con is None or getattr(con, "name", "") != "pyspark":
            return {
                name: ibis.memtable(table, schema=ibis.schema(SCHEMAS[name]))
                for name, table in self._arrow.items()
            }
        return {name: _spark_view(con, name, table) for name, table in self._arrow.items()}

    def arrow(self) -> dict[str, pa.Table]:
        """The tables as Arrow with the rules' schemas (no copy)."""
        return dict(self._arrow)

    def years(self, names: Iterable[str]) -> set[int]:
        """The distinct years of the tables ``names`` (computed in Arrow, no row objects)."""
        import pyarrow.compute as pc

        years: set[int] = set()
        for name in names:
            unique = pc.unique(self._arrow[name].column("year")).drop_null()
            years.update(int(y) for y in unique.to_pylist())
        return years


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema the rules read for table ``name``."""
    return pa.schema([(column, _ARROW_TYPES[kind]) for column, kind in SCHEMAS[name].items()])


def _frame(table: pa.Table) -> pd.DataFrame:
    text = pd.StringDtype("pyarrow")
    mapping = {pa.string(): text, pa.int64(): pd.Int64Dtype()}
    frame: pd.DataFrame = table.to_pandas(types_mapper=mapping.get)
    return frame


def from_arrow(tables: Mapping[str, pa.Table]) -> RuleInputs:
    """The rules' inputs from tables already validated and typed by the package reader
    (``Package.arrow``): the rules' columns selected and cast, no pandas copy; absent
    tables become empty ones. Values are those of ``prepare`` over the same package."""
    selected: dict[str, pa.Table] = {}
    for name in SCHEMAS:
        schema = arrow_schema(name)
        table = tables.get(name)
        if table is None:
            selected[name] = schema.empty_table()
            continue
        columns = [
            table.column(f.name).cast(f.type) if f.name in table.column_names
            else pa.nulls(table.num_rows, f.type)
            for f in schema
        ]
        selected[name] = pa.Table.from_arrays(columns, schema=schema)
    return RuleInputs(selected)


def as_inputs(tables: Mapping[str, pd.DataFrame] | RuleInputs) -> RuleInputs:
    """The rules' inputs from typed inputs, from a package's tables (the Arrow tables the
    reader typed, when the frames were not replaced) or from pandas frames (``prepare``)."""
    if isinstance(tables, RuleInputs):
        return tables
    arrow = getattr(tables, "untouched_arrow", None)
    if callable(arrow):
        typed = arrow()
        if typed is not None:
            return from_arrow(typed)
    return prepare(dict(tables))


def _spark_view(con: Any, name: str, arrow: pa.Table) -> Any:
    import uuid

    view = f"laser_policy_{name}_{uuid.uuid4().hex}"
    session = con._session  # the backend's SparkSession (no public accessor in Ibis)
    session.createDataFrame(arrow).createOrReplaceTempView(view)
    return con.table(view)


_TEXT = pd.StringDtype("pyarrow")


def _text(series: pd.Series) -> pd.Series:
    """Text with surrounding blanks removed; empty or missing as NA (vectorised, Arrow-backed)."""
    text = series.astype(_TEXT).str.strip()
    return text.mask(text == "")


def _absent(kind: str, index: pd.Index) -> pd.Series:
    """An all-missing column of the rules' type for ``kind``."""
    if kind == "string":
        return pd.Series(pd.NA, index=index, dtype=_TEXT)
    if kind == "boolean":
        return pd.Series(pd.NA, index=index, dtype="boolean")
    if kind == "int64":
        return pd.Series(pd.NA, index=index, dtype="Int64")
    return pd.Series(np.nan, index=index, dtype="float64")


def _boolean(file: str, column: str, series: pd.Series, problems: ProblemCollector) -> pd.Series:
    """是/否, true/false, 1/0 … (``contracts.values.to_bool``) as a nullable boolean column."""
    from laser_policy.contracts.values import to_bool

    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean")
    text = _text(series).astype(object)
    text = text.where(text.notna(), None)
    values, bad = to_bool(text)
    for position in np.flatnonzero(bad.to_numpy()):
        problems.add(Problem(file, "type", "应为是/否", "must be true/false",
                             int(position) + 2, column, series.iloc[position]))
    return values.reset_index(drop=True).set_axis(series.index)


def _typed(name: str, raw: pd.DataFrame, problems: ProblemCollector) -> pd.DataFrame:
    schema = SCHEMAS[name]
    file = f"{name}.csv"
    present = not raw.empty
    for column in REQUIRED[name]:
        if present and column not in raw.columns:
            problems.add(Problem(
                file, "required_column", f"缺少必填列「{column}」",
                f"missing required column {column!r}", None, column,
            ))
    out: dict[str, pd.Series] = {}
    for column, kind in schema.items():
        if column not in raw.columns:
            out[column] = _absent(kind, raw.index)
            continue
        series = raw[column]
        if kind == "string":
            out[column] = _text(series)
            continue
        if kind == "boolean":
            out[column] = _boolean(file, column, series, problems)
            continue
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            numbers = series.astype("float64")
            bad = pd.Series(False, index=series.index)
        else:
            text = _text(series)
            numbers = pd.to_numeric(text, errors="coerce")
            bad = text.notna() & numbers.isna()
        if kind == "int64":
            bad |= numbers.notna() & (numbers != numbers.round())
        for position in np.flatnonzero(bad.to_numpy()):
            expected = "整数" if kind == "int64" else "数值"
            problems.add(Problem(
                file, "type", f"应为{expected}", f"must be {kind}",
                int(position) + 2, column, series.iloc[position],
            ))
        out[column] = numbers.astype("Int64" if kind == "int64" else "float64")
    frame = pd.DataFrame(out, index=raw.index).reset_index(drop=True)
    level = _LEVEL_COLUMNS.get(name)
    if level is not None:
        frame[level] = frame[level].replace(LEVELS_ZH)
    return frame


def prepare(tables: dict[str, pd.DataFrame]) -> RuleInputs:
    """Type the tables the rules read; absent tables become empty ones.

    Raises :class:`~laser_policy.errors.DataValidationError` with every problem found.
    """
    problems = ProblemCollector()
    frames: dict[str, pd.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        raw = tables.get(name)
        if raw is None:
            raw = pd.DataFrame({c: pd.Series(dtype="object") for c in schema})
        frames[name] = _typed(name, raw, problems)
    problems.raise_if_any()
    return RuleInputs({
        name: pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
        for name, frame in frames.items()
    })
