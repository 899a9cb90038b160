"""精准招引 — out-of-province suppliers to attract, per weak segment, and local substitutes.

For each weak segment: the out-of-province suppliers Hubei laser firms buy most
from (name, credit code, province, amount, share of the segment's outside
purchases, number of Hubei buyers and who they are), and the Hubei firms that
could substitute them (firms listing the segment, and Hubei suppliers seen
selling in it, ranked by their sales in the segment).

Suppliers are identified by credit code; a record without one is attached to
the coded supplier with the same normalised name (``names.firm_key``), else
grouped by that name. Aggregation runs in the engine; only per-supplier totals
(a few thousand rows) come back for naming and ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from laser_policy.chain.names import firm_key, normalise_name
from laser_policy.chain.source import (
    ChainData,
    canonical_segment,
    segment_spellings,
)
from laser_policy.chain.taxonomy import by_code

TARGET_ROW_COLUMNS = (
    "segment", "name_zh", "rank", "supplier_name", "supplier_uscc", "supplier_province",
    "amount_wan", "share_of_outside", "buyers_count", "buyers", "substitutes",
)


@dataclass
class Buyer:
    uscc: str
    name: str | None
    city: str | None
    amount_wan: float


@dataclass
class Supplier:
    rank: int
    key: str
    name: str
    uscc: str | None
    province: str | None
    amount_wan: float
    share_of_outside: float | None
    buyers: list[Buyer] = field(default_factory=list)


@dataclass
class Substitute:
    uscc: str | None
    name: str
    city: str | None
    sales_wan: float
    listed: bool


@dataclass
class SegmentTargets:
    segment: str
    name_zh: str | None
    outside_wan: float
    suppliers: list[Supplier]
    substitutes: list[Substitute]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _keys(frame: pd.DataFrame) -> pd.Series:
    """firm_key per row; a name-only record takes the code of a coded record of the same name."""
    named = frame.dropna(subset=["supplier_uscc"])
    by_name: dict[str, set[str]] = {}
    for name, code in zip(named["supplier_name"], named["supplier_uscc"], strict=True):
        by_name.setdefault(normalise_name(str(name or "")), set()).add(str(code))
    out = []
    for name, code in zip(frame["supplier_name"], frame["supplier_uscc"], strict=True):
        if isinstance(code, str) and code:
            out.append(firm_key(name, code))
            continue
        codes = by_name.get(normalise_name(str(name or "")), set())
        out.append(firm_key(name, next(iter(codes))) if len(codes) == 1 else firm_key(name))
    return pd.Series(out, index=frame.index, dtype=object)


def _outside_by_supplier(j: ir.Table, codes: list[str]) -> ir.Table:
    f = j.filter(j.segment.isin(segment_spellings(codes)) & ~j.is_local)
    return f.group_by("segment", "supplier_uscc", "supplier_name", "supplier_province").aggregate(
        amount_wan=f.amount_wan.sum()
    )


def attraction_targets(
    data: ChainData,
    segment_codes: Sequence[str],
    *,
    top: int = 10,
    substitutes: int = 5,
    years: Sequence[int] | None = None,
) -> list[SegmentTargets]:
    """Targets for each of ``segment_codes`` (usually the weak links, in their rank order)."""
    codes = list(dict.fromkeys(segment_codes))
    if not codes:
        return []
    j = data.buyer_transactions()
    if years:
        j = j.filter(j.year.isin(list(years)))
    raw = data.execute(_outside_by_supplier(j, codes))
    raw["segment"] = raw["segment"].map(canonical_segment)
    raw["key"] = _keys(raw) if len(raw) else pd.Series(dtype=object)
    chosen: dict[str, list[Supplier]] = {}
    outside_total: dict[str, float] = {}
    for code in codes:
        part = raw[raw["segment"] == code]
        outside_total[code] = float(part["amount_wan"].sum())
        agg = part.groupby("key", sort=False).agg(amount_wan=("amount_wan", "sum"))
        agg = agg.sort_values("amount_wan", ascending=False, kind="mergesort").head(top)
        suppliers = []
        for rank, (key, amount) in enumerate(agg["amount_wan"].items(), start=1):
            rows = part[part["key"] == key].sort_values("amount_wan", ascending=False)
            coded = rows["supplier_uscc"].dropna()
            suppliers.append(Supplier(
                rank=rank, key=str(key), name=str(rows["supplier_name"].dropna().iloc[0])
                if rows["supplier_name"].notna().any() else str(key),
                uscc=str(coded.iloc[0]) if len(coded) else None,
                province=str(rows["supplier_province"].iloc[0]),
                amount_wan=float(amount),
                share_of_outside=(float(amount) / outside_total[code]
                                  if outside_total[code] else None),
            ))
        chosen[code] = suppliers
    _attach_buyers(data, j, raw, chosen)
    subs = _substitutes(data, codes, substitutes, years)
    known = by_code()
    return [
        SegmentTargets(code, known[code].name_zh if code in known else None,
                       outside_total[code], chosen[code], subs.get(code, []))
        for code in codes
    ]


def _attach_buyers(
    data: ChainData, j: ir.Table, raw: pd.DataFrame, chosen: dict[str, list[Supplier]]
) -> None:
    keys = {s.key for sups in chosen.values() for s in sups}
    if not keys:
        return
    picked = raw[raw["key"].isin(keys)]
    usccs = sorted(set(picked["supplier_uscc"].dropna()))
    names = sorted(set(picked.loc[picked["supplier_uscc"].isna(), "supplier_name"].dropna()))
    f = j.filter(j.segment.isin(segment_spellings(list(chosen))) & ~j.is_local)
    cond = f.supplier_uscc.isin(usccs) if usccs else ibis.literal(False)
    if names:
        cond = cond | (f.supplier_uscc.isnull() & f.supplier_name.isin(names))
    f = f.filter(cond)
    expr = f.group_by("segment", "supplier_uscc", "supplier_name", "buyer_uscc",
                      "buyer_city").aggregate(amount_wan=f.amount_wan.sum())
    rows = data.execute(expr)
    if not len(rows):
        return
    rows["segment"] = rows["segment"].map(canonical_segment)
    rows["key"] = _keys(pd.concat([raw[["supplier_name", "supplier_uscc"]],
                                   rows[["supplier_name", "supplier_uscc"]]]).tail(len(rows))
                        .set_axis(rows.index))
    names_by_uscc = dict(zip(data.enterprises["uscc"], data.enterprises["name"], strict=True))
    for code, sups in chosen.items():
        part = rows[rows["segment"] == code]
        for s in sups:
            mine = part[part["key"] == s.key].groupby(["buyer_uscc"], as_index=False).agg(
                city=("buyer_city", "first"), amount_wan=("amount_wan", "sum"))
            mine = mine.sort_values(["amount_wan", "buyer_uscc"], ascending=[False, True])
            s.buyers = [
                Buyer(str(u), _s(names_by_uscc.get(u)), _s(c), float(a))
                for u, c, a in zip(mine["buyer_uscc"], mine["city"], mine["amount_wan"],
                                   strict=True)
            ]


def _s(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _substitutes(
    data: ChainData, codes: list[str], top: int, years: Sequence[int] | None
) -> dict[str, list[Substitute]]:
    t = data.transactions
    f = t.filter(t.segment.isin(segment_spellings(codes)) & t.supplier_province.isin(
        data.region.province_names))
    if years:
        f = f.filter(f.year.isin(list(years)))
    expr = f.group_by("segment", "supplier_uscc", "supplier_name", "supplier_city").aggregate(
        sales_wan=f.amount_wan.sum())
    sales = data.execute(expr)
    sales["segment"] = sales["segment"].map(canonical_segment)
    sales["key"] = _keys(sales) if len(sales) else pd.Series(dtype=object)
    e = data.enterprises[data.enterprises["province"] == data.region.province]
    out: dict[str, list[Substitute]] = {}
    for code in codes:
        found: dict[str, Substitute] = {}
        for row in e[[code in segs for segs in e["segments"]]].itertuples():
            key = firm_key(row.name, row.uscc)
            found[key] = Substitute(_s(row.uscc), str(row.name), _s(row.city), 0.0, True)
        part = sales[sales["segment"] == code]
        for group_key, grp in part.groupby("key", sort=False):
            key = str(group_key)
            total = float(grp["sales_wan"].sum())
            if key in found:
                found[key].sales_wan = total
            else:
                coded = grp["supplier_uscc"].dropna()
                found[key] = Substitute(
                    str(coded.iloc[0]) if len(coded) else None,
                    str(grp["supplier_name"].dropna().iloc[0]) if grp["supplier_name"].notna().any()
                    else str(key), _s(grp["supplier_city"].iloc[0]), total, False)
        ranked = sorted(found.values(), key=lambda s: (-s.sales_wan, s.name))
        out[code] = ranked[:top]
    return out


def targets_rows(targets: list[SegmentTargets]) -> pd.DataFrame:
    """One row per segment and supplier, buyers and substitutes as text (for csv/table)."""
    rows = []
    for t in targets:
        subs = "；".join(f"{s.name}（{s.sales_wan:.0f}万元）" for s in t.substitutes)
        for s in t.suppliers:
            rows.append({
                "segment": t.segment, "name_zh": t.name_zh, "rank": s.rank,
                "supplier_name": s.name, "supplier_uscc": s.uscc,
                "supplier_province": s.province, "amount_wan": s.amount_wan,
                "share_of_outside": s.share_of_outside, "buyers_count": len(s.buyers),
                "buyers": "；".join(b.name or b.uscc for b in s.buyers),
                "substitutes": subs,
            })
    return pd.DataFrame(rows, columns=list(TARGET_ROW_COLUMNS))
