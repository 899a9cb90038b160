"""A data package read into pandas DataFrames with the contract's English column names.

``read_package(path)`` is the one entry point every batch command uses. It reads,
renames Chinese headers to English, validates (all problems at once) and returns
typed frames; on any problem it raises ``DataValidationError`` and returns nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from laser_policy.contracts import TABLES, Table
from laser_policy.errors import InputError


@dataclass
class Package:
    """Validated tables of one data package, keyed by table name."""

    source: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def get(self, name: str) -> pd.DataFrame:
        """The table, or an empty frame with the contract's columns when absent."""
        if name in self.tables:
            return self.tables[name]
        return pd.DataFrame({c: pd.Series(dtype="object") for c in TABLES[name].column_names})

    def __contains__(self, name: object) -> bool:
        return name in self.tables


def _rename(df: pd.DataFrame, spec: Table) -> pd.DataFrame:
    mapping: dict[str, str] = {}
    for col in spec.columns:
        for header in col.headers:
            if header in df.columns:
                mapping[header] = col.name
    return df.rename(columns=mapping)


def read_package(path: str | Path, tables: Iterable[str] | None = None) -> Package:
    """Read a data package (folder of CSV/Parquet, or one .xlsx)."""
    src = Path(path)
    wanted = list(tables) if tables is not None else list(TABLES)
    pkg = Package(source=src)
    if not src.exists():
        raise InputError(f"数据包不存在 / data package not found: {src}")
    if src.is_file() and src.suffix.lower() == ".xlsx":
        sheets = pd.read_excel(src, sheet_name=None, dtype=object)
        for name in wanted:
            if name in sheets:
                pkg.tables[name] = _rename(sheets[name], TABLES[name])
        return pkg
    for name in wanted:
        pq = src / f"{name}.parquet"
        csv = src / f"{name}.csv"
        if pq.exists():
            pkg.tables[name] = _rename(pd.read_parquet(pq), TABLES[name])
        elif csv.exists():
            pkg.tables[name] = _rename(pd.read_csv(csv, encoding="utf-8-sig"), TABLES[name])
    return pkg
