"""The tables of funds, guarantees, attracted firms and related output: read with Chinese
headers and spellings, and each rule broken once (file, row, column, rule, message)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from fund_packages import CODES, fund_tables
from laser_policy.contracts import TABLES
from laser_policy.contracts.validate import validate_table
from laser_policy.errors import DataValidationError, Problem
from laser_policy.io import read_package


def _write(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder


def _broken(table: str, row: int, column: str, value: Any) -> dict[str, pd.DataFrame]:
    tables = fund_tables()
    frame = tables[table].astype(object)
    frame.loc[row, column] = value
    tables[table] = frame
    return tables


def test_the_four_tables_read_with_chinese_headers_and_spellings(tmp_path: Path) -> None:
    pkg = read_package(_write(tmp_path / "pkg", fund_tables()))
    fi = pkg.get("fund_investments")
    assert fi["fund"].tolist() == ["optics_valley_laser_fund", "optics_valley_laser_fund",
                                   "chutian_fengming", "provincial_guidance_fund"]
    assert fi["purpose"].tolist() == ["innovation", "mergers", "commercialisation", "innovation"]
    assert fi["city"].tolist()[:1] == ["武汉市"]
    assert fi["segment"].tolist()[1] == "EQP-CUT"
    g = pkg.get("guarantees")
    assert g["outcome"].tolist() == ["结清", "代偿", "正常", "正常", "正常"]
    assert pkg.get("attracted_firms")["city"].tolist() == ["武汉市", "鄂州市", "武汉市"]
    assert pkg.get("related_output")["output_yi"].sum() == pytest.approx(8900)


CASES = [
    # id, table, row index, column (Chinese header), bad value, rule, column, words
    ("unknown fund", "fund_investments", 1, "基金", "长江基金", "value.choice", "基金",
     "optics_valley_laser_fund"),
    ("unknown purpose", "fund_investments", 0, "投向", "炒股", "value.choice", "投向", "并购重组"),
    ("negative investment", "fund_investments", 2, "投资金额", -5, "value.non_negative",
     "投资金额", "负数"),
    ("unknown segment", "fund_investments", 0, "产业链环节", "激光炮", "value.segment",
     "产业链环节", "激光炮"),
    ("investment date", "fund_investments", 3, "投资日期", "2025/9/1", "value.date", "投资日期",
     "YYYY-MM-DD"),
    ("investee not listed", "fund_investments", 0, "统一社会信用代码",
     "91350100M000100Y43", "ref.unknown", "统一社会信用代码", "找不到该企业"),
    ("duplicate investment", "fund_investments", 1, "投资编号", "FI-1", "key.duplicate",
     "投资编号", "与第2行相同"),
    ("end before start", "guarantees", 1, "到期日期", "2024-05-31", "check.end_not_before_start",
     "到期日期", "早于起始日期（2024-06-01）"),
    ("unknown outcome", "guarantees", 0, "担保结果", "跑路", "value.choice", "担保结果", "代偿"),
    ("negative guarantee", "guarantees", 4, "担保金额", -1, "value.non_negative", "担保金额",
     "负数"),
    ("guarantor missing", "guarantees", 2, "担保机构", "", "value.required", "担保机构",
     "必填项为空"),
    ("attracted to a city outside Hubei", "attracted_firms", 0, "落户市州", "长沙市",
     "value.city", "落户市州", "湖北省的市州"),
    ("attracted firm without segment", "attracted_firms", 1, "产业链环节", "", "value.required",
     "产业链环节", "必填项为空"),
    ("unknown segment of an attracted firm", "attracted_firms", 2, "产业链环节", "XYZ",
     "value.segment", "产业链环节", "XYZ"),
    ("negative related output", "related_output", 3, "产业规模", -10, "value.non_negative",
     "产业规模", "负数"),
    ("related output year", "related_output", 0, "年度", 1999, "value.year_range", "年度",
     "2000至2035"),
]


@pytest.mark.parametrize(("table", "index", "header", "value", "rule", "column", "words"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_broken_cell_is_reported(tmp_path: Path, table: str, index: int, header: str,
                                 value: Any, rule: str, column: str, words: str) -> None:
    tables = _broken(table, index, header, value)
    with pytest.raises(DataValidationError) as info:
        read_package(_write(tmp_path / "pkg", tables))
    problems: list[Problem] = [p for p in info.value.problems if p.rule == rule]
    assert problems, [p.format() for p in info.value.problems]
    first = next((p for p in problems if p.row == index + 2), problems[0])
    assert (first.file, first.row, first.column) == (f"{table}.csv", index + 2, column)
    assert words in first.message_zh, first.message_zh
    assert first.message_en
    # the in-memory validator (used for frames given directly) says the same
    if rule != "ref.unknown":
        _, report = validate_table(tables[table], TABLES[table], f"{table}.csv")
        same = [p for p in report.problems if p.rule == rule]
        assert [(p.row, p.column, p.message_zh) for p in same] == \
            [(p.row, p.column, p.message_zh) for p in problems]


def test_every_problem_of_the_new_tables_at_once(tmp_path: Path) -> None:
    tables = _broken("fund_investments", 0, "基金", "长江基金")
    g = tables["guarantees"].astype(object)
    g.loc[3, "到期日期"] = "2024-01-01"
    tables["guarantees"] = g
    with pytest.raises(DataValidationError) as info:
        read_package(_write(tmp_path / "pkg", tables))
    assert {(p.file, p.row, p.rule) for p in info.value.problems} == {
        ("fund_investments.csv", 2, "value.choice"),
        ("guarantees.csv", 5, "check.end_not_before_start")}


def test_attracted_firm_needs_no_entry_in_the_enterprise_list(tmp_path: Path) -> None:
    tables = fund_tables()
    tables["attracted_firms"] = tables["attracted_firms"].assign(统一社会信用代码=[
        CODES[0], "", ""])
    assert len(read_package(_write(tmp_path / "pkg", tables)).get("attracted_firms")) == 3
