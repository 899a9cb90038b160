"""Reading packages: encodings, Chinese headers, workbooks, Parquet, garbage."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from laser_policy.contracts.tables import TABLES
from laser_policy.errors import DataValidationError
from laser_policy.io import read_package
from laser_policy.io.template import write_template

from .conftest import CODES, enterprises, financials


def test_bom_is_accepted(package: Callable[..., Path]) -> None:
    folder = package()
    enterprises().to_csv(folder / "enterprises.csv", index=False, encoding="utf-8-sig")
    pkg = read_package(folder)
    assert pkg.get("enterprises")["uscc"].tolist() == CODES


def test_chinese_headers_are_accepted_and_values_normalised(package: Callable[..., Path]) -> None:
    zh = {c.name: c.zh for c in TABLES["enterprises"].columns}
    frame = enterprises().rename(columns=zh).assign(备注="自由填写")
    pkg = read_package(package(enterprises=frame))
    e = pkg.get("enterprises")
    assert e["city"].tolist() == ["武汉市", "武汉市", "宜昌市", "襄阳市"]
    assert e["segments"].tolist()[:2] == ["LSR-FIBER", "LSR-FIBER;EQP-CUT"]
    assert e["is_laser"].tolist() == [True, False, True, True]
    assert e["province"].eq("湖北省").all()
    assert e["备注"].eq("自由填写").all()  # unknown columns are kept
    f = pkg.get("financials")
    assert f["year"].dtype == "int64"
    assert f["revenue_wan"].dtype == "float64"


def test_only_asked_tables_and_their_references_are_read(package: Callable[..., Path]) -> None:
    pkg = read_package(package(), tables=["financials"])
    assert set(pkg.tables) == {"financials", "enterprises"}
    assert list(pkg.get("awards").columns) == list(TABLES["awards"].column_names)


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="not found"):
        read_package(tmp_path / "nope")


def test_template_round_trip(tmp_path: Path) -> None:
    path = write_template(tmp_path / "模板.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明"
    sheet = book["enterprises"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [c.zh for c in TABLES["enterprises"].columns]
    assert sheet["A1"].comment is not None
    assert "uscc" in sheet["A1"].comment.text
    assert sheet.data_validations.dataValidation  # drop-downs and ranges are there
    sheet["A2"], sheet["B2"], sheet["D2"], sheet["G2"] = CODES[0], "甲（示例）", "武汉", "否"
    book["financials"].append([CODES[0], 2025, 510000, 500000, None, 3, "是", "是"])
    book.save(path)
    pkg = read_package(path)
    assert pkg.get("enterprises").iloc[0][["city", "is_laser"]].tolist() == ["武汉市", False]
    assert pkg.get("financials").iloc[0]["revenue_wan"] == 510000.0
    assert pkg.row_counts["products"] == 0


def test_workbook_with_chinese_sheet_names(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        enterprises().to_excel(writer, sheet_name="企业名录", index=False)
        financials().to_excel(writer, sheet_name="年度指标", index=False)
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="说明", index=False)
    pkg = read_package(path)
    assert len(pkg.get("financials")) == 8


def _transactions(buyer: list[str], amount: list[float]) -> pd.DataFrame:
    n = len(buyer)
    return pd.DataFrame({
        "buyer_uscc": buyer, "supplier_name": ["某供应商（示例）"] * n,
        "supplier_province": ["湖北省"] * n, "supplier_city": ["武汉"] * n,
        "segment": ["光纤激光器"] * n, "amount_wan": amount,
    })


def test_partitioned_parquet_transactions_are_validated_in_place(
        package: Callable[..., Path]) -> None:
    folder = package()
    part = folder / "transactions" / "year=2025"
    part.mkdir(parents=True)
    _transactions(CODES, [1.0, 2.0, 3.0, 4.0]).to_parquet(part / "part-0.parquet")
    pkg = read_package(folder)
    assert pkg.transactions_path == folder / "transactions"
    assert "transactions" not in pkg.tables  # not loaded
    assert pkg.row_counts["transactions"] == 4
    t = pkg.get("transactions")
    assert t["segment"].eq("LSR-FIBER").all()
    assert t["supplier_city"].eq("武汉市").all()
    assert t["year"].eq(2025).all()


def test_parquet_transactions_problems_name_file_and_row(package: Callable[..., Path]) -> None:
    folder = package()
    part = folder / "transactions" / "year=2025"
    part.mkdir(parents=True)
    bad = _transactions([CODES[0], "91350100M000100Y43", CODES[1]], [1.0, 2.0, -3.0])
    bad.to_parquet(part / "part-0.parquet")
    with pytest.raises(DataValidationError) as info:
        read_package(folder)
    got = {(p.rule, p.file, p.row) for p in info.value.problems}
    file = str(Path("transactions") / "year=2025" / "part-0.parquet")
    assert got == {("ref.unknown", file, 3), ("value.non_negative", file, 4)}


def test_a_small_transactions_csv_is_loaded(package: Callable[..., Path]) -> None:
    pkg = read_package(package(transactions=_transactions(CODES, [1, 2, 3, 4]).assign(year=2024)))
    assert pkg.get("transactions")["amount_wan"].sum() == 10


def test_large_garbage_file_is_refused_quickly(tmp_path: Path) -> None:
    size = 200 * 1024 * 1024
    if shutil.disk_usage(tmp_path).free < 3 * size:
        pytest.skip("not enough disk for a 200 MB file")
    folder = tmp_path / "pkg"
    folder.mkdir()
    with (folder / "transactions.csv").open("wb") as fh:
        chunk = os.urandom(4 * 1024 * 1024)
        for _ in range(size // len(chunk)):
            fh.write(chunk)
    start = time.perf_counter()
    with pytest.raises(DataValidationError) as info:
        read_package(folder)
    assert time.perf_counter() - start < 3
    assert [p.rule for p in info.value.problems] == ["file.binary"]
    assert "CSV UTF-8" in info.value.problems[0].message_zh


def test_invalid_utf8_after_the_first_bytes(package: Callable[..., Path]) -> None:
    body = "统一社会信用代码,企业名称\n".encode() + b"a,b\n" * 40000 + "甲,乙\n".encode("gbk")
    with pytest.raises(DataValidationError) as info:
        read_package(package(enterprises=body))
    assert info.value.problems[0].rule == "file.encoding"
