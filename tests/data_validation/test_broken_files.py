"""One broken input per failure mode: the problem names file, row, column, rule and says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.errors import DataValidationError, Problem
from laser_policy.io import read_package

from .conftest import CODES, enterprises, financials


def _with(frame: pd.DataFrame, row: int, column: str, value: object) -> pd.DataFrame:
    frame = frame.copy().astype(object)
    frame.loc[row, column] = value
    return frame


def _swap_last(code: str) -> str:
    return code[:17] + ("A" if code[17] != "A" else "B")


def _problems(folder: Path) -> list[Problem]:
    with pytest.raises(DataValidationError) as info:
        read_package(folder)
    return info.value.problems


CASES = [
    # id, tables, file, rule, row, column, words in the Chinese message
    ("bad check character", {"enterprises": _with(enterprises(), 1, "uscc", _swap_last(CODES[1]))},
     "enterprises.csv", "uscc.check_character", 3, "uscc", "校验码"),
    ("lower-case code", {"enterprises": _with(enterprises(), 0, "uscc", CODES[0].lower())},
     "enterprises.csv", "uscc.lowercase", 2, "uscc", "小写"),
    ("code with a space", {"enterprises": _with(enterprises(), 2, "uscc",
                                                 CODES[2][:6] + " " + CODES[2][6:])},
     "enterprises.csv", "uscc.space", 4, "uscc", "空格"),
    ("unknown city", {"enterprises": _with(enterprises(), 3, "city", "长沙市")},
     "enterprises.csv", "value.city", 5, "city", "湖北省的市州"),
    ("negative revenue", {"financials": _with(financials(), 2, "revenue_wan", -5)},
     "financials.csv", "value.non_negative", 4, "revenue_wan", "负数"),
    ("laser revenue above revenue",
     {"financials": _with(financials(), 5, "laser_revenue_wan", 99999)},
     "financials.csv", "check.laser_revenue_le_revenue", 7, "laser_revenue_wan", "大于营业收入"),
    ("duplicate key", {"financials": pd.concat([financials(), financials().iloc[[3]]],
                                               ignore_index=True)},
     "financials.csv", "key.duplicate", 5, "uscc", "与第10行相同"),
    ("dangling reference", {"financials": _with(financials(), 0, "uscc", "91350100M000100Y43")},
     "financials.csv", "ref.unknown", 2, "uscc", "找不到该企业"),
    ("bad year", {"financials": _with(financials(), 1, "year", 1899)},
     "financials.csv", "value.year_range", 3, "year", "2000至2035"),
    ("year not a number", {"financials": _with(financials(), 1, "year", "二〇二五")},
     "financials.csv", "value.int", 3, "year", "整数"),
    ("bad date", {"enterprises": enterprises().assign(listed_on=["2021-02-30", "", "", ""])},
     "enterprises.csv", "value.date", 2, "listed_on", "YYYY-MM-DD"),
    ("date not ISO", {"enterprises": enterprises().assign(listed_on=["", "2021/3/4", "", ""])},
     "enterprises.csv", "value.date", 3, "listed_on", "YYYY-MM-DD"),
    ("unknown segment", {"enterprises": _with(enterprises(), 1, "segments", "LSR-FIBER;激光炮")},
     "enterprises.csv", "value.segment", 3, "segments", "激光炮"),
    ("bad boolean", {"enterprises": _with(enterprises(), 0, "is_laser", "也许")},
     "enterprises.csv", "value.bool", 2, "is_laser", "是"),
    ("missing name", {"enterprises": _with(enterprises(), 0, "name", "  ")},
     "enterprises.csv", "value.required", 2, "name", "必填项为空"),
    ("missing column", {"financials": financials().drop(columns=["revenue_wan"])},
     "financials.csv", "column.missing", None, None, "营业收入"),
    ("unknown catalog", {"products": pd.DataFrame({
        "product_id": ["P1"], "developer_uscc": [CODES[0]], "catalog": ["首台套"],
        "catalog_level": ["市级"], "year": [2025], "rd_cost_wan": [100]})},
     "products.csv", "value.choice", 2, "catalog_level", "national"),
    ("GBK-encoded CSV", {"enterprises": "统一社会信用代码,企业名称\n".encode("gbk")},
     "enterprises.csv", "file.encoding_gbk", None, None, "UTF-8"),
    ("empty file", {"financials": b""}, "financials.csv", "file.empty", None, None, "文件为空"),
    ("workbook named .csv", {"financials": b"PK\x03\x04" + bytes(200)},
     "financials.csv", "file.zip_as_csv", None, None, ".xlsx"),
]


@pytest.mark.parametrize(
    ("tables", "file", "rule", "row", "column", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_broken_file_is_reported(
    package: Callable[..., Path], tables: dict[str, pd.DataFrame | bytes], file: str, rule: str,
    row: int | None, column: str | None, words: str,
) -> None:
    problems = _problems(package(**tables))
    matching = [p for p in problems if p.rule == rule]
    assert matching, [p.format() for p in problems]
    first = matching[0]
    assert first.file == file
    assert first.row == row
    assert first.column == column
    assert words in first.message_zh
    assert first.message_en
    assert f"[{rule}]" in first.format("en")


def test_duplicate_key_reports_both_rows(package: Callable[..., Path]) -> None:
    frame = pd.concat([financials(), financials().iloc[[3]]], ignore_index=True)
    problems = [p for p in _problems(package(financials=frame)) if p.rule == "key.duplicate"]
    assert sorted(p.row for p in problems if p.row) == [5, 10]


def test_lower_case_code_is_not_also_a_dangling_reference(package: Callable[..., Path]) -> None:
    frame = _with(financials(), 0, "uscc", CODES[0].lower())
    rules = {p.rule for p in _problems(package(financials=frame))}
    assert rules == {"uscc.lowercase"}


def test_all_problems_of_a_file_at_once(package: Callable[..., Path]) -> None:
    frame = _with(_with(_with(financials(), 0, "revenue_wan", "abc"), 3, "year", 1850),
                  6, "laser_revenue_wan", -1)
    problems = _problems(package(financials=frame))
    assert {(p.rule, p.row) for p in problems} == {
        ("value.number", 2), ("value.year_range", 5), ("value.non_negative", 8)}


def test_problems_of_several_files_at_once(package: Callable[..., Path]) -> None:
    problems = _problems(package(enterprises=_with(enterprises(), 3, "city", "长沙"),
                                 financials=_with(financials(), 2, "revenue_wan", -5)))
    assert {p.file for p in problems} == {"enterprises.csv", "financials.csv"}


def test_wrong_sheet_name(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        enterprises().to_excel(writer, sheet_name="enterprises", index=False)
        financials().to_excel(writer, sheet_name="年度数据", index=False)
    problems = _problems(path)
    assert [p.rule for p in problems] == ["sheet.unknown"]
    assert problems[0].file == "book.xlsx!年度数据"
    assert "年度数据" in problems[0].message_zh
    assert "financials（年度指标）" in problems[0].message_zh


def test_many_bad_rows_are_summarised(package: Callable[..., Path]) -> None:
    frame = pd.concat([financials()] * 40, ignore_index=True)
    frame["year"] = range(1000, 1000 + len(frame))
    problems = [p for p in _problems(package(financials=frame))
                if p.rule.startswith(("value", "rule"))]
    assert len(problems) == 51
    assert problems[-1].rule == "rule.more"
    assert "共320行" in problems[-1].message_zh
