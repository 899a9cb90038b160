"""A package in which no file names a table is refused, naming the files seen (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from laser_policy.cli import cli
from laser_policy.errors import DataValidationError, Problem
from laser_policy.io import read_package

from .conftest import enterprises


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(DataValidationError) as info:
        read_package(path)
    return info.value.problems


def _stray_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pkg"
    folder.mkdir()
    enterprises().to_csv(folder / "企业.csv", index=False)
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    return folder


def test_folder_without_a_known_table_is_refused(tmp_path: Path) -> None:
    problems = _problems(_stray_folder(tmp_path))
    assert [p.rule for p in problems] == ["package.no_table"]
    assert problems[0].file == "pkg/"
    assert "未识别到任何数据表" in problems[0].message_zh
    assert "notes.txt、企业.csv" in problems[0].message_zh
    assert "enterprises.csv" in problems[0].message_zh  # says what names are expected
    assert "no table" in problems[0].message_en


def test_workbook_with_only_a_notes_sheet_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "说明"
    sheet.append(["填表说明"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    problems = _problems(path)
    assert [p.rule for p in problems] == ["package.no_table"]
    assert "说明" in problems[0].message_zh


def test_import_of_such_a_package_fails_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["import", str(_stray_folder(tmp_path)), "--db", str(db)])
    assert isinstance(result.exception, DataValidationError)
    assert "未作任何修改" not in result.output
    assert [p.rule for p in result.exception.problems] == ["package.no_table"]
