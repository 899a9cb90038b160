"""Validate a bulk table held as Parquet (transactions) with DuckDB, never in pandas.

One scan counts every rule's violations; only the first rows of a broken rule are
fetched to name them. Distinct codes, segments and cities (small) are checked with
the same vectorised helpers as the in-memory tables. The result includes a DuckDB
``SELECT`` that yields the table with contract column names and codes normalised,
for the analytics engine to read the files where they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from laser_policy.contracts.cities import HUBEI, HUBEI_DIVISIONS, normalise_city
from laser_policy.contracts.messages import problem
from laser_policy.contracts.segments import segment_lookup
from laser_policy.contracts.tables import YEAR_MAX, YEAR_MIN, Table
from laser_policy.contracts.validate import (
    MAX_ROWS_PER_RULE,
    SUPPLIER_COLUMNS,
    SUPPLIER_COLUMNS_ZH,
    Report,
    map_headers,
)
from laser_policy.contracts.values import uscc_rules
from laser_policy.errors import Problem


@dataclass
class BulkResult:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: DuckDB SQL giving the normalised table (contract names, segment codes, city full names)
    sql: str = ""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def validate_bulk(
    spec: Table, glob: str, root: Path, hive: bool, enterprises: Iterable[str] | None,
) -> BulkResult:
    """Check the Parquet files matched by ``glob`` (paths shown relative to ``root``)."""
    label = root.name + ("/" if root.is_dir() else "")
    result = BulkResult()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would go to stdout
    source = (f"read_parquet({_lit(glob)}, hive_partitioning={str(hive).lower()}, "
              "union_by_name=true, filename=true, file_row_number=true)")
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    except duckdb.Error as exc:
        result.problems.append(problem(label, "file.unreadable", detail=str(exc).splitlines()[0]))
        return result
    report = Report(label)
    raw_columns = [c for c in columns if c not in ("filename", "file_row_number")]
    mapping = map_headers(raw_columns, spec, report)
    report.headers = {name: str(raw) for raw, name in mapping.items()}
    result.warnings = report.warnings
    have = set(mapping.values())
    for col in spec.columns:
        if col.required and col.name not in have and not (col.name == "year" and "date" in have):
            report.add("column.missing", name=col.name, zh=col.zh)
    if not {"supplier_uscc", "supplier_name"} & have:
        report.add("column.missing", name=SUPPLIER_COLUMNS, zh=SUPPLIER_COLUMNS_ZH)
    if report.problems:
        result.problems = report.problems
        return result
    select = ", ".join(f"{_q(raw)} AS {_q(name)}" for raw, name in mapping.items())
    con.execute(f"CREATE VIEW t AS SELECT {select}, filename AS _file, "
                f"file_row_number AS _row FROM {source}")
    if "year" not in have:
        con.execute("CREATE OR REPLACE VIEW t2 AS SELECT *, year(TRY_CAST(date AS DATE)) "
                    "AS year FROM t")
    else:
        con.execute("CREATE OR REPLACE VIEW t2 AS SELECT * FROM t")
    conditions = _conditions(spec, have)
    if enterprises is not None:
        con.register("_enterprises", pd.DataFrame({"uscc": pd.Series(list(enterprises),
                                                                       dtype=object)}))
        conditions["ref.unknown|buyer_uscc"] = (
            "buyer_uscc IS NOT NULL AND CAST(buyer_uscc AS VARCHAR) NOT IN "
            "(SELECT uscc FROM _enterprises)")
    counts = con.execute("SELECT count(*), " + ", ".join(
        f"count(*) FILTER (WHERE {cond})" for cond in conditions.values()) + " FROM t2").fetchone()
    if counts is None:  # an aggregate always returns one row
        raise RuntimeError("DuckDB returned no row for an aggregate")
    result.rows = int(counts[0])
    for (key, cond), n in zip(conditions.items(), counts[1:], strict=True):
        if n:
            _examples(con, root, report, key=key, cond=cond, n=int(n))
    _distinct_checks(con, report, have)
    result.problems = report.problems
    result.sql = _normalised_sql(con, spec, mapping, source, have)
    con.close()
    return result


def _conditions(spec: Table, have: set[str]) -> dict[str, str]:
    def blank(c: str) -> str:
        return f"({_q(c)} IS NULL OR trim(CAST({_q(c)} AS VARCHAR)) = '')"

    conds: dict[str, str] = {}
    for col in spec.columns:
        if col.name not in have and not (col.name == "year" and "date" in have):
            continue
        if col.required:
            conds[f"value.required|{col.name}"] = blank(col.name)
        v = f"CAST({_q(col.name)} AS VARCHAR)"
        if col.kind == "float":
            conds[f"value.number|{col.name}"] = (
                f"NOT {blank(col.name)} AND TRY_CAST({v} AS DOUBLE) IS NULL")
            conds[f"value.non_negative|{col.name}"] = f"TRY_CAST({v} AS DOUBLE) < 0"
        elif col.kind == "int":
            conds[f"value.int|{col.name}"] = (
                f"NOT {blank(col.name)} AND (TRY_CAST({v} AS DOUBLE) IS NULL OR "
                f"TRY_CAST({v} AS DOUBLE) <> round(TRY_CAST({v} AS DOUBLE)))")
            if col.name == "year":
                conds["value.year_range|year"] = (
                    f"TRY_CAST({v} AS DOUBLE) NOT BETWEEN {YEAR_MIN} AND {YEAR_MAX}")
        elif col.kind == "date" and col.name in have:
            conds[f"value.date|{col.name}"] = (
                f"NOT {blank(col.name)} AND TRY_CAST({v} AS DATE) IS NULL")
    if {"supplier_uscc", "supplier_name"} <= have:
        conds["check.supplier|supplier_uscc"] = (
            f"{blank('supplier_uscc')} AND {blank('supplier_name')}")
    return conds


def _examples(con: duckdb.DuckDBPyConnection, root: Path, report: Report, *, key: str,
              cond: str, n: int) -> None:
    rule, column = key.split("|")
    fields = {"low": YEAR_MIN, "high": YEAR_MAX, "table": "enterprises", "table_zh": "企业名录"}
    rows = con.execute(f"SELECT _file, _row, CAST({_q(column)} AS VARCHAR) FROM t2 "
                       f"WHERE {cond} ORDER BY _file, _row LIMIT {MAX_ROWS_PER_RULE}").fetchall()
    for file, row, value in rows:
        report.problems.append(problem(
            _relative(file, root), rule, row=int(row) + 2, column=report.header(column),
            value=value, **fields))
    if n > MAX_ROWS_PER_RULE:
        report.add("rule.more", column=report.header(column), count=n - MAX_ROWS_PER_RULE, total=n)


def _relative(file: str, root: Path) -> str:
    path = Path(file)
    base = root if root.is_dir() else root.parent
    try:
        return str(Path(root.name) / path.relative_to(base)) if root.is_dir() else path.name
    except ValueError:
        return file


def _distinct(con: duckdb.DuckDBPyConnection, sql: str) -> pd.Series:
    return pd.Series([r[0] for r in con.execute(sql).fetchall()], dtype=object)


def _distinct_checks(con: duckdb.DuckDBPyConnection, report: Report, have: set[str]) -> None:
    """Checks over distinct values (codes, segments, cities): first row of each named."""
    bad_values: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}
    for column in ("buyer_uscc", "supplier_uscc"):
        if column in have:
            codes = _distinct(con, f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM t2 "
                                   f"WHERE {column} IS NOT NULL")
            for value, rules in uscc_rules(codes).items():
                bad_values.setdefault(column, {})[value] = (rules[0], {"length": str(len(value))})
    lookup = segment_lookup()
    for value in _distinct(con, "SELECT DISTINCT CAST(segment AS VARCHAR) FROM t2 "
                                "WHERE segment IS NOT NULL"):
        if value not in lookup and value.lower() not in lookup and value.strip():
            bad_values.setdefault("segment", {})[value] = ("value.segment", {"item": value})
    if {"supplier_city", "supplier_province"} <= have:
        for value in _distinct(con, "SELECT DISTINCT CAST(supplier_city AS VARCHAR) FROM t2 "
                                    f"WHERE supplier_province IN ({_lit(HUBEI)}, '湖北') "
                                    "AND supplier_city IS NOT NULL"):
            if value.strip() and normalise_city(value) is None:
                bad_values.setdefault("supplier_city", {})[value] = (
                    "value.city", {"expected": "、".join(HUBEI_DIVISIONS)})
    for column, values in bad_values.items():
        for value, (rule, fields) in list(values.items())[:MAX_ROWS_PER_RULE]:
            first = con.execute(f"SELECT _file, _row FROM t2 WHERE CAST({column} AS VARCHAR) = ? "
                                "ORDER BY _file, _row LIMIT 1", [value]).fetchone()
            row = None if first is None else int(first[1]) + 2
            report.add(rule, row=row, column=report.header(column), value=value, **fields)


def _normalised_sql(con: duckdb.DuckDBPyConnection, spec: Table, mapping: dict[Any, str],
                    source: str, have: set[str]) -> str:
    plain = source.replace(", filename=true, file_row_number=true", "")
    parts: list[str] = []
    lookup = segment_lookup()
    for raw, name in mapping.items():
        expr = _q(str(raw))
        if name == "segment":
            pairs = {k: v for k, v in lookup.items() if k != v}
            expr = "CASE " + " ".join(
                f"WHEN CAST({expr} AS VARCHAR) = {_lit(k)} THEN {_lit(v)}" for k, v in pairs.items()
            ) + f" ELSE CAST({expr} AS VARCHAR) END"
        elif name == "supplier_city":
            values = _distinct(con, "SELECT DISTINCT CAST(supplier_city AS VARCHAR) FROM t2 "
                                    "WHERE supplier_city IS NOT NULL")
            pairs = {v: c for v in values if (c := normalise_city(v)) is not None and c != v}
            if pairs:
                expr = "CASE " + " ".join(
                    f"WHEN CAST({expr} AS VARCHAR) = {_lit(k)} THEN {_lit(v)}"
                    for k, v in pairs.items()) + f" ELSE CAST({expr} AS VARCHAR) END"
        elif name == "amount_wan":
            expr = f"CAST({expr} AS DOUBLE)"
        elif name == "year":
            expr = f"CAST({expr} AS BIGINT)"
        parts.append(f"{expr} AS {_q(name)}")
    if "year" not in have:
        parts.append(f"year(CAST({_q(next(r for r, n in mapping.items() if n == 'date'))} "
                     "AS DATE)) AS year")
    absent = {"float": "DOUBLE", "int": "BIGINT", "date": "DATE"}
    for col in spec.columns:
        if col.name not in have and col.name != "year":
            parts.append(f"CAST(NULL AS {absent.get(col.kind, 'VARCHAR')}) AS {_q(col.name)}")
    return f"SELECT {', '.join(parts)} FROM {plain}"
