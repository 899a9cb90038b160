"""Helpers for the incentive-engine tests: valid credit codes and small packages on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def make_uscc(serial: int) -> str:
    """A unified social credit code with a valid GB 32100-2015 check character."""
    body = f"91420100{serial:09d}"
    total = sum(_CODE_CHARS.index(ch) * w for ch, w in zip(body, _WEIGHTS, strict=True))
    return body + _CODE_CHARS[(31 - total % 31) % 31]


def write_package(folder: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """A folder of UTF-8 CSV files with a BOM, as Excel writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder


