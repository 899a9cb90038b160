"""Helpers for the storage tests: valid credit codes, small packages, database dumps.

All data here is synthetic (names end with （示例）).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from laser_policy.io.cells import escape_frame
from laser_policy.store import bulk

_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _org_code(body: str) -> str:
    """GB 11714 organisation code: 8 digits and their check character."""
    c = 11 - sum(int(d) * w for d, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def make_uscc(n: int, region: str = "420100") -> str:
    """A valid GB 32100-2015 unified social credit code, distinct for each ``n``."""
    head = "91" + region + _org_code(f"{n:08d}")
    c = 31 - sum(_CHARSET.index(ch) * w for ch, w in zip(head, _WEIGHTS, strict=True)) % 31
    return head + _CHARSET[0 if c == 31 else c]


def write_package(folder: Path, tables: Mapping[str, pd.DataFrame | list[dict[str, Any]]]) -> Path:
    """Write tables as a CSV data package (UTF-8 with BOM, English headers, text escaped
    like ``export`` does, so a name starting with a quote reads back as written)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        escape_frame(df).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder


def enterprises(n: int, start: int = 0, name: str = "激光企业") -> list[dict[str, Any]]:
    return [{"uscc": make_uscc(i), "name": f"{name}{i}（示例）", "province": "湖北省",
             "city": "武汉市", "segments": "LSR-FIBER;EQP-CUT", "is_laser": True}
            for i in range(start, start + n)]


def financials(codes: list[str], years: range, revenue: float = 1000.0) -> list[dict[str, Any]]:
    return [{"uscc": u, "year": y, "revenue_wan": revenue + y, "laser_revenue_wan": revenue / 2,
             "invention_patents": 3, "has_rd_institution": True}
            for u in codes for y in years]


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the database (reflected), sorted, for equality checks."""
    engine = sa.create_engine(url)
    try:
        meta = sa.MetaData()
        with engine.connect() as conn:
            meta.reflect(conn)
            return {name: sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr)
                    for name, t in meta.tables.items()}
    finally:
        engine.dispose()


def bulk_files(url: str) -> dict[str, bytes]:
    """The bulk Parquet files of the database at ``url``, by relative path (locks aside)."""
    root = bulk.bulk_root(url)
    if root is None or not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def current_files(url: str) -> dict[int, bytes]:
    """The current transactions partition of each year (by the database's pointers)."""
    with bulk.opened(url) as files:
        return {year: path.read_bytes() for year, path in files.items()}


def execute(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for s in statements:
                conn.exec_driver_sql(s)
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> Any:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(sql).scalar()
    finally:
        engine.dispose()
