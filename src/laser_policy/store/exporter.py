"""``export``: the store written out as a data package again.

CSV (default): a folder of ``<table>.csv`` in UTF-8 with a BOM (so Excel and WPS
show the Chinese correctly; the contract requires readers to accept it), English
headers by default, and the transactions copied as their Parquet partitions
(``transactions/year=YYYY/part-0.parquet``, the sample package's layout).
XLSX: one workbook, one sheet per table named after the table, Chinese headers by
default. Text stays text: xlsx string cells, CSV cells escaped OWASP-style
(``laser_policy.io.cells``; the reader undoes it). Only tables holding rows are
written. The output appears only when complete (written beside it under a
temporary name, then renamed).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import sqlalchemy as sa

from laser_policy.contracts import TABLES, Table
from laser_policy.errors import InputError
from laser_policy.io.cells import escape_frame, inert_sheet
from laser_policy.store import bulk as bulk_store
from laser_policy.store.db import make_engine
from laser_policy.store.models import DATA_TABLES
from laser_policy.store.values import to_frame

Format = Literal["csv", "xlsx"]
Headers = Literal["en", "zh"]
XLSX_MAX_ROWS = 1_048_575


def read_tables(url: str | None = None, *, transactions: bool = True) -> dict[str, pd.DataFrame]:
    """Every stored table holding rows, as package frames (contract columns, key order)."""
    engine = make_engine(url)
    out: dict[str, pd.DataFrame] = {}
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("enterprises"):
                raise InputError("数据库为空，尚未导入任何数据 / the database holds no data yet: "
                                 f"{engine.url.render_as_string(hide_password=True)}")
            for name, table in DATA_TABLES.items():
                spec = TABLES[name]
                query = sa.select(*[table.c[c] for c in spec.column_names]).order_by(
                    *[table.c[k] for k in spec.key])
                rows = conn.execute(query).all()
                if rows:
                    out[name] = to_frame(spec, pd.DataFrame(rows, columns=spec.column_names,
                                                            dtype=object))
    finally:
        engine.dispose()
    if transactions:
        tx = bulk_store.read_transactions(url)
        if tx is not None:
            out["transactions"] = to_frame(TABLES["transactions"], tx.to_pandas())
    return out


def _presentable(spec: Table, df: pd.DataFrame, headers: Headers) -> pd.DataFrame:
    out = df.copy()
    for col in spec.columns:
        if col.kind == "bool":
            yes, no = ("是", "否") if headers == "zh" else ("True", "False")
            out[col.name] = df[col.name].astype(object).map(
                lambda v, yes=yes, no=no: None if v is None or v is pd.NA else (yes if v else no))
    if headers == "zh":
        out.columns = [spec.column(c).zh for c in out.columns]
    return out


@dataclass
class ExportResult:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)

    def summary_zh(self) -> str:
        lines = [f"已导出 / exported: {self.path}"]
        lines += [f"  {TABLES[n].zh} {n}: {r} 行 rows" for n, r in self.rows.items()]
        return "\n".join(lines)


def _write_csv(tmp: Path, frames: dict[str, pd.DataFrame], headers: Headers,
               url: str | None) -> None:
    tmp.mkdir(parents=True)
    if "transactions" in frames:
        with bulk_store.opened(url) as files:
            for year, path in files.items():
                target = bulk_store.partition_path(tmp, year)
                target.parent.mkdir(parents=True)
                shutil.copyfile(path, target)
    for name, df in frames.items():
        if name == "transactions":
            continue
        escape_frame(_presentable(TABLES[name], df, headers)).to_csv(
            tmp / f"{name}.csv", index=False, encoding="utf-8-sig")


def _write_xlsx(tmp: Path, frames: dict[str, pd.DataFrame], headers: Headers) -> None:
    too_big = [n for n, df in frames.items() if len(df) > XLSX_MAX_ROWS]
    if too_big:
        raise InputError(f"表 {', '.join(too_big)} 超过Excel行数上限，请导出为CSV / "
                         f"too many rows for one sheet: export as csv")
    with pd.ExcelWriter(tmp, engine="openpyxl", date_format="YYYY-MM-DD") as writer:
        for name, df in frames.items():
            _presentable(TABLES[name], df, headers).to_excel(writer, sheet_name=name, index=False)
            inert_sheet(writer.sheets[name])


def export_package(out: str | Path, url: str | None = None, fmt: Format | None = None,
                   headers: Headers | None = None) -> ExportResult:
    """Write the store at ``url`` as a data package at ``out``."""
    target = Path(out)
    fmt = fmt or ("xlsx" if target.suffix.lower() == ".xlsx" else "csv")
    headers = headers or ("zh" if fmt == "xlsx" else "en")
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise InputError(f"输出位置已存在且非空 / output already exists: {target}")
    frames = read_tables(url)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        if fmt == "xlsx":
            _write_xlsx(tmp, frames, headers)
        else:
            _write_csv(tmp, frames, headers, url)
        if target.is_dir():
            target.rmdir()
        os.replace(tmp, target)
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp.exists():
            tmp.unlink()
    return ExportResult(target, {n: len(df) for n, df in frames.items()})
