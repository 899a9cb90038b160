"""Helpers: a small valid package that each test breaks in one way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.contracts.uscc import make_uscc

CODES = [make_uscc(f"91420100MA4K{i:04d}") for i in range(4)]


def enterprises() -> pd.DataFrame:
    return pd.DataFrame({
        "uscc": CODES,
        "name": [f"武汉光谷激光{i}有限公司（示例）" for i in range(4)],
        "city": ["武汉市", "武汉", "宜昌市", "襄阳"],
        "segments": ["LSR-FIBER", "光纤激光器;EQP-CUT", "", "CMP-CHIP"],
        "is_laser": ["是", "否", "", "1"],
    })


def financials() -> pd.DataFrame:
    return pd.DataFrame({
        "uscc": CODES * 2,
        "year": [2024] * 4 + [2025] * 4,
        "revenue_wan": [520000, 1000, 2000, 3000, 1100000, 1200, 2500, 3500],
        "laser_revenue_wan": [500000, 800, 1500, 0, 1000000, 900, 2000, 100],
    })


def write_package(folder: Path, tables: dict[str, pd.DataFrame | bytes]) -> Path:
    """Write the small valid package into ``folder`` as CSV, ``tables`` replacing its tables
    (frames or raw bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    content: dict[str, pd.DataFrame | bytes] = {
        "enterprises": enterprises(), "financials": financials()}
    content.update(tables)
    for name, data in content.items():
        if isinstance(data, bytes):
            (folder / f"{name}.csv").write_bytes(data)
        else:
            data.to_csv(folder / f"{name}.csv", index=False)
    return folder


@pytest.fixture
def package(tmp_path: Path) -> Callable[..., Path]:
    """Write a package folder of CSV; keyword arguments replace tables (frames or raw bytes)."""

    def write(**tables: pd.DataFrame | bytes) -> Path:
        return write_package(tmp_path / "pkg", tables)

    return write
