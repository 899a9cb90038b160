"""Validate and normalise one table of a data package against its declaration.

``validate_table`` maps headers (English or Chinese) to contract names, checks every
cell by the column's kind, runs the table's cross-column checks and key uniqueness,
and returns the normalised frame with every problem found. ``check_references``
then checks foreign keys across tables. Nothing raises here: the caller collects.

Row numbers are those a spreadsheet user sees (header = row 1): a frame read by
``laser_policy.io`` has index ``row - 2``. At most ``MAX_ROWS_PER_RULE`` rows are
listed per file, rule and column; one more problem gives the total. A duplicate key
names at most ``MAX_OTHER_ROWS`` of the rows it repeats and the size of its group.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from laser_policy.contracts.cities import HUBEI, HUBEI_DIVISIONS, normalise_city
from laser_policy.contracts.messages import problem
from laser_policy.contracts.segments import normalise_segment_list, segment_lookup
from laser_policy.contracts.tables import TABLES, YEAR_MAX, YEAR_MIN, Column, Table
from laser_policy.contracts.uscc import canonical_uscc
from laser_policy.contracts.values import (
    as_text,
    lookup,
    to_bool,
    to_date,
    to_int,
    to_number,
    uscc_rules,
)
from laser_policy.errors import Problem

#: rows listed per file, rule and column before the rest are summarised in one line
MAX_ROWS_PER_RULE = 50
#: other rows named in one ``key.duplicate`` problem (the group's size is given too)
MAX_OTHER_ROWS = 5
SUPPLIER_COLUMNS = "supplier_uscc/supplier_name"
SUPPLIER_COLUMNS_ZH = "供应方信用代码/供应方名称"
#: tolerance when comparing money (万元) read from text
MONEY_EPSILON = 1e-6
_PROVINCE_SHORT = {HUBEI: HUBEI, HUBEI.removesuffix("省"): HUBEI}


@dataclass
class Report:
    """Problems of one file, with the per-rule row cap applied."""

    file: str
    headers: Mapping[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: things worth saying that do not make the file invalid (an unknown column)
    warnings: list[Problem] = field(default_factory=list)

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    def rows(
        self, rule: str, mask: pd.Series, column: str | None, values: pd.Series | None = None,
        **fields: Any,
    ) -> None:
        """One problem per row where ``mask`` holds (capped), located at ``column``.

        A field given as a series is looked up per row (e.g. the unknown item).
        """
        hits = mask[mask.fillna(False).astype(bool)].index
        if len(hits) == 0:
            return
        header = self.header(column) if column else None
        for idx in hits[:MAX_ROWS_PER_RULE]:
            value = None if values is None else values.loc[idx]
            row_fields = {k: v.loc[idx] if isinstance(v, pd.Series) else v
                          for k, v in fields.items()}
            self.problems.append(problem(
                self.file, rule, row=int(idx) + 2, column=header, value=value, **row_fields))
        if len(hits) > MAX_ROWS_PER_RULE:
            self.problems.append(problem(
                self.file, "rule.more", column=header,
                count=len(hits) - MAX_ROWS_PER_RULE, total=len(hits)))

    def add(self, rule: str, **kwargs: Any) -> None:
        self.problems.append(problem(self.file, rule, **kwargs))


def map_headers(columns: list[Any], spec: Table, report: Report) -> dict[Any, str]:
    """Raw header -> contract column name for the headers that match (others are kept)."""
    accepted: dict[str, str] = {}
    for col in spec.columns:
        for h in col.headers:
            accepted[h] = col.name
            accepted[h.casefold()] = col.name
    mapping: dict[Any, str] = {}
    seen: dict[str, list[str]] = {}
    for raw in columns:
        text = str(raw).strip()
        name = accepted.get(text, accepted.get(text.casefold()))
        # an unknown header written twice is as ambiguous as a known one
        seen.setdefault(name if name is not None else text, []).append(str(raw))
        if name is not None and len(seen[name]) == 1:
            mapping[raw] = name
    for name, headers in seen.items():
        if len(headers) > 1:
            report.add("column.duplicate", column=headers[1], name=name, headers="、".join(headers))
    report.warnings.extend(unknown_columns(columns, mapping, spec, report.file))
    return mapping


#: how alike (difflib ratio) an unknown header must be to a known one to be suggested
NEAREST_CUTOFF = 0.6
#: headers pandas and the workbook reader give to a column whose header cell is blank
_BLANK_HEADER = re.compile(r"Unnamed: \d+|_col\d+")


def unknown_columns(
    columns: list[Any], mapping: Mapping[Any, str], spec: Table, file: str,
) -> list[Problem]:
    """A ``column.unknown`` warning per header that names no column of ``spec``, with the
    nearest known column not already present (``rd_expnse_wan`` → ``rd_expense_wan``)."""
    present = set(mapping.values())
    candidates: dict[str, Column] = {}
    for col in spec.columns:
        if col.name not in present:
            for header in col.headers:
                candidates[header] = col
                candidates[header.casefold()] = col
    warnings: list[Problem] = []
    for raw in columns:
        text = str(raw).strip()
        if raw in mapping or not text or _BLANK_HEADER.fullmatch(text):
            continue
        near = difflib.get_close_matches(text.casefold(), list(candidates), n=1,
                                         cutoff=NEAREST_CUTOFF)
        if near:
            col = candidates[near[0]]
            warnings.append(problem(file, "column.unknown_near", column=text, name=col.name,
                                    zh=col.zh))
        else:
            warnings.append(problem(file, "column.unknown", column=text))
    return warnings


def validate_table(frame: pd.DataFrame, spec: Table, file: str) -> tuple[pd.DataFrame, Report]:
    """Normalise ``frame`` (raw cells, headers as written) and collect its problems."""
    report = Report(file)
    mapping = map_headers(list(frame.columns), spec, report)
    report.headers = {name: str(raw) for raw, name in mapping.items()}
    dropped = [c for c in frame.columns if c not in mapping and str(c).strip() in _names(spec)]
    df = frame.drop(columns=dropped).rename(columns=mapping)
    df = df.loc[:, ~df.columns.duplicated()]
    texts = pd.DataFrame({c: as_text(df[c]) for c in df.columns}, index=df.index)
    if len(df.columns):
        keep = texts.notna().any(axis=1)
        df, texts = df[keep], texts[keep]
    for col in spec.columns:
        if col.required and col.name not in df.columns and not _derivable(spec, col, df):
            report.add("column.missing", name=col.name, zh=col.zh)
    out = df.copy()
    for col in spec.columns:
        if col.name in df.columns:
            out[col.name] = _convert(df, texts[col.name], col, report)
        else:
            out[col.name] = _absent(col, len(df), df.index)
    _table_checks(spec, df, out, report)
    _check_keys(spec, out, report)
    order = [c.name for c in spec.columns] + [c for c in out.columns if c not in _names(spec)]
    return out[order], report


def _names(spec: Table) -> set[str]:
    return set(spec.column_names)


def _derivable(spec: Table, col: Column, df: pd.DataFrame) -> bool:
    """A missing required column that another column stands in for (year from date)."""
    return spec.name == "transactions" and col.name == "year" and "date" in df.columns


def _absent(col: Column, n: int, index: pd.Index) -> pd.Series:
    if col.default is not None:
        return pd.Series([col.default] * n, index=index,
                         dtype="boolean" if col.kind == "bool" else object)
    dtypes = {"int": "Int64", "float": "float64", "bool": "boolean", "date": "datetime64[ns]"}
    return pd.Series(pd.NA if col.kind in ("int", "bool") else None, index=index,
                     dtype=dtypes.get(col.kind, object))


def _convert(df: pd.DataFrame, text: pd.Series, col: Column, report: Report) -> pd.Series:
    missing = text.isna()
    if col.required and not (col.kind == "city" and col.province):
        report.rows("value.required", missing, col.name)
    kind = col.kind
    result: pd.Series
    if kind in ("int", "float"):
        result = _numeric(text, col, report)
    elif kind == "bool":
        result, bad = to_bool(text)
        report.rows("value.bool", bad, col.name, text)
    elif kind == "date":
        result, bad = to_date(text)
        report.rows("value.date", bad, col.name, text)
    elif kind == "uscc":
        result = _uscc(text, col, report)
    elif kind == "city":
        result = _city(df, text, col, report)
    elif kind == "segment":
        result, bad = lookup(text, segment_lookup())
        report.rows("value.segment", bad, col.name, text, item=text)
    elif kind == "segments":
        result, first_bad = normalise_segment_list(text)
        report.rows("value.segment", first_bad.notna(), col.name, text, item=first_bad)
    elif col.choices:
        result, bad = lookup(text, col.choice_lookup)
        expected = "、".join(
            f"{c}（{'/'.join(s)}）" if s else c for c, s in col.choices)
        report.rows("value.choice", bad, col.name, text, expected=expected)
    else:
        result = text
    if col.default is not None:
        result = result.where(result.notna(), col.default)
        if kind == "bool":
            result = result.astype(bool)
    return result


def _numeric(text: pd.Series, col: Column, report: Report) -> pd.Series:
    result, bad = to_int(text) if col.kind == "int" else to_number(text)
    report.rows("value.int" if col.kind == "int" else "value.number", bad, col.name, text)
    if col.name == "year":
        out_of_range = result.notna() & ((result < YEAR_MIN) | (result > YEAR_MAX))
        report.rows("value.year_range", out_of_range, col.name, text, low=YEAR_MIN, high=YEAR_MAX)
        result = result.where(~out_of_range.astype(bool))
    if col.non_negative:
        report.rows("value.non_negative", result.notna() & (result < 0), col.name, text)
    return result


def _uscc(text: pd.Series, col: Column, report: Report) -> pd.Series:
    rules = uscc_rules(text)
    if not rules:
        return text
    broken = text.isin(list(rules))
    by_rule: dict[str, list[str]] = {}
    for value, ids in rules.items():
        for rule in ids:
            by_rule.setdefault(rule, []).append(value)
    for rule, values in by_rule.items():
        mask = text.isin(values)
        if rule == "uscc.length":
            for length, group in pd.Series(values).groupby(
                    pd.Series(values).map(lambda v: len(canonical_uscc(v)))):
                report.rows(rule, text.isin(list(group)), col.name, text, length=length)
        else:
            report.rows(rule, mask, col.name, text)
    return text.where(~broken, None)


def _city(df: pd.DataFrame, text: pd.Series, col: Column, report: Report) -> pd.Series:
    if col.province and col.province in df.columns:
        province = as_text(df[col.province])
        hubei = province.isna() if col.province == "province" else pd.Series(False, df.index)
        hubei |= province.map(lambda v: _PROVINCE_SHORT.get(str(v)) == HUBEI)
    else:
        hubei = pd.Series(True, index=df.index)
    normal = text.map(lambda v: None if v is None else normalise_city(str(v)))
    if col.required and col.province:
        report.rows("value.required", hubei & text.isna(), col.name)
    bad = hubei & text.notna() & normal.isna()
    report.rows("value.city", bad, col.name, text, expected="、".join(HUBEI_DIVISIONS))
    return text.where(~hubei, normal).astype(object)


def _table_checks(spec: Table, raw: pd.DataFrame, out: pd.DataFrame, report: Report) -> None:
    if "province" in raw.columns:
        out["province"] = out["province"].map(lambda v: _PROVINCE_SHORT.get(str(v), v))
    if "laser_revenue_le_revenue" in spec.checks and {"revenue_wan", "laser_revenue_wan"} <= set(
            raw.columns):
        laser, revenue = out["laser_revenue_wan"], out["revenue_wan"]
        over = laser > revenue + MONEY_EPSILON
        report.rows("check.laser_revenue_le_revenue", over, "laser_revenue_wan",
                    as_text(raw["laser_revenue_wan"]), laser=laser, revenue=revenue)
    if spec.name == "transactions":
        if "supplier_uscc" not in raw.columns and "supplier_name" not in raw.columns:
            report.add("column.missing", name=SUPPLIER_COLUMNS, zh=SUPPLIER_COLUMNS_ZH)
        else:
            neither = _blank_col(raw, "supplier_uscc") & _blank_col(raw, "supplier_name")
            report.rows("check.supplier", neither, "supplier_uscc")
        if "year" not in raw.columns and "date" in raw.columns:
            out["year"] = out["date"].dt.year.astype("Int64")
    if "end_not_before_start" in spec.checks and {"start_date", "end_date"} <= set(raw.columns):
        start, end = out["start_date"], out["end_date"]
        report.rows("check.end_not_before_start", end < start, "end_date",
                    as_text(raw["end_date"]), end=end.dt.strftime("%Y-%m-%d"),
                    start=start.dt.strftime("%Y-%m-%d"))
    if spec.name == "projects" and "kind" in raw.columns:
        need = out["kind"].eq("special_fund") & as_text(
            raw.get("channel", pd.Series(None, index=raw.index, dtype=object))).isna()
        report.rows("check.channel", need, "channel")
    for col in spec.columns:
        if col.kind == "int" and col.required and col.name in raw.columns:
            values = out[col.name]
            if values.notna().all():
                out[col.name] = values.astype("int64")


def _blank_col(df: pd.DataFrame, name: str) -> pd.Series:
    if name not in df.columns:
        return pd.Series(True, index=df.index)
    return as_text(df[name]).isna()


def _check_keys(spec: Table, out: pd.DataFrame, report: Report) -> None:
    key = list(spec.key)
    if not key or not set(key) <= set(out.columns) or out.empty:
        return
    required = [k for k in key if spec.column(k).required]
    frame = out[key].astype(object).where(out[key].notna(), None)
    usable = frame[required].notna().all(axis=1) if required else pd.Series(True, frame.index)
    frame = frame[usable]
    dup = frame[frame.duplicated(keep=False)]
    if dup.empty:
        return
    rows = pd.Series(dup.index + 2, index=dup.index)
    groups = rows.groupby([dup[k].astype(str) for k in key], sort=False).agg(list)
    listed = 0
    key_text = "、".join(report.header(k) for k in key)
    for members in groups:
        for row in members:
            if listed < MAX_ROWS_PER_RULE:
                report.add("key.duplicate", row=int(row), column=report.header(key[0]),
                           value=out.at[row - 2, key[0]], key=key_text,
                           **same_rows(members, row))
            listed += 1
    if listed > MAX_ROWS_PER_RULE:
        report.add("rule.more", count=listed - MAX_ROWS_PER_RULE, total=listed)


def same_rows(members: list[int], row: int, size: int | None = None) -> dict[str, str]:
    """The ``others``/``more_*`` fields of ``key.duplicate``: the first other rows of the
    group and, when there are more, the group's size (never every row). ``members`` may
    be the first rows only when ``size`` gives the group's size."""
    size = len(members) if size is None else size
    others = [r for r in members[:MAX_OTHER_ROWS + 1] if r != row][:MAX_OTHER_ROWS]
    fields = {"others": "、".join(str(r) for r in others), "more_zh": "", "more_en": ""}
    if size - 1 > len(others):
        fields["more_zh"] = f"等（共{size}行）"
        fields["more_en"] = f" and others ({size} rows in all)"
    return fields


def check_references(
    tables: Mapping[str, pd.DataFrame], reports: Mapping[str, Report],
) -> list[Problem]:
    """Foreign keys (e.g. financials.uscc -> enterprises.uscc) of the tables present.

    A reference is checked only when its target table was read; invalid codes were
    already reported and set to missing, so they are not reported twice.
    """
    problems: list[Problem] = []
    for name, df in tables.items():
        spec = TABLES[name]
        for ref in spec.references:
            if ref.table not in tables or ref.column not in df.columns:
                continue
            targets = set(tables[ref.table][ref.target].dropna())
            values = df[ref.column]
            dangling = values.notna() & ~values.isin(targets)
            report = Report(reports[name].file, reports[name].headers)
            target = TABLES[ref.table]
            report.rows("ref.unknown", dangling, ref.column, values, table=target.name,
                        table_zh=target.zh)
            problems.extend(report.problems)
    return problems
