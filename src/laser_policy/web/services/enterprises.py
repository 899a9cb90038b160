"""Enterprise search and the enterprise page, within the caller's scope."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from laser_policy.errors import NotFoundError
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData
from laser_policy.web.services.incentives import for_enterprise
from laser_policy.web.services.policy import PolicyInfo

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Search:
    """A search: free text (name or credit code), city, segment code, page."""

    q: str = ""
    city: str = ""
    segment: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def clamp(self) -> Search:
        return Search(
            self.q.strip()[:100],
            self.city.strip()[:50],
            self.segment.strip()[:50],
            max(1, min(self.page, 1_000_000)),
            max(1, min(self.page_size, MAX_PAGE_SIZE)),
        )


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def ranked(data: WebData) -> pd.DataFrame:
    """Every enterprise with its latest-year figures, biggest first (once per snapshot:
    the route keeps it in the app's cache, so a request only filters and slices)."""
    rows = data.enterprises.merge(data.latest, on="uscc", how="left")
    rows = rows.sort_values(["revenue_wan", "uscc"], ascending=[False, True], na_position="last")
    return rows.reset_index(drop=True)


def search(
    data: WebData,
    scope: Scope,
    query: Search,
    *,
    everything: bool = False,
    ranked_rows: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Matching enterprises with their latest-year figures, biggest first
    (``ranked_rows``: ``ranked(data)`` computed earlier)."""
    q = query.clamp()
    ents = scope.filter_enterprises(ranked(data) if ranked_rows is None else ranked_rows)
    if q.q:
        text = q.q.upper()
        ents = ents[ents["name"].str.contains(q.q, regex=False) | ents["uscc"].str.startswith(text)]
    if q.city:
        ents = ents[ents["city"] == q.city]
    if q.segment:
        ents = ents[
            (";" + ents["segments"].str.upper() + ";").str.contains(
                ";" + q.segment.upper() + ";", regex=False
            )
        ]
    rows = ents
    total = len(rows)
    pages = max(1, math.ceil(total / q.page_size))
    if not everything:
        start = (q.page - 1) * q.page_size
        rows = rows.iloc[start : start + q.page_size]
    cols = ["uscc", "name", "city", "segments", "year", "revenue_wan", "laser_revenue_wan"]
    items = [
        {c: _clean(v) for c, v in zip(cols, rec, strict=True)}
        for rec in rows[cols].itertuples(index=False)
    ]
    return {
        "total": total,
        "page": q.page,
        "pages": pages,
        "page_size": q.page_size,
        "query": {"q": q.q, "city": q.city, "segment": q.segment},
        "items": items,
    }


def detail(
    data: WebData,
    scope: Scope,
    uscc: str,
    policy: PolicyInfo | None,
    entitlements: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """One enterprise's page; ``NotFoundError`` when absent or outside the scope."""
    code = uscc.strip().upper()
    match = data.enterprises[data.enterprises["uscc"] == code]
    if match.empty:
        raise NotFoundError(f"企业不存在 / no such enterprise: {code}")
    ent = match.iloc[0]
    if not scope.can_see_enterprise(code, str(ent["city"])):
        raise NotFoundError(f"企业不存在 / no such enterprise: {code}")
    fin = data.financials[data.financials["uscc"] == code].sort_values("year")
    quals = data.qualifications[data.qualifications["uscc"] == code].sort_values("year")
    segments = []
    for seg in (s.strip() for s in str(ent["segments"]).split(";")):
        if not seg:
            continue
        info = policy.segments.get(seg.upper()) if policy else None
        segments.append(
            {
                "code": seg,
                "name": info.name_zh if info else seg,
                "stage": info.stage if info else "",
                "strength": info.strength if info else "",
                "clause": info.clause if info else "",
            }
        )
    fin_cols = ["year", "revenue_wan", "laser_revenue_wan", "rd_expense_wan", "invention_patents"]
    return {
        "uscc": code,
        "name": str(ent["name"]),
        "city": str(ent["city"]),
        "province": str(ent["province"]),
        "listed_on": str(ent["listed_on"]) or None,
        "is_laser": bool(ent["is_laser"]),
        "synthetic": data.synthetic,
        "financials": [
            {c: _clean(v) for c, v in zip(fin_cols, rec, strict=True)}
            for rec in fin[fin_cols].itertuples(index=False)
        ],
        "qualifications": [
            {"kind": r.kind, "level": r.level, "year": _clean(r.year)}
            for r in quals.itertuples(index=False)
        ],
        "segments": segments,
        "entitlements": for_enterprise(entitlements, code),
    }
