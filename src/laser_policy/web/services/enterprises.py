"""Enterprise search and the enterprise page, within the caller's scope."""

from __future__ import annotations

import math
from collections.abc import Callable
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


FIN_COLUMNS = ("year", "revenue_wan", "laser_revenue_wan", "rd_expense_wan", "invention_patents")


@dataclass(frozen=True)
class FirmIndex:
    """Each enterprise's rows by credit code, built once per snapshot (the route keeps it
    in the app's cache), so one firm's page is dictionary look-ups, not scans of every
    table per request."""

    #: row number in ``data.enterprises`` (the first, when a code repeats)
    position: dict[str, int]
    financials: dict[str, list[dict[str, Any]]]
    qualifications: dict[str, list[dict[str, Any]]]
    #: ``incentives.for_enterprise`` of every firm (None: no engine)
    entitlements: dict[str, list[dict[str, Any]]] | None


def _grouped(frame: pd.DataFrame, rows: Callable[[pd.DataFrame], list[dict[str, Any]]]
             ) -> dict[str, list[dict[str, Any]]]:
    return {str(code): rows(part) for code, part in frame.groupby("uscc", sort=False)}


def firm_index(data: WebData, entitlements: pd.DataFrame | None) -> FirmIndex:
    """The ``FirmIndex`` of a snapshot (and its entitlements table)."""
    codes = data.enterprises["uscc"]
    position = {str(c): i for i, c in reversed(list(enumerate(codes)))}
    fin = data.financials.sort_values("year", kind="stable")
    quals = data.qualifications.sort_values("year", kind="stable")
    by_firm = None
    if entitlements is not None:
        ranked_rows = entitlements.sort_values("year", ascending=False, kind="stable")
        by_firm = {
            str(code): for_enterprise(part, str(code)) or []
            for code, part in ranked_rows.groupby("uscc", sort=False)
        }
    return FirmIndex(
        position,
        _grouped(fin, lambda part: [
            {c: _clean(v) for c, v in zip(FIN_COLUMNS, rec, strict=True)}
            for rec in part[list(FIN_COLUMNS)].itertuples(index=False)
        ]),
        _grouped(quals, lambda part: [
            {"kind": r.kind, "level": r.level, "year": _clean(r.year)}
            for r in part.itertuples(index=False)
        ]),
        by_firm,
    )


def detail(
    data: WebData,
    scope: Scope,
    uscc: str,
    policy: PolicyInfo | None,
    entitlements: pd.DataFrame | None = None,
    index: FirmIndex | None = None,
) -> dict[str, Any]:
    """One enterprise's page; ``NotFoundError`` when absent or outside the scope
    (``index``: ``firm_index(data, entitlements)`` computed earlier)."""
    code = uscc.strip().upper()
    found = index if index is not None else firm_index(data, entitlements)
    row = found.position.get(code)
    if row is None:
        raise NotFoundError(f"企业不存在 / no such enterprise: {code}")
    ent = data.enterprises.iloc[row]
    if not scope.can_see_enterprise(code, str(ent["city"])):
        raise NotFoundError(f"企业不存在 / no such enterprise: {code}")
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
    return {
        "uscc": code,
        "name": str(ent["name"]),
        "city": str(ent["city"]),
        "province": str(ent["province"]),
        "listed_on": str(ent["listed_on"]) or None,
        "is_laser": bool(ent["is_laser"]),
        "synthetic": data.synthetic,
        "financials": found.financials.get(code, []),
        "qualifications": found.qualifications.get(code, []),
        "segments": segments,
        "entitlements": (
            None if found.entitlements is None else found.entitlements.get(code, [])
        ),
    }
