"""An unknown column is kept, and a warning names the nearest known column (issue 11)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.io import read_package
from laser_policy.web.services.dataimport import upload

from .conftest import CODES, enterprises, financials


def _misspelt(package: Callable[..., Path]) -> Path:
    return package(financials=financials().assign(rd_expnse_wan=[1.0] * 8))


def test_misspelt_column_is_warned_with_its_nearest_known_name(
    package: Callable[..., Path],
) -> None:
    pkg = read_package(_misspelt(package))  # still valid
    assert "rd_expnse_wan" in pkg.get("financials").columns
    near = [w for w in pkg.warnings if w.rule == "column.unknown_near"]
    assert len(near) == 1
    assert near[0].file == "financials.csv"
    assert near[0].column == "rd_expnse_wan"
    assert "是否应为「研发费用」（rd_expense_wan）" in near[0].message_zh
    assert "did you mean “rd_expense_wan”" in near[0].message_en


def test_chinese_header_misspelt_and_free_column(package: Callable[..., Path]) -> None:
    frame = enterprises().rename(columns={"name": "企业名"}).assign(备注="x")
    frame = frame.assign(name=frame["企业名"])
    pkg = read_package(package(enterprises=frame))
    by_column = {w.column: w for w in pkg.warnings}
    # 企业名 is near 企业名称, but name is present: no known column is suggested twice
    assert by_column["企业名"].rule == "column.unknown"
    assert by_column["备注"].rule == "column.unknown"
    assert "已保留但不使用" in by_column["备注"].message_zh


def test_bulk_parquet_unknown_column_is_warned(package: Callable[..., Path]) -> None:
    folder = package()
    part = folder / "transactions" / "year=2025"
    part.mkdir(parents=True)
    table = pa.table({"buyer_uscc": [CODES[0]], "supplier_name": ["甲"],
                      "supplier_province": ["湖北省"], "supplier_city": ["武汉市"],
                      "segment": ["LSR-FIBER"], "amount_wan": [1.0], "dates": ["2025-01-02"]})
    pq.write_table(table, part / "part-0.parquet")
    pkg = read_package(folder)
    warned = {(w.file, w.column, w.rule) for w in pkg.warnings}
    assert ("transactions/", "dates", "column.unknown_near") in warned


def test_validate_prints_the_warning(package: Callable[..., Path]) -> None:
    folder = _misspelt(package)
    text = CliRunner().invoke(cli, ["validate", str(folder)])
    assert text.exit_code == 0, text.stderr
    assert "rd_expnse_wan" in text.stderr
    assert "rd_expense_wan" in text.stderr
    as_json = CliRunner().invoke(cli, ["validate", str(folder), "--format", "json"])
    warnings = json.loads(as_json.stdout)["warnings"]
    assert [w["column"] for w in warnings] == ["rd_expnse_wan"]


def test_import_summary_prints_the_warning(package: Callable[..., Path], tmp_path: Path) -> None:
    folder = _misspelt(package)
    db = tmp_path / "store.db"
    result = CliRunner().invoke(cli, ["import", str(folder), "--db", str(db), "--user", "t"])
    assert result.exit_code == 0, result.output
    assert "rd_expnse_wan" in result.stderr
    assert "rd_expense_wan" in result.stderr


def test_upload_summary_names_the_warning(
    package: Callable[..., Path], db_url: str,
) -> None:
    folder = _misspelt(package)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for file in folder.iterdir():
            zf.write(file, file.name)
    result = upload("pkg.zip", buffer.getvalue(), db_url, "导入员")
    assert result["ok"], result["problems"]
    assert [w["column"] for w in result["warnings"]] == ["rd_expnse_wan"]
    assert "rd_expense_wan" in result["summary"]
