"""Column-wise text tools for the explanations: whole columns formatted and joined at once.

:mod:`laser_policy.rules.explain` writes one sentence per payment due. Building
each sentence with Python f-strings costs about a microsecond per piece; here the
pieces are Arrow string arrays (numbers cast in C, the few distinct values of a
column formatted once and looked up) joined in one pass. Every helper gives, for
every row, exactly what the per-row Python formatting gives for the row as
``DataFrame.to_dict("records")`` hands it over (missing as ``None``, NumPy
scalars as Python ones): where a value is awkward (negative, huge, a decimal
tie, not a number) the helper falls back to that Python formatting.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: one piece of a sentence: the same text on every row, or one text per row
Part: TypeAlias = "str | pa.Array"
Mask: TypeAlias = npt.NDArray[np.bool_]

_PLAIN = frozenset({str, float, int, bool, type(None)})
#: below these, ``value × 10**decimals`` is exact to ~1e-5, so rounding it is safe
_FAST_LIMIT = {2: 1e9, 4: 1e7}
#: how close to a decimal tie (…5) a value may come before Python formats it
_TIE_BAND = 1e-3


class Rows:
    """Some rows of some columns, in a given order; each column is taken when first read.

    Reading a dozen columns of a subset costs far less than taking a whole frame.
    Columns read back as pandas Series (of the column's dtype, index 0..n-1).
    """

    def __init__(self, columns: Mapping[str, pd.Series | npt.NDArray[Any]],
                 rows: npt.NDArray[np.intp]) -> None:
        self._columns = columns
        self._rows = rows
        self._taken: dict[str, pd.Series] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __getitem__(self, name: str) -> pd.Series:
        taken = self._taken.get(name)
        if taken is None:
            values = self._columns[name]
            if isinstance(values, pd.Series) and not isinstance(values.dtype, np.dtype):
                taken = pd.Series(values.array.take(self._rows), name=name, copy=False)
            else:
                array = np.asarray(values)
                taken = pd.Series(array.take(self._rows), name=name, dtype=array.dtype, copy=False)
            self._taken[name] = taken
        return taken

    def select(self, positions: npt.NDArray[np.intp]) -> Rows:
        """These rows at ``positions`` (in that order)."""
        return Rows(self._columns, self._rows[positions])


def native(value: Any) -> Any:
    """A value as ``DataFrame.to_dict`` boxes it: NumPy numbers and booleans as Python ones.

    >>> native(np.float64(0.5)), native(np.int64(3)), native(np.bool_(True)), native("x")
    (0.5, 3, True, 'x')
    """
    if type(value) in _PLAIN:
        return value
    if pd.api.types.is_float(value):
        return float(value)
    if pd.api.types.is_integer(value):
        return int(value)
    if pd.api.types.is_bool(value):
        return bool(value)
    return value


def _codes(series: pd.Series, as_int: bool) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Factorised column: codes, and distinct values as the row dicts hold them, None last."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = [native(u) for u in uniques]
    if as_int:
        values = [int(v) for v in values]
    values.append(None)
    return np.where(codes < 0, len(values) - 1, codes).astype(np.intp), values


def by_values(
    columns: Sequence[pd.Series],
    fmt: Callable[..., str],
    *,
    as_int: Sequence[bool] = (),
    shown: Mask | None = None,
) -> pa.Array:
    """``fmt(*values)`` of every row, called once per distinct combination of values.

    Values are passed as the row dicts hold them (missing as None); ``as_int[i]``
    hands column ``i`` over as ``int`` (engines may return counts as floats).
    Rows outside ``shown`` get nothing (null, which :func:`join` writes as "").

    >>> shares = pd.Series([0.5, 0.5, 1.0, None])
    >>> roles = pd.Series(["user", "developer", "developer", "user"])
    >>> by_values([roles, shares], lambda r, s: f"{r}:{s}").to_pylist()
    ['user:0.5', 'developer:0.5', 'developer:1.0', 'user:None']
    """
    n = len(columns[0])
    factorised = [_codes(s, i < len(as_int) and as_int[i]) for i, s in enumerate(columns)]
    if len(factorised) == 1:
        combination, values = factorised[0]
        texts = [fmt(v) for v in values[:-1]]
        if len(values) - 1 in combination:
            texts.append(fmt(None))
        return _take(texts, combination, shown)
    combined = np.zeros(n, dtype=np.int64)
    for codes, values in factorised:
        combined = pd.factorize(combined * len(values) + codes)[0]
    some_row = np.zeros(int(combined.max()) + 1 if n else 0, dtype=np.intp)
    some_row[combined] = np.arange(n)  # any row of a combination holds its values
    texts = [fmt(*(v[c[row]] for c, v in factorised)) for row in some_row.tolist()]
    return _take(texts, combined, shown)


def _take(texts: list[str], codes: npt.NDArray[Any], shown: Mask | None) -> pa.Array:
    indices = pa.array(codes) if shown is None else pa.array(codes, mask=~shown)
    return pa.array(texts, type=pa.string()).take(indices)


def by_value(series: pd.Series, fmt: Callable[[Any], str], *, as_int: bool = False) -> pa.Array:
    """``fmt`` of every row's value, called once per distinct value (missing passed as None).

    >>> by_value(pd.Series([0.15, None, 0.15]), lambda v: f"<{v}>").to_pylist()
    ['<0.15>', '<None>', '<0.15>']
    """
    return by_values([series], fmt, as_int=[as_int])


def matches(series: pd.Series, test: Callable[[Any], object]) -> Mask:
    """Rows whose value passes ``test`` (called once per distinct value; missing never passes).

    >>> matches(pd.Series([True, None, False, "x", ""], dtype=object), bool).tolist()
    [True, False, False, True, False]
    """
    codes, values = _codes(series, False)
    table = np.array([bool(test(v)) for v in values[:-1]] + [False], dtype=np.bool_)
    return table[codes]


def text(series: pd.Series) -> pa.Array:
    """``f"{value}"`` of every row (a missing value reads ``None``, as an f-string writes it).

    >>> text(pd.Series(["P1", None], dtype="str")).to_pylist()
    ['P1', 'None']
    """
    if isinstance(series.dtype, pd.StringDtype):
        arr = pa.array(series.array, type=pa.string(), from_pandas=True)
        return pc.fill_null(arr, "None")
    return by_value(series, lambda v: f"{v}")


def int_texts(values: npt.NDArray[np.int64]) -> pa.Array:
    """Whole numbers as ``str(int)`` writes them.

    >>> int_texts(np.array([-5, 0, 2025])).to_pylist()
    ['-5', '0', '2025']
    """
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def decimal_texts(
    values: npt.NDArray[np.float64],
    decimals: int,
    fractions: pa.Array,
    fallback: Callable[[float, int], str],
) -> pa.Array:
    """``fallback(value, decimals)`` of every value, computed on whole numbers where it is safe.

    ``fractions[k]`` is how the fallback writes the fraction ``k / 10**decimals``
    after the integer part (``""`` for 0, ``".5"`` for 50 at 2 decimals). Values the
    integer arithmetic could round differently from ``format(value, ".2f")`` (a
    near tie, a negative, a huge or non-finite value) are formatted by ``fallback``.
    """
    v = np.asarray(values, dtype=np.float64)
    scale = 10**decimals
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = v * scale
        ok = np.isfinite(v) & (v >= 0) & (v < _FAST_LIMIT[decimals])
        ok &= np.abs(scaled - np.floor(scaled) - 0.5) > _TIE_BAND
    rounded = np.floor(np.where(ok, scaled, 0.0) + 0.5).astype(np.int64)
    whole, part = np.divmod(rounded, scale)
    out = pc.binary_join_element_wise(int_texts(whole), fractions.take(part), "")
    if not ok.all():
        odd = [fallback(float(x), decimals) for x in v[~ok]]
        out = pc.replace_with_mask(out, pa.array(~ok), pa.array(odd, type=pa.string()))
    return out


def join(parts: Sequence[Part]) -> pa.Array:
    """The parts joined row by row, a null part as "" (at least one part must be an array)."""
    return pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement="")


def python_values(series: pd.Series, *, as_int: bool = False) -> list[Any]:
    """The column as the row dicts hold it: Python values, missing as None.

    >>> python_values(pd.Series([1.5, np.nan])), python_values(pd.Series([3.0]), as_int=True)
    ([1.5, None], [3])
    """
    if isinstance(series.dtype, pd.StringDtype):  # Arrow gives str, and None where missing
        values: list[Any] = pa.array(series, from_pandas=True).to_pylist()
    else:
        missing = series.isna().to_numpy()
        if series.dtype.kind in "fiub":
            values = series.to_numpy().tolist()
        else:
            values = [v if type(v) in _PLAIN else native(v) for v in series.astype(object).tolist()]
        for i in np.flatnonzero(missing).tolist():
            values[i] = None
    if as_int:
        values = [None if v is None else int(v) for v in values]
    return values


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (when building many small lists and dicts)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
