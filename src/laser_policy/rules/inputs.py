"""The package tables the incentive rules read, typed and handed to the engine as Ibis tables.

Only the columns the rules use are kept. Values that cannot be read as the
contract's type are reported all at once (file, row, column) and nothing is
computed. Levels typed in Chinese (国家级/省级) are read as ``national``/``provincial``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

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

LEVELS_ZH = {"国家级": "national", "省级": "provincial", "国家": "national", "省": "provincial"}
_LEVEL_COLUMNS = {"products": "catalog_level", "platforms": "level"}


@dataclass(frozen=True)
class RuleInputs:
    """The typed frames of one computation (pandas, engine-neutral)."""

    frames: dict[str, pd.DataFrame]

    def tables(self, con: Any = None) -> dict[str, Any]:
        """The frames as Ibis tables with explicit schemas, for the backend ``con``.

        DuckDB (and no backend) gets in-memory tables. On Spark the frames are
        registered as temporary views from Arrow: Ibis's own in-memory path goes
        through pandas and turns a missing text value into the string "NaN".
        """
        import ibis

        if con is None or getattr(con, "name", "") != "pyspark":
            return {
                name: ibis.memtable(frame, schema=ibis.schema(SCHEMAS[name]))
                for name, frame in self.frames.items()
            }
        return {name: _spark_view(con, name, frame) for name, frame in self.frames.items()}

    def arrow(self) -> dict[str, Any]:
        """The frames as Arrow tables with the rules' schemas (zero-copy where possible)."""
        import ibis
        import pyarrow as pa

        return {
            name: pa.Table.from_pandas(
                frame, schema=ibis.schema(SCHEMAS[name]).to_pyarrow(), preserve_index=False
            )
            for name, frame in self.frames.items()
        }


def _spark_view(con: Any, name: str, frame: pd.DataFrame) -> Any:
    import uuid

    import ibis
    import pyarrow as pa

    schema = ibis.schema(SCHEMAS[name])
    arrow = pa.Table.from_pandas(frame, schema=schema.to_pyarrow(), preserve_index=False)
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
    return RuleInputs(frames)
