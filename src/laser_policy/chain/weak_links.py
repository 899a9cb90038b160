"""补短板 — weak links of the chain, ranked, with the evidence for each.

The rule (``WeakLinkRule``, every threshold a named, documented parameter):

    A segment is judged when there is local demand for it: at least ``min_buyers``
    Hubei laser firms buy in it (and, optionally, it holds at least
    ``min_demand_share`` of their purchases). A judged segment is a weak link when
    its local supporting rate is below ``max_local_rate`` or at most
    ``max_local_firms`` Hubei firms serve it (listed in ``enterprises.segments``
    or seen selling in it).
    Segments are ranked: weak links first, then by local supporting rate
    (lowest first), then by number of local firms (fewest first), then by the
    amount bought outside the province (largest first).

Whether the policy text itself names the segment a 短板 (clause 六) is shown
beside the data's verdict, never mixed into it: the point is to check the text
against the data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import pandas as pd

from laser_policy.chain.source import ChainData, canonical_segment
from laser_policy.chain.taxonomy import by_code, clauses_zh, named_weak, segments

WEAK_COLUMNS = (
    "rank", "segment", "name_zh", "stage", "text_strength", "text_names_weak", "weak",
    "purchases_wan", "local_wan", "local_rate", "outside_wan", "outside_share",
    "demand_share", "buyers", "local_firms", "local_suppliers", "reason_zh",
)


@dataclass(frozen=True)
class WeakLinkRule:
    """Thresholds of the weak-link rule (analysis parameters, not policy numbers)."""

    #: local supporting rate below which a segment is weak
    max_local_rate: float = 0.3
    #: a segment is judged only when at least this many Hubei laser firms buy in it
    min_buyers: int = 2
    #: ... and it holds at least this share of their purchases (0: no such condition)
    min_demand_share: float = 0.0
    #: a segment served by at most this many Hubei firms is weak
    max_local_firms: int = 1

    def statement_zh(self) -> str:
        return (
            f"规则：某环节至少有{self.min_buyers}家湖北激光企业采购"
            + (f"且采购额占比不低于{self.min_demand_share:.1%}" if self.min_demand_share else "")
            + f"，且本地配套率低于{self.max_local_rate:.0%}或服务该环节的省内企业不超过"
            f"{self.max_local_firms}家，即判为短板；排序依次按是否短板、本地配套率（低者在前）、"
            "省内企业数（少者在前）、省外采购额（大者在前）。"
        )


def _listed_firms(data: ChainData) -> dict[str, int]:
    e = data.enterprises
    hubei = e[e["province"] == data.region.province]
    counts: dict[str, int] = {}
    for codes in hubei["segments"]:
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return counts


def segment_evidence(data: ChainData, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Per segment (in the engine): purchases, local amount, distinct local suppliers."""
    j = data.buyer_transactions()
    if years:
        j = j.filter(j.year.isin(list(years)))
    supplier = ibis.coalesce(j.supplier_uscc, j.supplier_name)
    expr = j.group_by("segment").aggregate(
        purchases_wan=j.amount_wan.sum(),
        local_wan=j.amount_wan.sum(where=j.is_local),
        local_supplier_keys=supplier.nunique(where=j.is_local),
        buyers=j.buyer_uscc.nunique(),
    )
    ev = data.execute(expr)
    ev["segment"] = ev["segment"].map(canonical_segment)
    # a segment written two ways (code and name) is summed; its distinct counts are the
    # larger of the two, a lower bound
    return ev.groupby("segment", as_index=False).agg(
        purchases_wan=("purchases_wan", "sum"), local_wan=("local_wan", "sum"),
        local_supplier_keys=("local_supplier_keys", "max"), buyers=("buyers", "max"))


def weak_links(
    data: ChainData,
    rule: WeakLinkRule | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Every segment of the taxonomy (and any other seen in the data), ranked by weakness."""
    rule = rule or WeakLinkRule()
    ev = segment_evidence(data, years).set_index("segment")
    listed = _listed_firms(data)
    known = by_code()
    order = [s.code for s in segments()] + sorted(c for c in ev.index if c not in known)
    total = float(ev["purchases_wan"].fillna(0).sum()) if len(ev) else 0.0
    outside_total = (
        float((ev["purchases_wan"].fillna(0) - ev["local_wan"].fillna(0)).sum()) if len(ev) else 0.0
    )
    rows = []
    for code in order:
        seg = known.get(code)
        purchases = _num(ev, code, "purchases_wan")
        local = _num(ev, code, "local_wan")
        suppliers = int(_num(ev, code, "local_supplier_keys"))
        outside = purchases - local
        rate = local / purchases if purchases > 0 else None
        demand_share = purchases / total if total > 0 else 0.0
        firms = max(listed.get(code, 0), suppliers)
        buyers = int(_num(ev, code, "buyers"))
        judged = (purchases > 0 and buyers >= rule.min_buyers
                  and demand_share >= rule.min_demand_share)
        low_rate = rate is not None and rate < rule.max_local_rate
        few = firms <= rule.max_local_firms
        weak = judged and (low_rate or few)
        rows.append({
            "segment": code,
            "name_zh": seg.name_zh if seg else None,
            "stage": seg.stage if seg else code.split("-")[0],
            "text_strength": seg.strength_zh if seg else None,
            "text_names_weak": bool(seg and named_weak(seg)),
            "weak": weak,
            "purchases_wan": purchases,
            "local_wan": local,
            "local_rate": rate,
            "outside_wan": outside,
            "outside_share": outside / outside_total if outside_total > 0 else None,
            "demand_share": demand_share,
            "local_firms": listed.get(code, 0),
            "local_suppliers": suppliers,
            "buyers": buyers,
            "reason_zh": _reason(
                name=seg.name_zh if seg else code, rate=rate, firms=firms, share=demand_share,
                buyers=buyers,
                judged=judged, low_rate=low_rate, few=few, rule=rule,
                named_in=clauses_zh(seg) if seg and named_weak(seg) else None),
        })
    df = pd.DataFrame(rows)
    df["_rate"] = df["local_rate"].fillna(2.0)
    df["_firms"] = df[["local_firms", "local_suppliers"]].max(axis=1)
    df = df.sort_values(
        ["weak", "_rate", "_firms", "outside_wan", "segment"],
        ascending=[False, True, True, False, True], kind="mergesort",
    ).reset_index(drop=True)
    df["rank"] = range(1, len(df) + 1)
    return df[list(WEAK_COLUMNS)]


def _num(frame: pd.DataFrame, code: str, column: str) -> float:
    if code not in frame.index:
        return 0.0
    value = float(frame.loc[code, column])  # type: ignore[arg-type]
    return 0.0 if math.isnan(value) else value


def _reason(
    *, name: str, buyers: int, rate: float | None, firms: int, share: float, judged: bool,
    low_rate: bool, few: bool, named_in: str | None, rule: WeakLinkRule,
) -> str:
    text = f"；政策文本列为短板（第{named_in}条）" if named_in else ""
    if not judged:
        return (f"{name}：{buyers}家湖北激光企业采购，采购额占比{share:.1%}，"
                f"本地需求不足以判断{text}")
    parts = [f"本地配套率{rate:.1%}" if rate is not None else "无本地配套数据",
             f"省内服务企业{firms}家", f"{buyers}家湖北激光企业采购", f"采购额占比{share:.1%}"]
    why = []
    if low_rate:
        why.append(f"本地配套率低于{rule.max_local_rate:.0%}")
    if few:
        why.append(f"省内企业不超过{rule.max_local_firms}家")
    verdict = "判为短板（" + "、".join(why) + "）" if why else "未判为短板"
    return f"{name}：" + "，".join(parts) + f"；{verdict}{text}"
