"""The DuckDB reader gives the same typed tables and the same problems as the old pandas
validator (kept here as the oracle only) on random valid and broken packages (issue 11)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laser_policy.contracts.tables import TABLES
from laser_policy.contracts.validate import Report, check_references, validate_table
from laser_policy.contracts.validate_sql import Validated, check_references_sql, validate_arrow
from laser_policy.errors import Problem
from laser_policy.io.readers import read_csv, read_csv_arrow

from .conftest import CODES

POOL = [*CODES, CODES[0].lower(), CODES[1][:6] + " " + CODES[1][6:], CODES[2][:17] + "A",
        CODES[3][:10], "91350100M000100Y43", "", " "]

CELLS: dict[str, list[str]] = {
    "name": ["甲公司（示例）", " 乙公司 ", "", "  "],
    "province": ["", "湖北省", "湖北", "广东省"],
    "city": ["武汉市", "武汉", " 宜昌 ", "长沙市", "", "恩施州"],
    "segments": ["LSR-FIBER", "光纤激光器;EQP-CUT", "激光炮", "", "LSR-FIBER；激光炮"],
    "listed_on": ["2021-02-03", "2021-02-30", "2021/3/4", "", "2020-01-01 00:00:00", "1500-01-01"],
    "is_laser": ["是", "否", "也许", "", "1", "TRUE", "n"],
    "year": ["2024", "2025", "1899", "2025.5", "二〇二五", "", "2025.0", " 2024 "],
    "revenue_wan": ["100", "1,234.5", "-5", "abc", "", "1e3", "0", "5.", "nan", "inf"],
    "laser_revenue_wan": ["50", "2000", "", "-1", "x", "99.5"],
    "rd_expense_wan": ["", "12.5", "-3", "十"],
    "invention_patents": ["", "3", "3.5", "-1", "x"],
    "has_rd_institution": ["", "是", "否", "maybe"],
    "product_id": ["P1", "P2", "P3", ""],
    "catalog": ["首台套", "first_batch_material", "FIRST_SET_EQUIPMENT", "其他", ""],
    "catalog_level": ["national", "国家级", "省级", "市级", ""],
    "unit_price_wan": ["", "100", "abc"],
    "rd_cost_wan": ["10", "", "-2"],
}
USCC_COLUMNS = {"uscc", "developer_uscc", "user_uscc"}


def _cell(column: str) -> st.SearchStrategy[str]:
    return st.sampled_from(POOL if column in USCC_COLUMNS else CELLS[column])


def _table(columns: list[str], max_rows: int) -> st.SearchStrategy[pd.DataFrame]:
    row = st.fixed_dictionaries({c: _cell(c) for c in columns})
    return st.lists(row, min_size=0, max_size=max_rows).map(
        lambda rows: pd.DataFrame(rows, columns=columns, dtype=object))


def _columns(base: list[str], optional: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(optional), unique=True).map(lambda extra: base + extra)


PACKAGES = st.fixed_dictionaries({
    "enterprises": _columns(["uscc"], ["name", "province", "city", "segments", "listed_on",
                                       "is_laser"]).flatmap(lambda c: _table(c, 8)),
    "financials": _columns(["uscc", "year"], ["revenue_wan", "laser_revenue_wan",
                                              "rd_expense_wan", "invention_patents",
                                              "has_rd_institution"]).flatmap(
        lambda c: _table(c, 12)),
    "products": _columns(["product_id", "developer_uscc"], ["user_uscc", "catalog",
                                                            "catalog_level", "year",
                                                            "unit_price_wan", "rd_cost_wan"])
    .flatmap(lambda c: _table(c, 6)),
})


def _key(p: Problem) -> tuple[Any, ...]:
    return (p.file, p.rule, p.row or 0, p.column or "", repr(p.value), p.message_zh,
            p.message_en)


def _old(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    frames: dict[str, pd.DataFrame] = {}
    reports: dict[str, Report] = {}
    problems: list[Problem] = []
    for name in TABLES:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        raw, found = read_csv(path, name)
        problems.extend(found)
        if raw is not None:
            frames[name], reports[name] = validate_table(raw.frame, TABLES[name], raw.file)
            problems.extend(reports[name].problems)
    problems.extend(check_references(frames, reports))
    return frames, problems


def _new(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    con = duckdb.connect()
    checked: dict[str, Validated] = {}
    problems: list[Problem] = []
    for name in TABLES:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        cells, found = read_csv_arrow(path, name)
        problems.extend(found)
        if cells is not None:
            checked[name] = validate_arrow(cells, TABLES[name], path.name, con)
            problems.extend(checked[name].report.problems)
    problems.extend(check_references_sql(con, checked))
    return {name: v.to_frame() for name, v in checked.items()}, problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PACKAGES)
def test_duckdb_reader_matches_the_pandas_oracle(package: dict[str, pd.DataFrame]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, frame in package.items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        old_frames, old_problems = _old(folder)
        new_frames, new_problems = _new(folder)
    assert sorted(map(_key, new_problems)) == sorted(map(_key, old_problems))
    assert set(new_frames) == set(old_frames)
    for name, old in old_frames.items():
        pd.testing.assert_frame_equal(_missing_as_none(new_frames[name]),
                                      _missing_as_none(old.reset_index(drop=True)), obj=name)


def _missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text as None: the oracle mixes None and NaN in one object column (pandas'
    ``where`` and ``map`` choose), which means the same."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


TRANSACTIONS = st.fixed_dictionaries({
    "buyer_uscc": st.sampled_from(POOL),
    "supplier_uscc": st.sampled_from(["", CODES[1], CODES[2].lower()]),
    "supplier_name": st.sampled_from(["", "甲（示例）"]),
    "supplier_province": st.sampled_from(["湖北省", "湖北", "广东省", ""]),
    "supplier_city": st.sampled_from(["武汉", "长沙市", ""]),
    "segment": st.sampled_from(["LSR-FIBER", "光纤激光器", "激光炮", ""]),
    "date": st.sampled_from(["2025-03-04", "2025/3/4", ""]),
    "amount_wan": st.sampled_from(["1.5", "-1", "x", ""]),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRANSACTIONS, max_size=8),
       st.lists(st.sampled_from(["supplier_uscc", "supplier_name", "date"]), unique=True))
def test_a_transactions_csv_matches_the_oracle(rows: list[dict[str, str]],
                                               drop: list[str]) -> None:
    frame = pd.DataFrame(rows, columns=list(TRANSACTIONS_COLUMNS), dtype=object)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        frame.drop(columns=drop).to_csv(folder / "transactions.csv", index=False)
        pd.DataFrame({"uscc": CODES, "name": ["甲"] * 4}).to_csv(folder / "enterprises.csv",
                                                               index=False)
        old_frames, old_problems = _old(folder)
        new_frames, new_problems = _new(folder)
    assert sorted(map(_key, new_problems)) == sorted(map(_key, old_problems))
    for name, old in old_frames.items():
        pd.testing.assert_frame_equal(_missing_as_none(new_frames[name]),
                                      _missing_as_none(old.reset_index(drop=True)), obj=name)


TRANSACTIONS_COLUMNS = ("buyer_uscc", "supplier_uscc", "supplier_name", "supplier_province",
                        "supplier_city", "segment", "date", "amount_wan")
