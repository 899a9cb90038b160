"""Caps on rows and unpacked bytes, checked while the data streams in (issue 11)."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from laser_policy.errors import DataValidationError, InputError, Problem
from laser_policy.io import read_package
from laser_policy.io.limits import ReadLimits
from laser_policy.web.services.dataimport import _safe_extract

from .conftest import CODES, enterprises, financials

MIB = 1024 * 1024


def _problems(path: Path, limits: ReadLimits | None = None) -> list[Problem]:
    with pytest.raises(DataValidationError) as info:
        read_package(path, limits=limits)
    return info.value.problems


def test_csv_rows_over_the_cap_are_refused(package: Callable[..., Path]) -> None:
    problems = _problems(package(), ReadLimits(max_rows=5))
    assert [(p.file, p.rule) for p in problems] == [("financials.csv", "file.too_many_rows")]
    assert "5行的上限" in problems[0].message_zh
    assert "LASER_POLICY_MAX_ROWS" in problems[0].message_en


def test_the_cap_comes_from_the_environment(
    package: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = package()
    monkeypatch.setenv("LASER_POLICY_MAX_ROWS", "7")
    assert {p.rule for p in _problems(folder)} == {"file.too_many_rows"}
    monkeypatch.setenv("LASER_POLICY_MAX_ROWS", "8")
    assert len(read_package(folder).get("financials")) == 8
    monkeypatch.setenv("LASER_POLICY_MAX_ROWS", "many")
    with pytest.raises(InputError, match="LASER_POLICY_MAX_ROWS"):
        read_package(folder)


def test_csv_bytes_over_the_cap_are_refused(package: Callable[..., Path]) -> None:
    problems = _problems(package(), ReadLimits(max_file_bytes=200))
    assert {p.rule for p in problems} == {"file.too_large"}
    assert {p.file for p in problems} == {"enterprises.csv", "financials.csv"}


def test_parquet_rows_over_the_cap_are_refused(package: Callable[..., Path]) -> None:
    folder = package()
    (folder / "financials.csv").unlink()
    frame = financials()
    pq.write_table(pa.Table.from_pandas(frame), folder / "financials.parquet", row_group_size=2)
    problems = _problems(folder, ReadLimits(max_rows=5))
    assert [(p.file, p.rule) for p in problems] == [("financials.parquet", "file.too_many_rows")]


def test_bulk_rows_over_the_cap_are_refused(package: Callable[..., Path]) -> None:
    folder = package()
    part = folder / "transactions" / "year=2025"
    part.mkdir(parents=True)
    pq.write_table(pa.table({
        "buyer_uscc": [CODES[0]] * 3, "supplier_name": ["甲"] * 3,
        "supplier_province": ["湖北省"] * 3, "segment": ["LSR-FIBER"] * 3,
        "amount_wan": [1.0] * 3}), part / "part-0.parquet")
    problems = _problems(folder, ReadLimits(max_bulk_rows=2))
    assert [(p.file, p.rule) for p in problems] == [("transactions/", "file.too_many_rows")]
    assert "LASER_POLICY_MAX_BULK_ROWS" in problems[0].message_en


def _workbook(path: Path, padding: int) -> Path:
    """A valid workbook whose enterprises sheet XML carries ``padding`` bytes of blanks
    (compresses to almost nothing, as a zip bomb does)."""
    plain = io.BytesIO()
    with __import__("pandas").ExcelWriter(plain) as writer:
        enterprises().to_excel(writer, sheet_name="enterprises", index=False)
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding, 1)
            out.writestr(info.filename, data)
    return path


def test_workbook_unpacking_over_the_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx", 8 * MIB)
    assert path.stat().st_size < MIB
    problems = _problems(path, ReadLimits(max_xlsx_bytes=4 * MIB))
    assert [(p.file, p.rule) for p in problems] == [("book.xlsx", "file.too_large")]
    assert "LASER_POLICY_MAX_XLSX_BYTES" in problems[0].message_en
    assert len(read_package(path, limits=ReadLimits(max_xlsx_bytes=16 * MIB))
               .get("enterprises")) == 4


def test_workbook_sheet_rows_over_the_cap_are_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx", 0)
    problems = _problems(path, ReadLimits(max_rows=3))
    assert [(p.file, p.rule) for p in problems] == [("book.xlsx!enterprises",
                                                     "file.too_many_rows")]


def _lying_zip(path: Path, size: int) -> Path:
    """A zip whose one member unpacks to ``size`` bytes but declares 100 (both headers)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("enterprises.csv", b"0" * size)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        struct.pack_into("<I", data, at + offset, 100)
    path.write_bytes(bytes(data))
    return path


def test_upload_whose_header_understates_its_size_is_not_unpacked_in_memory(
    tmp_path: Path,
) -> None:
    archive = _lying_zip(tmp_path / "bomb.zip", 64 * MIB)
    assert archive.stat().st_size < MIB
    into = tmp_path / "out"
    into.mkdir()
    tracemalloc.start()
    try:
        with pytest.raises(InputError):
            _safe_extract(archive, into, ReadLimits(max_unzipped_bytes=8 * MIB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MIB  # one chunk at a time, never the whole member
    assert sum(f.stat().st_size for f in into.rglob("*") if f.is_file()) <= 8 * MIB


def test_upload_over_the_unpacked_budget_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("enterprises.csv", b"0" * (3 * MIB))
    into = tmp_path / "out"
    into.mkdir()
    with pytest.raises(InputError, match="LASER_POLICY_MAX_UNZIPPED_BYTES"):
        _safe_extract(archive, into, ReadLimits(max_unzipped_bytes=2 * MIB))


def test_upload_with_too_many_files_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(5):
            zf.writestr(f"f{i}.csv", b"a\n")
    into = tmp_path / "out"
    into.mkdir()
    with pytest.raises(InputError, match="too many files"):
        _safe_extract(archive, into, ReadLimits(max_zip_entries=4))
