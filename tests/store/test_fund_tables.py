"""The four new tables in the store: imported all or nothing, exported and read back
unchanged (SQLite and PostgreSQL, CSV and xlsx), and in the template."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from store_packages import dump

from fund_packages import fund_tables
from laser_policy.contracts import TABLES
from laser_policy.errors import DataValidationError
from laser_policy.io import read_package
from laser_policy.io.template import write_template
from laser_policy.store.exporter import export_package, read_tables
from laser_policy.store.importer import import_package

NEW = ("fund_investments", "guarantees", "attracted_firms", "related_output")


def _write(folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder


def _frames(pkg: Path) -> dict[str, pd.DataFrame]:
    read = read_package(pkg)
    return {n: read.get(n).sort_values(list(TABLES[n].key)).reset_index(drop=True)
            for n in NEW}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_then_export_gives_the_same_rows(db_url: str, tmp_path: Path, fmt: str) -> None:
    src = _write(tmp_path / "pkg", fund_tables())
    result = import_package(src, db_url, user="审核员")
    assert {n: result.counts[n].inserted for n in NEW} == {
        "fund_investments": 4, "guarantees": 5, "attracted_firms": 3, "related_output": 5}
    stored = read_tables(db_url)
    # the province-wide rows of related_output come back with an empty city
    assert stored["related_output"]["city"].isna().sum() == 2
    out = tmp_path / ("out.xlsx" if fmt == "xlsx" else "out")
    export_package(out, db_url)
    before, after = _frames(src), _frames(out)
    for name in NEW:
        pd.testing.assert_frame_equal(after[name], before[name], check_dtype=False,
                                      obj=name)


def test_a_broken_row_in_a_new_table_writes_nothing(db_url: str, tmp_path: Path) -> None:
    tables = fund_tables()
    g = tables["guarantees"].astype(object)
    g.loc[0, "到期日期"] = "2023-01-01"  # before its start
    tables["guarantees"] = g
    with pytest.raises(DataValidationError) as info:
        import_package(_write(tmp_path / "pkg", tables), db_url)
    assert [(p.file, p.row, p.rule) for p in info.value.problems] == [
        ("guarantees.csv", 2, "check.end_not_before_start")]
    assert not any(dump(db_url).get(n) for n in (*NEW, "enterprises"))


def test_the_template_has_a_sheet_per_new_table_with_chinese_headers(tmp_path: Path) -> None:
    book = load_workbook(write_template(tmp_path / "template.xlsx"))
    for name in NEW:
        headers = [c.value for c in book[name][1]]
        assert headers == [c.zh for c in TABLES[name].columns], name
    lists = book["_lists"]
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.columns}
    assert columns["fund_investments.fund"] == [
        "省政府投资引导基金", "省“楚天凤鸣”科创天使基金", "光谷激光产业发展基金"]
    assert columns["fund_investments.purpose"] == ["并购重组", "技术创新", "成果转化", "应用示范"]
