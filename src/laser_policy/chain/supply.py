"""本地配套率 — the local supporting rate of Hubei laser firms' purchases.

One row per chain ``segment``, buyer ``city`` and ``year``:

- ``purchases_wan``: what Hubei laser enterprises (``enterprises.is_laser`` true,
  province 湖北省) bought, in 万元;
- ``local_wan`` / ``local_rate``: bought from suppliers whose province is 湖北省;
- ``same_city_wan`` / ``same_city_rate``: bought from Hubei suppliers in the
  buyer's own city (研发在武汉、制造在市州: how much stays inside each city).

Total rows (a null key means "all"):

==========  ======  ======  ===========================================
segment     city    year    meaning
==========  ======  ======  ===========================================
code        city    Y       detail
code        null    Y       one segment, all buyer cities, year Y
null        city    Y       one buyer city, all segments, year Y
null        null    Y       the province's total for year Y
null        null    null    the grand total over every year
==========  ======  ======  ===========================================

The transactions are aggregated in the engine (one scan, grouped by segment,
buyer city and year); segment spellings are folded to codes and the totals are
rolled up from that small table with the same Ibis code, so DuckDB and Spark
give the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pandas as pd

from laser_policy.chain.source import ChainData, canonical_segment

SUPPLY_COLUMNS = (
    "segment", "city", "year", "purchases_wan", "local_wan", "local_rate",
    "same_city_wan", "same_city_rate",
)
_KEYS = ("segment", "city", "year")
_SUMS = ("purchases_wan", "local_wan", "same_city_wan")
_SCHEMA = {"segment": "string", "city": "string", "year": "int64",
           "purchases_wan": "float64", "local_wan": "float64", "same_city_wan": "float64"}


def supply_detail_expr(data: ChainData, years: Sequence[int] | None = None) -> ir.Table:
    """Purchases, local and same-city amounts by segment, buyer city and year (in the engine)."""
    j = data.buyer_transactions()
    if years:
        j = j.filter(j.year.isin(list(years)))
    return j.group_by(segment=j.segment, city=j.buyer_city, year=j.year).aggregate(
        purchases_wan=j.amount_wan.sum(),
        local_wan=j.amount_wan.sum(where=j.is_local),
        same_city_wan=j.amount_wan.sum(where=j.is_same_city),
    )


def _rollup(detail: ir.Table) -> ir.Table:
    null_s = ibis.null().cast("string")
    null_y = ibis.null().cast("int64")
    sums = {c: detail[c].sum() for c in _SUMS}
    parts = [
        detail.select(*_KEYS, *_SUMS),
        detail.group_by("segment", "year").aggregate(**sums).mutate(city=null_s),
        detail.group_by("city", "year").aggregate(**sums).mutate(segment=null_s),
        detail.group_by("year").aggregate(**sums).mutate(segment=null_s, city=null_s),
        detail.aggregate(**sums).mutate(segment=null_s, city=null_s, year=null_y),
    ]
    union = ibis.union(*[p.select(*_KEYS, *_SUMS) for p in parts])
    return union.mutate(
        local_rate=(union.local_wan / union.purchases_wan.nullif(0.0)),
        same_city_rate=(union.same_city_wan / union.purchases_wan.nullif(0.0)),
    ).select(*SUPPLY_COLUMNS)


def local_supply(data: ChainData, years: Sequence[int] | None = None) -> pd.DataFrame:
    """The local supporting rate table with its total rows (see the module docstring)."""
    detail = data.execute(supply_detail_expr(data, years))
    detail = detail.astype({"purchases_wan": "float64", "local_wan": "float64",
                            "same_city_wan": "float64"})
    for c in _SUMS:
        detail[c] = detail[c].fillna(0.0)
    detail["segment"] = detail["segment"].map(canonical_segment)
    detail = detail.groupby(list(_KEYS), as_index=False, dropna=False)[list(_SUMS)].sum()
    small = ibis.memtable(detail[list(_SCHEMA)], schema=_SCHEMA)
    out = data.execute(_rollup(small))
    out["year"] = out["year"].astype("Int64")
    out = out.sort_values(
        ["year", "segment", "city"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
    return out[list(SUPPLY_COLUMNS)]
