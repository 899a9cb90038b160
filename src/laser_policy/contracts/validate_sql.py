"""Validate and normalise one table in DuckDB over its Arrow cells: same rules, same messages.

``validate_arrow`` is ``validate.validate_table`` without a Python object per row:
the cells (an Arrow table of text, as the CSV reader gives them, with ``_row`` the
spreadsheet row) are cleaned, converted and checked by SQL; one aggregate query
counts every rule's violations and only the first ``MAX_ROWS_PER_RULE`` rows of a
broken rule are fetched to name them. Checks that need the policy's vocabularies
(credit codes, cities, segments, enumerations) run in Python over the *distinct*
values only and are joined back as small mapping tables. The result is an Arrow
table with the contract's types, for pandas only at the edge (``to_frame``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from laser_policy.contracts.cities import HUBEI, HUBEI_DIVISIONS, normalise_city
from laser_policy.contracts.messages import problem
from laser_policy.contracts.segments import SEGMENT_SEPARATORS, segment_lookup
from laser_policy.contracts.tables import TABLES, YEAR_MAX, YEAR_MIN, Column, Table
from laser_policy.contracts.uscc import canonical_uscc
from laser_policy.contracts.validate import (
    MAX_ROWS_PER_RULE,
    MONEY_EPSILON,
    SUPPLIER_COLUMNS,
    SUPPLIER_COLUMNS_ZH,
    Report,
    map_headers,
    same_rows,
)
from laser_policy.contracts.values import FALSE_WORDS, TRUE_WORDS, uscc_rules
from laser_policy.errors import Problem

ROW = "_row"
#: what Python's ``str.strip()`` removes (RE2 classes: ASCII blanks, separators, controls)
_BLANK = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\pZ]"
_NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}([ T]00:00(:00(\.0+)?)?)?"
_PROVINCE_SHORT = {HUBEI: HUBEI, HUBEI.removesuffix("省"): HUBEI}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


@dataclass
class Validated:
    """One table checked in DuckDB: its typed cells (Arrow) and its report."""

    name: str
    table: pa.Table
    report: Report
    #: the contract columns the file has (absent ones were added empty or with a default)
    present: set[str] = field(default_factory=set)

    def to_frame(self) -> pd.DataFrame:
        """The table as the pandas frame ``validate_table`` gives (object text, Int64 …)."""
        return to_frame(self.table.drop_columns([ROW]), TABLES[self.name], self.present)


def to_frame(table: pa.Table, spec: Table, present: set[str]) -> pd.DataFrame:
    """Arrow -> the pandas dtypes of the in-memory validator, column by column (no row
    objects except for nullable integers and booleans, which pandas builds from masks)."""
    kinds = {c.name: c for c in spec.columns}
    return pd.DataFrame({name: _series(table.column(name), kinds.get(name), name in present)
                         for name in table.column_names})


def _series(arrow: pa.ChunkedArray, col: Column | None, present: bool) -> pd.Series:
    kind = None if col is None else col.kind
    if col is not None and kind == "int":
        if arrow.null_count == 0 and col.required and present:
            return pd.Series(arrow.to_numpy(zero_copy_only=False).astype("int64"))
        return pd.Series(arrow.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get),
                         dtype="Int64")
    if col is not None and kind == "bool":
        if col.default is not None and present:
            return pd.Series(arrow.to_numpy(zero_copy_only=False).astype(bool))
        return pd.Series(arrow.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get),
                         dtype="boolean")
    if kind == "date":
        if not present:
            return pd.Series(pd.NaT, index=range(len(arrow)), dtype="datetime64[ns]")
        # parsed from ISO text as ``values.to_date`` does, so the resolution is pandas'
        iso = pd.Series(arrow.cast(pa.string()).to_pandas(), dtype=object)
        return pd.to_datetime(iso.where(iso.notna(), None), format="%Y-%m-%d",
                              errors="coerce")
    if kind == "float":
        return pd.Series(arrow.to_numpy(zero_copy_only=False).astype("float64"))
    if col is not None and col.name == "province" and present and len(arrow):
        # the province is normalised by a mapping that pandas infers as text ("str")
        return pd.Series(arrow.to_pandas(
            types_mapper={pa.string(): pd.StringDtype(na_value=np.nan)}.get))
    if col is not None and not present and col.default is None:
        return pd.Series(np.nan, index=range(len(arrow)), dtype=object)  # as before
    series = pd.Series(arrow.to_pandas(), dtype=object)
    # looked-up values (enumerations, a segment) are missing as NaN, as pandas maps
    looked_up = col is not None and (bool(col.choices) or kind == "segment")
    return series.where(series.notna(), np.nan if looked_up else None)


#: code points of the characters ``str.strip()`` removes (matching ``_BLANK``)
_BLANK_CODES = ", ".join(str(c) for c in (
    *range(9, 14), *range(28, 33), 133, 160, 5760, *range(8192, 8203), 8232, 8233, 8239,
    8287, 12288))


def _text(expr: str) -> str:
    """Cell as stripped text; blank is NULL. The regular expression runs only on a cell
    that starts or ends with a blank (a cheap test on its first and last characters)."""
    c = f"CAST({expr} AS VARCHAR)"
    stripped = f"regexp_replace({c}, '^{_BLANK}+|{_BLANK}+$', '', 'g')"
    edged = f"ord(left({c}, 1)) IN ({_BLANK_CODES}) OR ord(right({c}, 1)) IN ({_BLANK_CODES})"
    return f"NULLIF(CASE WHEN {c} = '' THEN '' WHEN {edged} THEN {stripped} ELSE {c} END, '')"


def _cell_text(expr: str, dtype: pa.DataType) -> str:
    """A typed Parquet cell written as ``values.as_text`` writes it."""
    if pa.types.is_floating(dtype):
        return (f"CASE WHEN isnan({expr}) THEN NULL WHEN {expr} = floor({expr}) AND "
                f"abs({expr}) < 1e15 THEN CAST(CAST({expr} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({expr} AS VARCHAR) END")
    if pa.types.is_boolean(dtype):
        return f"CASE WHEN {expr} THEN 'true' WHEN NOT {expr} THEN 'false' END"
    if pa.types.is_timestamp(dtype):
        return (f"CASE WHEN CAST({expr} AS TIME) = TIME '00:00:00' THEN "
                f"strftime({expr}, '%Y-%m-%d') ELSE CAST({expr} AS VARCHAR) END")
    if pa.types.is_date(dtype):
        return f"strftime({expr}, '%Y-%m-%d')"
    return _text(expr)


class _Checker:
    """Builds the SQL of one table and collects its problems."""

    def __init__(self, con: duckdb.DuckDBPyConnection, spec: Table, report: Report,
                 view: str, have: set[str] | None = None) -> None:
        self.con, self.spec, self.report, self.view = con, spec, report, view
        self.have = have or set()
        self.valid_codes: set[str] = set()
        #: (rule, column, condition, value expression, fields: constants or SQL)
        self.rules: list[tuple[str, str | None, str, str | None, dict[str, Any]]] = []
        self.exprs: dict[str, str] = {}
        self.maps = 0

    def rule(self, rule: str, column: str | None, cond: str, value: str | None = None,
             **fields: Any) -> None:
        self.rules.append((rule, column, cond, value, fields))

    def mapping(self, pairs: Mapping[str, Any], kind: str = "VARCHAR") -> str:
        """A small table (distinct value -> result) registered for a join; its name."""
        self.maps += 1
        name = f"_map{self.maps}"
        frame = pd.DataFrame({"k": pd.Series(list(pairs), dtype=object),
                              "v": pd.Series(list(pairs.values()), dtype=object)})
        self.con.register(name, pa.Table.from_pandas(frame, schema=pa.schema(
            [("k", pa.string()), ("v", pa.string() if kind == "VARCHAR" else pa.int64())]),
            preserve_index=False))
        return name

    def distinct(self, expr: str) -> list[str]:
        """Distinct non-missing values in order of first appearance."""
        rows = self.con.execute(f"SELECT {expr} FROM {self.view} WHERE {expr} IS NOT NULL "
                                f"GROUP BY {expr} ORDER BY min({ROW})").fetchall()
        return [r[0] for r in rows]

    def report_all(self) -> None:
        if not self.rules:
            return
        counts = self.con.execute("SELECT " + ", ".join(
            f"count(*) FILTER (WHERE {cond})" for _, _, cond, _, _ in self.rules)
            + f" FROM {self.view}").fetchall()[0]
        for (rule, column, cond, value, fields), n in zip(self.rules, counts, strict=True):
            if n:
                self._examples(rule, column, cond, value, fields, int(n))

    def _examples(self, rule: str, column: str | None, cond: str, value: str | None,
                  fields: dict[str, Any], n: int) -> None:
        header = self.report.header(column) if column else None
        sql_fields = {k: v[4:] for k, v in fields.items() if isinstance(v, str)
                      and v.startswith("sql:")}
        selects = [ROW, value or "NULL", *sql_fields.values()]
        rows = self.con.execute(
            f"SELECT {', '.join(selects)} FROM {self.view} WHERE {cond} ORDER BY {ROW} "
            f"LIMIT {MAX_ROWS_PER_RULE}").fetchall()
        for row, val, *extra in rows:
            row_fields = {k: v for k, v in fields.items() if k not in sql_fields}
            row_fields.update(zip(sql_fields, extra, strict=True))
            self.report.problems.append(problem(
                self.report.file, rule, row=int(row), column=header, value=val, **row_fields))
        if n > MAX_ROWS_PER_RULE:
            self.report.problems.append(problem(
                self.report.file, "rule.more", column=header, count=n - MAX_ROWS_PER_RULE,
                total=n))


def validate_arrow(
    cells: pa.Table, spec: Table, file: str, con: duckdb.DuckDBPyConnection | None = None,
    valid_codes: set[str] | None = None,
) -> Validated:
    """Check and type ``cells`` (headers as written, ``_row`` = spreadsheet row).
    ``valid_codes`` (shared by the tables of one package) remembers the credit codes
    already found valid."""
    con = con or duckdb.connect()
    checked = check_cells(cells, spec, file, con, valid_codes)
    if checked.select is None:
        return Validated(spec.name, pa.table({ROW: pa.array([], pa.int64())}), checked.report)
    assert checked.scratch is not None  # check_cells names its tables whenever it selects
    view, src, typed = checked.scratch
    # the text copy and the cells are no longer read: their memory goes before the fetch
    con.execute(f"DROP TABLE {view}")
    con.unregister(src)
    out = _in_row_order(con.sql(checked.select).to_arrow_table())
    con.execute(f"DROP TABLE {typed}")
    return Validated(spec.name, out, checked.report, present=checked.present)


@dataclass
class Checked:
    """One table checked in ``con``: its report and the query of its typed cells (None when
    there is nothing to read); the same SQL runs on DuckDB and, transpiled, on Spark
    (``laser_policy.engine.spark_sql``)."""

    report: Report
    select: str | None
    present: set[str] = field(default_factory=set)
    #: DuckDB: the text copy, the registered cells and the typed table, dropped after use
    scratch: tuple[str, str, str] | None = None


def check_cells(
    cells: pa.Table, spec: Table, file: str, con: duckdb.DuckDBPyConnection,
    valid_codes: set[str] | None = None,
) -> Checked:
    """Every rule of ``spec`` run over ``cells`` in ``con``; the typed cells are left as the
    query ``Checked.select`` (in no promised order: ``_row`` says the row), not fetched."""
    report = Report(file)
    raw_columns = [c for c in cells.column_names if c != ROW]
    mapping = map_headers(raw_columns, spec, report)
    report.headers = {name: str(raw) for raw, name in mapping.items()}
    if len(set(raw_columns)) < len(raw_columns):  # a header written twice: nothing to read
        return Checked(report, None)
    contract = set(spec.column_names)
    unknown = [c for c in raw_columns if c not in mapping and str(c).strip() not in contract]
    src = f"_cells_{spec.name}"
    con.register(src, cells)
    texts = {name: _cell_text(q(raw), cells.schema.field(raw).type)
             for raw, name in mapping.items()}
    all_cols = [*(texts.values()), *(_cell_text(q(c), cells.schema.field(c).type)
                                     for c in unknown)]
    keep = " OR ".join(f"({t}) IS NOT NULL" for t in all_cols) or "true"
    view = f"_text_{spec.name}"
    # materialised once (DuckDB's columnar memory, not Python): every rule reads it
    con.execute(f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT {ROW}, "
                + "".join(f"{t} AS {q(n)}, " for n, t in texts.items())
                + "".join(f"{q(c)} AS {q('raw:' + c)}, " for c in unknown)
                + f"1 AS _one FROM {src} WHERE {keep}")
    have = set(texts)
    for col in spec.columns:
        if col.required and col.name not in have and not _derivable(spec, col, have):
            report.add("column.missing", name=col.name, zh=col.zh)
    checker = _Checker(con, spec, report, view, have)
    if valid_codes is not None:
        checker.valid_codes = valid_codes
    for col in spec.columns:
        checker.exprs[col.name] = (_convert(checker, col) if col.name in have
                                   else _absent(col))
    _table_checks(checker, have)
    typed = f"_typed_{spec.name}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {typed} AS SELECT {ROW}, "
                + "".join(f"{e} AS {q(n)}, " for n, e in checker.exprs.items())
                + "".join(f"{q('raw:' + c)} AS {q(c)}, " for c in unknown)
                + f"1 AS _one FROM {view}")
    checker.report_all()
    checker.view = typed
    _check_keys(checker)
    columns = ', '.join(q(c) for c in [*spec.column_names, *unknown])
    return Checked(report, f"SELECT {columns}, {ROW} FROM {typed}", present=have,
                   scratch=(view, src, typed))


def _in_row_order(table: pa.Table) -> pa.Table:
    """``table`` sorted by ``_row``: DuckDB keeps the file's order almost always, so the
    order is checked (one vectorised comparison) and a sort is paid only when needed."""
    import pyarrow.compute as pc

    rows = table.column(ROW)
    if len(rows) < 2 or pc.all(pc.less(rows[:-1], rows[1:])).as_py():
        return table
    return table.sort_by(ROW)


def _derivable(spec: Table, col: Column, have: set[str]) -> bool:
    return spec.name == "transactions" and col.name == "year" and "date" in have


def _absent(col: Column) -> str:
    if col.default is not None:
        return lit(col.default) if col.kind != "bool" else lit(bool(col.default))
    types = {"int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE"}
    return f"CAST(NULL AS {types.get(col.kind, 'VARCHAR')})"


def _convert(ck: _Checker, col: Column) -> str:
    t = q(col.name)
    if col.required and not (col.kind == "city" and col.province):
        ck.rule("value.required", col.name, f"{t} IS NULL")
    kind = col.kind
    if kind in ("int", "float"):
        expr = _numeric(ck, col)
    elif kind == "bool":
        true = ", ".join(lit(w) for w in TRUE_WORDS)
        false = ", ".join(lit(w) for w in FALSE_WORDS)
        expr = (f"CASE WHEN lower({t}) IN ({true}) THEN true WHEN lower({t}) IN ({false}) "
                "THEN false END")
        ck.rule("value.bool", col.name, f"{t} IS NOT NULL AND ({expr}) IS NULL", t)
    elif kind == "date":
        day = f"CAST(TRY_STRPTIME(substr({t}, 1, 10), '%Y-%m-%d') AS DATE)"
        expr = f"CASE WHEN regexp_full_match({t}, '{_ISO_DATE}') THEN {day} END"
        ck.rule("value.date", col.name, f"{t} IS NOT NULL AND ({expr}) IS NULL", t)
    elif kind == "uscc":
        expr = _uscc(ck, col)
    elif kind == "city":
        expr = _city(ck, col)
    elif kind == "segment":
        lookup = segment_lookup()
        pairs = {v: code for v in ck.distinct(t)
                 if (code := lookup.get(v, lookup.get(v.lower()))) is not None}
        expr = _mapped(ck, t, pairs)
        ck.rule("value.segment", col.name, f"{t} IS NOT NULL AND ({expr}) IS NULL", t, item=
                f"sql:{t}")
    elif kind == "segments":
        expr, bad = _segments(ck, t)
        ck.rule("value.segment", col.name, f"({bad}) IS NOT NULL", t, item=f"sql:{bad}")
    elif col.choices:
        table = col.choice_lookup
        pairs = {v: c for v in ck.distinct(t)
                 if (c := table.get(v, table.get(v.lower()))) is not None}
        expr = _mapped(ck, t, pairs)
        expected = "、".join(f"{c}（{'/'.join(s)}）" if s else c for c, s in col.choices)
        ck.rule("value.choice", col.name, f"{t} IS NOT NULL AND ({expr}) IS NULL", t,
                expected=expected)
    else:
        expr = t
    if col.default is not None:
        expr = f"COALESCE({expr}, {_absent(col)})"
    return expr


def _mapped(ck: _Checker, t: str, pairs: Mapping[str, Any]) -> str:
    if not pairs:
        return "CAST(NULL AS VARCHAR)"
    name = ck.mapping(pairs)
    return f"(SELECT v FROM {name} WHERE k = {t})"


def _numeric(ck: _Checker, col: Column) -> str:
    t = q(col.name)
    separators = " OR ".join(f"contains({t}, {s})" for s in
                             ("','", "'，'", "' '", "chr(9)", "chr(10)", "chr(12)", "chr(13)"))
    cleaned = (f"(CASE WHEN {separators} THEN regexp_replace({t}, '[,，\\s]', '', 'g') "
               f"ELSE {t} END)")
    num = (f"CASE WHEN regexp_full_match({cleaned}, '{_NUMBER}') AND "
           f"isfinite(TRY_CAST({cleaned} AS DOUBLE)) THEN TRY_CAST({cleaned} AS DOUBLE) END")
    if col.kind == "int":
        ck.rule("value.int", col.name,
                f"{t} IS NOT NULL AND (({num}) IS NULL OR ({num}) <> floor({num}))", t)
        num = f"CASE WHEN ({num}) = floor({num}) THEN ({num}) END"
    else:
        ck.rule("value.number", col.name, f"{t} IS NOT NULL AND ({num}) IS NULL", t)
    if col.name == "year":
        out = f"({num}) < {YEAR_MIN} OR ({num}) > {YEAR_MAX}"
        ck.rule("value.year_range", col.name, out, t, low=YEAR_MIN, high=YEAR_MAX)
        num = f"CASE WHEN NOT ({out}) THEN ({num}) END"
    if col.non_negative:
        ck.rule("value.non_negative", col.name, f"({num}) < 0", t)
    return f"CAST(round({num}) AS BIGINT)" if col.kind == "int" else num


def _uscc(ck: _Checker, col: Column) -> str:
    t = q(col.name)
    # codes found valid in an earlier table of the package are not checked again
    fresh = [v for v in ck.distinct(t) if v not in ck.valid_codes]
    rules = uscc_rules(pd.Series(fresh, dtype=object))
    ck.valid_codes.update(v for v in fresh if v not in rules)
    if not rules:
        return t
    broken = ck.mapping(dict.fromkeys(rules, "x"))
    by_rule: dict[str, list[str]] = {}
    for value, ids in rules.items():
        for rule in ids:
            by_rule.setdefault(rule, []).append(value)
    for rule, values in by_rule.items():
        groups = [(None, values)] if rule != "uscc.length" else sorted(
            pd.Series(values).groupby(pd.Series(values).map(
                lambda v: len(canonical_uscc(v)))).agg(list).items())
        for length, members in groups:
            name = ck.mapping(dict.fromkeys(members, "x"))
            extra = {} if length is None else {"length": length}
            ck.rule(rule, col.name, f"{t} IN (SELECT k FROM {name})", t, **extra)
    return f"CASE WHEN {t} IN (SELECT k FROM {broken}) THEN NULL ELSE {t} END"


def _city(ck: _Checker, col: Column) -> str:
    t = q(col.name)
    if col.province and col.province in ck.have:
        p = q(col.province)
        short = ", ".join(lit(k) for k in _PROVINCE_SHORT)
        hubei = (f"({p} IS NULL OR {p} IN ({short}))" if col.province == "province"
                 else f"({p} IN ({short}))")
    else:
        hubei = "true"
    pairs = {v: c for v in ck.distinct(t) if (c := normalise_city(v)) is not None}
    normal = _mapped(ck, t, pairs)
    if col.required and col.province:
        ck.rule("value.required", col.name, f"{hubei} AND {t} IS NULL")
    ck.rule("value.city", col.name, f"{hubei} AND {t} IS NOT NULL AND ({normal}) IS NULL", t,
            expected="、".join(HUBEI_DIVISIONS))
    return f"CASE WHEN {hubei} THEN {normal} ELSE {t} END"


def _segments(ck: _Checker, t: str) -> tuple[str, str]:
    lookup = segment_lookup()
    out: dict[str, str | None] = {}
    bad: dict[str, str] = {}
    for raw in ck.distinct(t):
        items = [i for i in SEGMENT_SEPARATORS.split(raw) if i]
        codes = [lookup.get(i, lookup.get(i.lower())) for i in items]
        unknown = [i for i, c in zip(items, codes, strict=True) if c is None]
        if unknown:
            bad[raw] = unknown[0]
        else:
            out[raw] = ";".join(dict.fromkeys(c for c in codes if c)) or None
    good = {k: v for k, v in out.items() if v is not None}
    return _mapped(ck, t, good), _mapped(ck, t, bad)


def _table_checks(ck: _Checker, have: set[str]) -> None:
    spec = ck.spec
    e = ck.exprs
    if "province" in have:
        short = " ".join(f"WHEN ({e['province']}) = {lit(k)} THEN {lit(v)}"
                         for k, v in _PROVINCE_SHORT.items())
        e["province"] = f"CASE {short} ELSE ({e['province']}) END"
    if "laser_revenue_le_revenue" in spec.checks and {"revenue_wan", "laser_revenue_wan"} <= have:
        laser, revenue = e["laser_revenue_wan"], e["revenue_wan"]
        ck.rule("check.laser_revenue_le_revenue", "laser_revenue_wan",
                f"({laser}) > ({revenue}) + {MONEY_EPSILON}", q("laser_revenue_wan"),
                laser=f"sql:{laser}", revenue=f"sql:{revenue}")
    if spec.name == "transactions":
        if not {"supplier_uscc", "supplier_name"} & have:
            ck.report.add("column.missing", name=SUPPLIER_COLUMNS, zh=SUPPLIER_COLUMNS_ZH)
        else:
            blank = " AND ".join(f"{q(c)} IS NULL" for c in ("supplier_uscc", "supplier_name")
                                 if c in have)
            ck.rule("check.supplier", "supplier_uscc", blank)
        if "year" not in have and "date" in have:
            e["year"] = f"CAST(year({e['date']}) AS BIGINT)"
    if "end_not_before_start" in spec.checks and {"start_date", "end_date"} <= have:
        start, end = e["start_date"], e["end_date"]
        ck.rule("check.end_not_before_start", "end_date", f"({end}) < ({start})",
                q("end_date"), end=f"sql:strftime({end}, '%Y-%m-%d')",
                start=f"sql:strftime({start}, '%Y-%m-%d')")
    if spec.name == "projects" and "kind" in have:
        channel = q("channel") if "channel" in have else "NULL"
        ck.rule("check.channel", "channel",
                f"({e['kind']}) = 'special_fund' AND {channel} IS NULL")


def _check_keys(ck: _Checker) -> None:
    spec, report = ck.spec, ck.report
    key = list(spec.key)
    if not key:
        return
    required = [k for k in key if spec.column(k).required]
    usable = " AND ".join(f"{q(k)} IS NOT NULL" for k in required) or "true"
    keys = ", ".join(q(k) for k in key)
    first = q(key[0])
    groups = f"""
        WITH u AS (SELECT {ROW}, {keys} FROM {ck.view} WHERE {usable}),
        g AS (SELECT {keys}, count(*) AS n, min({ROW}) AS first,
                     list({ROW} ORDER BY {ROW})[1:{MAX_ROWS_PER_RULE + 6}] AS members
              FROM u GROUP BY {keys} HAVING count(*) > 1)"""
    repeated = ck.con.execute(f"SELECT count(*) FROM (SELECT {keys} FROM {ck.view} WHERE "
                              f"{usable} GROUP BY {keys} HAVING count(*) > 1)").fetchall()[0]
    if not repeated[0]:  # the usual case: no list of rows is built
        return
    total_row = ck.con.execute(f"{groups} SELECT sum(n) FROM g").fetchall()[0]
    total = int(total_row[0]) if total_row[0] is not None else 0
    if not total:
        return
    rows = ck.con.execute(f"{groups} SELECT n, members, {first} FROM g ORDER BY first "
                          f"LIMIT {MAX_ROWS_PER_RULE}").fetchall()
    key_text = "、".join(report.header(k) for k in key)
    listed = 0
    for n, members, value in rows:
        for row in members:
            if listed >= MAX_ROWS_PER_RULE:
                break
            report.add("key.duplicate", row=int(row), column=report.header(key[0]),
                       value=value, key=key_text, **same_rows(list(members), row, int(n)))
            listed += 1
    if total > MAX_ROWS_PER_RULE:
        report.add("rule.more", count=total - MAX_ROWS_PER_RULE, total=total)


def check_references_sql(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, Validated],
) -> list[Problem]:
    """Foreign keys across the tables checked in ``con`` (as ``check_references``)."""
    problems: list[Problem] = []
    for name, v in tables.items():
        spec = TABLES[name]
        for ref in spec.references:
            if ref.table not in tables or ref.column not in v.table.column_names:
                continue
            con.register(f"_ref_src_{name}", v.table)
            con.register(f"_ref_dst_{ref.table}", tables[ref.table].table)
            report = Report(v.report.file, v.report.headers)
            ck = _Checker(con, spec, report, f"_ref_src_{name}")
            col = q(ref.column)
            ck.rule("ref.unknown", ref.column,
                    f"{col} IS NOT NULL AND {col} NOT IN (SELECT {q(ref.target)} FROM "
                    f"_ref_dst_{ref.table} WHERE {q(ref.target)} IS NOT NULL)", col,
                    table=ref.table, table_zh=TABLES[ref.table].zh)
            ck.report_all()
            problems.extend(report.problems)
    return problems


def row_numbers(n: int) -> pa.Array:
    """``_row`` for ``n`` data rows: the spreadsheet row (header = 1)."""
    return pa.array(np.arange(2, n + 2, dtype=np.int64))
