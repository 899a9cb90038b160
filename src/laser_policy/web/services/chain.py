"""产业链 Chain: local supply, weak links, attraction targets and matchmaking
(``laser_policy.chain``) over the current data.

The chain analysis reads the purchase transactions, which the page snapshot does
not hold: a package source is opened directly; the database is exported to a
temporary package first. Everything is computed ONCE per data snapshot
(``ChainView``; the caller caches it), including the matchmaking index.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from laser_policy.policy.region import Region
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData

TOP_TARGETS = 5
MAX_HITS = 20


@dataclass
class ChainView:
    supply: pd.DataFrame  # segment, city, year, purchases_wan, local_wan, local_rate, …
    weak: pd.DataFrame  # rank, segment, name_zh, weak, local_rate, reason_zh, …
    targets: pd.DataFrame  # segment, name_zh, rank, supplier_name, amount_wan, buyers, …
    matcher: Any  # laser_policy.chain.matching.Matcher over offers, or None
    names: dict[str, str]


def _analyse(path: Path, region: Region) -> ChainView:
    from laser_policy.chain.matching import build_matcher
    from laser_policy.chain.source import open_chain_data
    from laser_policy.chain.supply import local_supply
    from laser_policy.chain.targets import attraction_targets, targets_rows
    from laser_policy.chain.taxonomy import by_code
    from laser_policy.chain.weak_links import weak_links

    cd = open_chain_data(path, region=region, need_transactions=False)
    supply = local_supply(cd)
    weak = weak_links(cd)
    codes = weak[weak["weak"]]["segment"].tolist() if len(weak) else []
    targets = (
        targets_rows(attraction_targets(cd, codes, top=TOP_TARGETS)) if codes else (pd.DataFrame())
    )
    matcher = build_matcher(cd, "offers") if len(cd.table("offers")) else None
    names = {code: str(s.name_zh) for code, s in by_code().items()}
    return ChainView(supply, weak, targets, matcher, names)


def analyse(data: WebData, url: str, region: Region) -> ChainView:
    """The chain analysis of the snapshot (package folder/workbook, else the database),
    for the region of the policies in force."""
    source = Path(data.source) if data.source and data.source != "database" else None
    if source is not None and source.exists():
        return _analyse(source, region)
    from laser_policy.store.exporter import export_package

    with tempfile.TemporaryDirectory(prefix="lp-chain-") as tmp:
        out = Path(tmp) / "package"
        export_package(out, url)
        return _analyse(out, region)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def _records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    cols = columns or list(frame.columns)
    return [{k: _clean(r.get(k)) for k in cols} for r in frame.to_dict("records")]


def overview(view: ChainView, scope: Scope) -> dict[str, Any]:
    """Supply by segment (latest year, scope's cities), weak links, attraction targets."""
    supply = view.supply
    if scope.role.value == "city" and len(supply):
        supply = supply[supply["city"] == scope.principal.city]
    years = supply["year"].dropna() if len(supply) else pd.Series(dtype="Int64")
    year = int(years.max()) if len(years) else None
    latest = supply[supply["year"] == year] if year is not None else supply.iloc[0:0]
    by_segment: list[dict[str, Any]] = []
    if len(latest):
        agg = latest.groupby("segment", as_index=False)[["purchases_wan", "local_wan"]].sum()
        agg["local_rate"] = (agg["local_wan"] / agg["purchases_wan"]).where(
            agg["purchases_wan"] > 0
        )
        agg = agg.sort_values("local_rate")
        by_segment = [
            {
                "segment": r["segment"],
                "name_zh": view.names.get(r["segment"], ""),
                "purchases_wan": round(float(r["purchases_wan"]), 2),
                "local_wan": round(float(r["local_wan"]), 2),
                "local_rate": _clean(round(float(r["local_rate"]), 4))
                if pd.notna(r["local_rate"])
                else None,
            }
            for r in agg.to_dict("records")
        ]
    weak_cols = [
        "rank",
        "segment",
        "name_zh",
        "text_strength",
        "weak",
        "purchases_wan",
        "local_rate",
        "buyers",
        "local_suppliers",
        "reason_zh",
    ]
    target_cols = [
        "segment",
        "name_zh",
        "rank",
        "supplier_name",
        "supplier_province",
        "amount_wan",
        "share_of_outside",
        "buyers_count",
        "substitutes",
    ]
    weak = view.weak[[c for c in weak_cols if c in view.weak.columns]]
    targets = (
        view.targets[[c for c in target_cols if c in view.targets.columns]]
        if len(view.targets)
        else view.targets
    )
    from laser_policy.chain.weak_links import WeakLinkRule

    return {
        "year": year,
        "scope": scope.key,
        "supply": by_segment,
        "weak_rate": WeakLinkRule().max_local_rate,
        "weak_links": _records(weak),
        "targets": scope.filter_chain_targets(_records(targets)),
        "matching": view.matcher is not None,
    }


def match(
    view: ChainView, scope: Scope, text: str, segment: str = "", city: str = ""
) -> dict[str, Any]:
    """Offers best matching a demand written in words (BM25 + chain evidence), as the
    scope may see them (``Scope.filter_match_hits``)."""
    from laser_policy.chain.matching import Query
    from laser_policy.errors import InputError, UsageError

    if not text.strip():
        raise InputError("请输入需求描述 / describe the demand")
    if view.matcher is None:
        return {"query": text, "hits": []}
    try:
        hits = view.matcher.search(Query(text, segment or None, city or None), top=MAX_HITS)
    except UsageError as exc:
        raise InputError(str(exc)) from exc
    rows = [_records(pd.DataFrame([h.to_row()]))[0] for h in hits]
    return {"query": text, "hits": scope.filter_match_hits(rows)}
