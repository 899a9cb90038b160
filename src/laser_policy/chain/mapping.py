"""The chain map: local firms per segment, their revenue, cities and growth, and the
policy text's verdict (长板/短板/有基础/新板); plus segments proposed for firms that
have none, from keywords in their names and supply postings (offers), for a person
to confirm.

Revenue is ``financials.laser_revenue_wan``; a firm listing several segments
counts in each of them (the column says so), so segment revenues do not add up
to the industry's scale.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd
import yaml

from laser_policy.chain.source import ChainData
from laser_policy.chain.taxonomy import clauses_zh, segments

MAP_COLUMNS = (
    "segment", "name_zh", "stage", "text_strength", "clause", "local_firms", "year",
    "laser_revenue_wan", "previous_revenue_wan", "growth", "cities",
)
PROPOSAL_COLUMNS = ("uscc", "name", "segment", "segment_name_zh", "score", "reason_zh")


@cache
def keywords() -> dict[str, tuple[str, ...]]:
    """Keywords per segment code, longest first: the policy model's ``keywords`` of each
    segment together with the supplementary terms of ``segment_keywords.yaml``."""
    text = resources.files("laser_policy.chain").joinpath("segment_keywords.yaml").read_text(
        encoding="utf-8")
    extra = yaml.safe_load(text) or {}
    out: dict[str, tuple[str, ...]] = {}
    for seg in segments():
        words = dict.fromkeys([*map(str, seg.keywords), *map(str, extra.get(seg.code, []))])
        out[str(seg.code)] = tuple(sorted(words, key=len, reverse=True))
    return out


def keyword_hits(text: str) -> dict[str, list[str]]:
    """Segment code -> the keywords found in ``text`` (a found keyword hides its substrings)."""
    lowered = (text or "").lower()
    found: dict[str, list[str]] = {}
    taken: list[str] = []
    every = sorted(((kw, code) for code, kws in keywords().items() for kw in kws),
                   key=lambda p: len(p[0]), reverse=True)
    for kw, code in every:
        k = kw.lower()
        if k in lowered and not any(k in t for t in taken):
            found.setdefault(code, []).append(kw)
            taken.append(k)
    return found


def infer_segment(text: str) -> str | None:
    """The segment whose keywords best cover ``text`` (longest matched keyword), or None."""
    hits = keyword_hits(text)
    if not hits:
        return None
    return max(hits, key=lambda c: (sum(len(k) for k in hits[c]), -len(c)))


def chain_map(data: ChainData, year: int | None = None) -> pd.DataFrame:
    """One row per segment of the taxonomy: local firms, revenue, growth, cities, text verdict."""
    e = data.enterprises[data.enterprises["province"] == data.region.province]
    fin = data.table("financials")
    revenue: dict[tuple[str, int], float] = {}
    if not fin.empty and {"uscc", "year", "laser_revenue_wan"} <= set(fin.columns):
        f = fin.assign(uscc=fin["uscc"].astype(str).str.strip().str.upper(),
                       year=pd.to_numeric(fin["year"], errors="coerce"),
                       laser_revenue_wan=pd.to_numeric(fin["laser_revenue_wan"], errors="coerce"))
        f = f.dropna(subset=["year"])
        year = year if year is not None else (int(f["year"].max()) if len(f) else None)
        revenue = {(str(u), int(y)): float(v) for u, y, v in
                   zip(f["uscc"], f["year"], f["laser_revenue_wan"].fillna(0), strict=True)}
    rows = []
    for seg in segments():
        firms = e[[seg.code in s for s in e["segments"]]]
        cur = prev = None
        if year is not None:
            cur = sum(revenue.get((u, year), 0.0) for u in firms["uscc"])
            prev = sum(revenue.get((u, year - 1), 0.0) for u in firms["uscc"])
        cities = firms["city"].fillna("未知").value_counts()
        rows.append({
            "segment": seg.code, "name_zh": seg.name_zh, "stage": seg.stage,
            "text_strength": seg.strength_zh, "clause": clauses_zh(seg), "local_firms": len(firms),
            "year": year, "laser_revenue_wan": cur, "previous_revenue_wan": prev,
            "growth": (cur / prev - 1) if cur is not None and prev else None,
            "cities": "；".join(f"{c} {n}" for c, n in cities.items()),
        })
    return pd.DataFrame(rows, columns=list(MAP_COLUMNS))


def propose_segments(data: ChainData) -> pd.DataFrame:
    """Segments proposed for firms without any, from keywords in their name and offers."""
    e = data.enterprises
    todo = e[[not s for s in e["segments"]]]
    texts: dict[str, list[tuple[str, str]]] = {}
    # only what a firm offers says what it makes; its demands say what it buys
    for side, label in (("offers", "供给"),):
        df = data.table(side)
        if df.empty or "uscc" not in df.columns:
            continue
        for u, pid, title, body in zip(df["uscc"].astype(str).str.upper(), df.get("id", ""),
                                       df.get("title", ""), df.get("text", ""), strict=False):
            texts.setdefault(u, []).append((f"{label}{pid}", f"{title} {body}"))
    rows = []
    names = {s.code: s.name_zh for s in segments()}
    for u, name in zip(todo["uscc"], todo["name"], strict=True):
        score: dict[str, float] = {}
        why: dict[str, list[str]] = {}
        for code, kws in keyword_hits(str(name)).items():
            score[code] = score.get(code, 0.0) + 2.0 * len(kws)
            why.setdefault(code, []).append("企业名称含“" + "、".join(kws) + "”")
        for where, text in texts.get(str(u), []):
            for code, kws in keyword_hits(text).items():
                score[code] = score.get(code, 0.0) + len(kws)
                why.setdefault(code, []).append(f"{where}含“" + "、".join(kws) + "”")
        for code in sorted(score, key=lambda c: -score[c])[:2]:
            rows.append({"uscc": u, "name": name, "segment": code,
                         "segment_name_zh": names.get(code), "score": score[code],
                         "reason_zh": "；".join(why[code]) + "（待人工确认）"})
    return pd.DataFrame(rows, columns=list(PROPOSAL_COLUMNS))
