"""Helpers for the incentive-engine tests: valid credit codes and small packages on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from laser_policy.contracts.uscc import make_uscc as _code


def make_uscc(serial: int) -> str:
    """A unified social credit code passing both GB 32100 and GB 11714 checks."""
    return _code(f"91420100{serial:08d}")


def write_package(folder: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """A folder of UTF-8 CSV files with a BOM, as Excel writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder
