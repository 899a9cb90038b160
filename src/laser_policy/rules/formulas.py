"""Tiny, pure vector helpers the rules are written with (cf. openfisca ``commons/formulas``).

Each works on a NumPy array and, where the rules need it, on an Ibis column
expression (so the same formula runs on DuckDB and on Spark). None holds a
policy number: thresholds, amounts, rates and caps are arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

V = TypeVar("V")


def _is_ibis(value: object) -> bool:
    try:
        from ibis.expr.types import Value
    except ImportError:  # pragma: no cover - ibis is a hard dependency
        return False
    return isinstance(value, Value)


def tier_reached(values: Any, thresholds: Sequence[float], *, inclusive: bool = True) -> Any:
    """The number of thresholds each value reaches (0 = none), thresholds ascending.

    >>> revenue = np.array([0, 499_999, 500_000, 1_200_000, 2_000_000])
    >>> tier_reached(revenue, [500_000, 1_000_000, 2_000_000])
    array([0, 0, 1, 2, 3])
    >>> tier_reached(np.array([500_000, 500_001]), [500_000, 1_000_000], inclusive=False)
    array([0, 1])
    """
    total: Any = None
    for threshold in thresholds:
        hit = (values >= threshold) if inclusive else (values > threshold)
        step = hit.cast("int64") if _is_ibis(values) else np.asarray(hit, dtype=np.int64)
        total = step if total is None else total + step
    return total


def tier_amount(tiers: Any, amounts: Sequence[float]) -> Any:
    """The reward of each tier (tier 0 earns 0); ``amounts[i]`` belongs to tier ``i + 1``.

    >>> tier_amount(np.array([0, 1, 3, 2]), [200.0, 500.0, 1000.0])
    array([   0.,  200., 1000.,  500.])
    """
    if _is_ibis(tiers):
        import ibis

        cases = [(tiers == i + 1, float(a)) for i, a in enumerate(amounts)]
        return ibis.cases(*cases, else_=0.0)
    lookup = np.concatenate([[0.0], np.asarray(amounts, dtype=np.float64)])
    return lookup[np.asarray(tiers, dtype=np.int64)]


def capped_rate(base: Any, rate: float, cap: float) -> Any:
    """``min(rate × base, cap)``: a rate of a base, never above the cap.

    >>> capped_rate(np.array([0.0, 1000.0, 6666.0, 6667.0, 10000.0]), 0.15, 1000.0)
    array([   0. ,  150. ,  999.9, 1000. , 1000. ])
    """
    if _is_ibis(base):
        import ibis

        return ibis.least(base * rate, cap)
    return np.minimum(np.asarray(base, dtype=np.float64) * rate, cap)


def to_cents(amount_wan: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Round 万元 amounts to whole cents of 万元 (2 decimals), half up, as integers.

    Binary floating point makes ``0.15 × 1234.5`` a hair below ``185.175``; the
    product is first rounded to 6 decimals so the decimal half still rounds up.

    >>> to_cents([185.175, 0.004, 0.005, 200.0])
    array([18518,     0,     1, 20000])
    """
    scaled = np.round(np.asarray(amount_wan, dtype=np.float64) * 100.0, 6)
    return np.floor(scaled + 0.5).astype(np.int64)


def split_cents(
    amount_cents: npt.ArrayLike, province_share: npt.ArrayLike
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Split whole cents between province and city so the two parts add up exactly.

    >>> split_cents([20001, 1000, 333], [0.5, 1.0, 0.5])
    (array([10001,  1000,   167]), array([10000,     0,   166]))
    """
    cents = np.asarray(amount_cents, dtype=np.int64)
    province = to_cents(cents * np.asarray(province_share, dtype=np.float64) / 100.0)
    province = np.minimum(province, cents)
    return province, cents - province


def side_cents(
    total_wan: npt.ArrayLike, developer_share: npt.ArrayLike
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Split a first-set total between developer and user in whole cents that add up.

    The developer's side is rounded (half up); the user gets the rounded total
    less the developer's rounded side, so an odd cent never goes missing or twice.

    >>> side_cents([1000.0, 0.03, 185.175], [0.5, 0.5, 0.5])
    (array([50000,     2,  9259]), array([50000,     1,  9259]))
    """
    total = np.asarray(total_wan, dtype=np.float64)
    developer = to_cents(total * np.asarray(developer_share, dtype=np.float64))
    return developer, to_cents(total) - developer


def cents_to_wan(cents: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Whole cents back to 万元 with 2 decimals.

    >>> cents_to_wan([18518, 0, 20000])
    array([185.18,   0.  , 200.  ])
    """
    return np.asarray(cents, dtype=np.int64) / 100.0
