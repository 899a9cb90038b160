"""Helpers for the 督办 tests (synthetic data only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from laser_policy.io import Package


def read_csv(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", encoding="utf-8-sig", dtype={"uscc": str})


def write_csv(folder: Path, table: str, frame: pd.DataFrame) -> None:
    frame.to_csv(folder / f"{table}.csv", index=False, encoding="utf-8-sig")


def utc(y: int, m: int, d: int, h: int = 3) -> dt.datetime:
    """A moment on day y-m-d in China (03:00 UTC is 11:00 Beijing time)."""
    return dt.datetime(y, m, d, h, tzinfo=dt.UTC)


#: edits a copy of the sample package's tables and returns it read and validated
Editor = Callable[[Callable[[dict[str, pd.DataFrame]], None]], Package]
