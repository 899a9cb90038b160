"""The kinds of actual a target may declare (``targets.yaml`` ``actual.kind``), and what
each needs. The loader checks a model against these; :mod:`.actuals` computes them.

===========================  ==========================================================
kind                         the actual, by year
===========================  ==========================================================
``sum``                      sum of ``column`` over ``table`` (money in 万元 is shown in
                             亿元 when the target's unit is ``currency-CNY-yi``)
``growth``                   year-on-year growth of the sum of ``column``
``count_at_least``           firms whose ``column`` reaches the target's ``threshold``
``count_since_start``        firms whose date ``column`` falls in the policy period up to
                             the year (cumulative)
``count_qualified``          distinct firms holding a qualification (rows chosen by
                             ``where`` / ``contains``) first recognised up to the year
``share``                    share of the rows with ``among`` true that have ``column`` true
``fewest_per_group``         the fewest rows (chosen by ``where``) of any ``group``
``sum_whole_or_parts``       sum of ``column``: the rows whose ``part`` is empty (the whole,
                             e.g. province-wide) where a year has them, else the parts' sum
``local_supply_rate``        the chain analysis's total local supporting rate (purchases of
                             the region's laser firms from suppliers in its province)
===========================  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    #: keys of the ``actual:`` block the kind needs (besides ``kind``)
    required: tuple[str, ...]
    #: keys it may take
    optional: tuple[str, ...] = ()
    #: the target must give a ``threshold``
    threshold: bool = False
    #: the actual adds up over firms (or is a ratio over them), so it means something for
    #: a city's or one enterprise's firms; otherwise measured for the whole region only
    divisible: bool = True


_FIRMS = ("laser_only", "in_region")
_ROWS = ("where", "contains")

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("sum", ("table", "column"), _FIRMS + _ROWS),
        Kind("growth", ("table", "column"), _FIRMS + _ROWS),
        Kind("count_at_least", ("table", "column"), _FIRMS + _ROWS, threshold=True),
        Kind("count_since_start", ("table", "column"), _FIRMS),
        Kind("count_qualified", ("table",), _FIRMS + _ROWS),
        Kind("share", ("table", "column", "among"), _FIRMS + _ROWS),
        Kind("fewest_per_group", ("table", "group"), _ROWS, divisible=False),
        Kind("sum_whole_or_parts", ("table", "column", "part"), (), divisible=False),
        Kind("local_supply_rate", (), (), divisible=False),
    )
}
