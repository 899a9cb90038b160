"""Package frames to storable column values, and stored rows back to package frames.

``to_columns`` turns one table of a read package into plain Python values per the
contract's column kinds (``None`` for missing, the column default where the
contract gives one, ``''`` for an absent optional key part). It re-checks types,
required values and key uniqueness, reporting every problem at once, so the store
never relies on a reader's leniency. ``to_frame`` is the way back, for export.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.contracts.tables import Column, Table
from laser_policy.errors import Problem, ProblemCollector

_TRUE = frozenset({"true", "t", "yes", "y", "1", "是", "对", "√"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "否", "不是", "×"})


class _BadValueError(ValueError):
    """A value that does not fit its column kind."""


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    return isinstance(v, str) and v.strip() == ""


def _text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise _BadValueError(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        f = float(v.strip())
        if f.is_integer():
            return int(f)
    if hasattr(v, "item"):  # numpy scalars
        return _int(v.item())
    raise _BadValueError(v)


def _float(v: Any) -> float:
    if isinstance(v, bool):
        raise _BadValueError(v)
    f = float(v.replace(",", "").strip()) if isinstance(v, str) else float(v)
    if math.isnan(f) or math.isinf(f):
        raise _BadValueError(v)
    return f


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if hasattr(v, "item"):
        return _bool(v.item())
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        s = v.strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
    raise _BadValueError(v)


def _date(v: Any) -> date:
    if isinstance(v, datetime):  # also pandas Timestamp
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        return date.fromisoformat(v.strip()[:10])
    raise _BadValueError(v)


def _code(v: Any) -> str:
    """A credit code; one read as a float has lost digits and is refused, not guessed."""
    if isinstance(v, float) or (hasattr(v, "dtype") and v.dtype.kind == "f"):
        raise _BadValueError(v)
    return _text(v)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "int": _int, "float": _float, "bool": _bool, "date": _date, "uscc": _code,
}
_KIND_ZH = {"int": "整数", "float": "数值", "bool": "是/否", "date": "日期 YYYY-MM-DD",
            "uscc": "18位文本（被读成了数字，请以文本读取）"}


_CONVERT_KINDS = ("int", "float", "bool", "date")


def _fast(col: Column, s: pd.Series) -> tuple[list[Any], list[int]] | None:
    """Vectorised conversion when the reader already gave the right dtype."""
    dtype = s.dtype
    if col.kind in ("float", "int") and pd.api.types.is_numeric_dtype(dtype) and not (
        pd.api.types.is_bool_dtype(dtype)
    ):
        f = s.astype("float64").to_numpy(na_value=np.nan)
        present = ~np.isnan(f)
        if np.isinf(f).any() or (col.kind == "int" and (f[present] % 1 != 0).any()):
            return None
        values: list[Any] = (
            np.where(present, f, 0).astype(np.int64) if col.kind == "int" else f).tolist()
    elif col.kind == "bool" and pd.api.types.is_bool_dtype(dtype):
        present = s.notna().to_numpy()
        values = s.fillna(False).astype(bool).tolist()
    elif col.kind not in _CONVERT_KINDS and pd.api.types.infer_dtype(s, skipna=True) in (
        "string", "empty"
    ):
        obj = s.astype(object)
        present = (s.notna() & obj.where(s.notna(), "").str.strip().ne("")).to_numpy()
        values = obj.tolist()
    else:
        return None
    missing = np.flatnonzero(~present).tolist()
    for i in missing:
        values[i] = None
    return values, missing


def _convert(table: Table, col: Column, s: pd.Series, key: bool,
             problems: ProblemCollector) -> list[Any]:
    fast = _fast(col, s)
    out: list[Any] = []
    missing: list[int] = []
    if fast is not None:
        out, missing = fast
    else:
        conv: Callable[[Any], Any] = _CONVERT.get(col.kind, _text)
        for i, v in enumerate(s.astype(object).tolist()):
            if _missing(v):
                missing.append(i)
                out.append(None)
                continue
            try:
                out.append(conv(v))
            except (_BadValueError, ValueError, TypeError):
                problems.add(Problem(
                    table.name, "type", f"{col.zh}应为{_KIND_ZH.get(col.kind, '文本')}",
                    f"{col.name} must be {col.kind}", i + 2, col.name, v))
                out.append(None)
    for i in missing:
        value = col.default
        if value is None and col.required:
            problems.add(Problem(table.name, "required", f"{col.zh}不能为空",
                                 f"{col.name} is required", i + 2, col.name))
        out[i] = "" if key and value is None else value
    return out


def to_columns(table: Table, df: pd.DataFrame) -> dict[str, list[Any]]:
    """The contract's columns of ``df`` as lists of Python values; raises on bad values."""
    problems = ProblemCollector()
    n = len(df)
    columns: dict[str, list[Any]] = {}
    for col in table.columns:
        s = df[col.name] if col.name in df.columns else pd.Series([None] * n, dtype=object)
        columns[col.name] = _convert(table, col, s.reset_index(drop=True),
                                     col.name in table.key, problems)
    if table.key and n:
        keys = pd.DataFrame({k: columns[k] for k in table.key})
        for i in keys.index[keys.duplicated(keep="first")]:
            problems.add(Problem(
                table.name, "unique_key", "主键重复：" + "、".join(table.key),
                "duplicate key " + ", ".join(table.key), int(i) + 2,
                table.key[0], "/".join(str(columns[k][i]) for k in table.key)))
    problems.raise_if_any()
    return columns


def to_frame(table: Table, rows: pd.DataFrame) -> pd.DataFrame:
    """Stored rows (contract columns) as a package frame: blank key parts back to empty."""
    out = pd.DataFrame(index=rows.index)
    for col in table.columns:
        s = rows[col.name].astype(object) if col.name in rows else pd.Series(
            [None] * len(rows), index=rows.index, dtype=object)
        s = s.where(s.notna() & (s != ""), None)
        if col.kind == "int":
            out[col.name] = s.astype("Int64")
        elif col.kind == "float":
            out[col.name] = s.astype("Float64")
        elif col.kind == "bool":
            out[col.name] = s.astype("boolean")
        elif col.kind == "date":
            out[col.name] = s.map(lambda v: v if v is None else _date(v)).astype(object)
        else:
            out[col.name] = s.astype(object)
    return out
