"""Every reader refuses a header written twice, with the same rule and message (issue 11)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from laser_policy.errors import DataValidationError, Problem
from laser_policy.io import read_package

from .conftest import CODES, financials


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(DataValidationError) as info:
        read_package(path)
    return info.value.problems


def _csv(folder: Path, header: str, rows: list[str]) -> None:
    (folder / "enterprises.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _assert_duplicate(problems: list[Problem], file: str, column: str) -> None:
    dup = [p for p in problems if p.rule == "column.duplicate"]
    assert dup, [p.format() for p in problems]
    assert dup[0].file == file
    assert dup[0].column == column
    assert f"「{column}」出现了多次" in dup[0].message_zh
    assert "appears more than once" in dup[0].message_en


def test_csv_name_twice_is_refused(package: Callable[..., Path]) -> None:
    folder = package()
    _csv(folder, "uscc,name,name", [f"{c},甲公司（示例）,乙公司（示例）" for c in CODES])
    _assert_duplicate(_problems(folder), "enterprises.csv", "name")


def test_csv_city_twice_with_different_values_is_refused(package: Callable[..., Path]) -> None:
    folder = package()
    _csv(folder, "uscc,name,city,city", [f"{c},甲公司（示例）,武汉市,宜昌市" for c in CODES])
    _assert_duplicate(_problems(folder), "enterprises.csv", "city")


def test_csv_unknown_column_twice_is_refused(package: Callable[..., Path]) -> None:
    folder = package()
    _csv(folder, "uscc,name,备注,备注", [f"{c},甲公司（示例）,a,b" for c in CODES])
    _assert_duplicate(_problems(folder), "enterprises.csv", "备注")


def test_parquet_name_twice_is_refused(package: Callable[..., Path]) -> None:
    folder = package()
    (folder / "enterprises.csv").unlink()
    table = pa.table([pa.array(CODES), pa.array(["甲"] * 4), pa.array(["乙"] * 4)],
                     names=["uscc", "name", "name"])
    pq.write_table(table, folder / "enterprises.parquet")
    _assert_duplicate(_problems(folder), "enterprises.parquet", "name")


def test_bulk_parquet_column_twice_is_refused(package: Callable[..., Path]) -> None:
    folder = package()
    part = folder / "transactions" / "year=2025"
    part.mkdir(parents=True)
    n = 2
    table = pa.table(
        [pa.array([CODES[0]] * n), pa.array(["甲"] * n), pa.array(["湖北省"] * n),
         pa.array(["LSR-FIBER"] * n), pa.array([1.0] * n), pa.array([2.0] * n)],
        names=["buyer_uscc", "supplier_name", "supplier_province", "segment", "amount_wan",
               "amount_wan"])
    pq.write_table(table, part / "part-0.parquet")
    _assert_duplicate(_problems(folder), "transactions/year=2025/part-0.parquet", "amount_wan")


def test_xlsx_name_twice_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "enterprises"
    sheet.append(["uscc", "name", "name"])
    for code in CODES:
        sheet.append([code, "甲", "乙"])
    fin = book.create_sheet("financials")
    frame = financials()
    fin.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        fin.append(list(row))
    path = tmp_path / "book.xlsx"
    book.save(path)
    _assert_duplicate(_problems(path), "book.xlsx!enterprises", "name")


def test_same_column_in_english_and_chinese_is_refused(package: Callable[..., Path]) -> None:
    folder = package()
    frame = pd.DataFrame({"uscc": CODES, "name": ["甲"] * 4, "企业名称": ["乙"] * 4})
    frame.to_csv(folder / "enterprises.csv", index=False)
    problems = _problems(folder)
    assert [p.rule for p in problems] == ["column.duplicate"]
