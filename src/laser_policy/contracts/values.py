"""Vectorised converters from cells as typed (text, or Excel numbers/dates) to typed values.

Each converter takes a text series (``as_text``: stripped, missing = None) and returns
the typed series and a boolean mask of the cells it could not read. No per-row
Python on numbers; text columns are mapped once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from laser_policy.contracts.uscc import check_uscc, valid_mask

TRUE_WORDS = ("是", "true", "1", "y", "yes", "t", "对")
FALSE_WORDS = ("否", "false", "0", "n", "no", "f", "不是")
_BOOLS = dict.fromkeys(TRUE_WORDS, True) | dict.fromkeys(FALSE_WORDS, False)
_ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_NUMBER_CLEAN = re.compile(r"[,，\s]")


def _cell_text(v: object) -> str | None:
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, np.floating) and np.isnan(v):
        return None
    return str(v)


def as_text(s: pd.Series) -> pd.Series:
    """Cells as stripped text; empty or missing cells become missing (object dtype).

    >>> as_text(pd.Series([" a ", "", None, 3.0, 2.5], dtype=object)).fillna("-").tolist()
    ['a', '-', '-', '3', '2.5']
    """
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        t = s.str.strip()
        return t.where(t.notna() & t.ne(""), None).astype(object)
    return s.map(_cell_text).astype(object)


def to_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats; thousands separators allowed. Returns (values, unreadable mask).

    >>> v, bad = to_number(pd.Series(["1,234.5", "abc", None], dtype=object))
    >>> v.tolist()[0], bad.tolist()
    (1234.5, [False, True, False])
    """
    num = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = text.notna() & num.isna()
    if retry.any():  # only cells that did not parse as they are: drop separators and spaces
        cleaned = text[retry].astype(str).str.replace(_NUMBER_CLEAN, "", regex=True)
        num[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    num = num.where(np.isfinite(num))
    bad = text.notna() & num.isna()
    return num, bad


def to_int(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Nullable integers (``Int64``). Returns (values, unreadable-or-fractional mask).

    >>> v, bad = to_int(pd.Series(["2025", "2025.5", "x", None], dtype=object))
    >>> v.tolist()[0], bad.tolist()
    (2025, [False, True, True, False])
    """
    num, bad = to_number(text)
    frac = num.notna() & (num % 1 != 0)
    num = num.where(~frac)
    return num.round().astype("Int64"), bad | frac


def to_bool(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Nullable booleans from 是/否, true/false, 1/0, Y/N (any case).

    >>> v, bad = to_bool(pd.Series(["是", "N", "maybe", None], dtype=object))
    >>> v.tolist()[:2], bad.tolist()
    ([True, False], [False, False, True, False])
    """
    mapped = _lower(text).map(_BOOLS)
    bad = text.notna() & mapped.isna()
    return mapped.astype("boolean"), bad


def to_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO dates (``YYYY-MM-DD``) to ``datetime64``; anything else is unreadable.

    >>> v, bad = to_date(pd.Series(["2024-07-22", "2024/7/22", "2024-02-30"], dtype=object))
    >>> bad.tolist()
    [False, True, True]
    """
    shaped = text.notna() & text.astype(str).str.fullmatch(_ISO_DATE)
    dates = pd.to_datetime(
        text.where(shaped, None).astype(object).map(lambda v: None if v is None else v[:10]),
        format="%Y-%m-%d", errors="coerce",
    )
    bad = text.notna() & dates.isna()
    return dates, bad


def lookup(text: pd.Series, table: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Values mapped through ``table`` (tried as typed, then lower case).

    >>> v, bad = lookup(pd.Series(["国家级", "NATIONAL", "x"], dtype=object), {"国家级": "national", "national": "national"})
    >>> v.fillna("-").tolist(), bad.tolist()
    (['national', 'national', '-'], [False, False, True])
    """  # noqa: E501
    mapped = text.map(table).astype(object)
    mapped = mapped.where(mapped.notna(), _lower(text).map(table))
    bad = text.notna() & mapped.isna()
    return mapped, bad


def _lower(text: pd.Series) -> pd.Series:
    """Lower case, computed once per distinct value."""
    distinct = pd.unique(text.dropna())
    return text.map({v: str(v).lower() for v in distinct})


def uscc_rules(text: pd.Series) -> dict[str, list[str]]:
    """Rule ids per distinct invalid code (valid codes are absent); vectorised fast path."""
    values = pd.unique(text.dropna().astype(str))
    if len(values) == 0:
        return {}
    ok = valid_mask(np.asarray(values, dtype=object))
    return {v: check_uscc(v) for v in values[~ok]}
