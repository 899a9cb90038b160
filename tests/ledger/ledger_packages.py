"""Helpers for the ledger tests: row counts, valid credit codes, small packages.

All data here is synthetic (names end with （示例）).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from laser_policy.contracts.uscc import make_uscc
from laser_policy.store.db import make_engine


def count_rows(url: str, *tables: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                    for t in tables}
    finally:
        engine.dispose()


def uscc(n: int, division: str = "420100") -> str:
    return make_uscc(f"91{division}MA{n:06d}")


def write_package(folder: Path, tables: Mapping[str, list[dict[str, Any]]]) -> Path:
    """A small CSV package (UTF-8 with BOM, English headers)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder
