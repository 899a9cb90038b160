"""Supply and demand postings (供需对接) in natural Chinese, with their true matches.

A demand's relevant offers are the offers of the same segment and product family.
Every family gets at least one offer, posted by a local firm of that segment, so
every demand has at least one relevant offer; weak segments have few local firms
and therefore few offers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.sample.enterprises import Enterprises
from laser_policy.sample.transactions import PURCHASE_WEIGHT
from laser_policy.sample.vocabulary import BUY, EXTRAS, FAMILIES, FEATURES, NEED, REASONS, Family

DEMAND_TEMPLATES = (
    "{buy}{name}，{spec}，用于{use}。{extra}",
    "因{reason}，我司{need}{name}，要求{spec}，主要用于{use}。{extra}",
    "寻求{name}供应商：{spec}；应用于{use}。{extra}",
    "{reason}项目{need}一批{name}（{spec}），用于{use}。{extra}",
    "现{buy}{name}若干，技术要求：{spec}。用途：{use}。{extra}",
)
DEMAND_TITLES = ("求购{name}", "{name}采购需求", "寻{name}供应商", "{reason}需{name}")
OFFER_TEMPLATES = (
    "我司可提供{name}，{spec}，{feature}，适用于{use}。",
    "供应{name}：{spec}；{feature}。可用于{use}等场景。",
    "本公司专业生产{name}，{feature}，{spec}，欢迎{use}领域客户洽谈。",
    "{name}现货供应，{spec}，{feature}，支持定制，典型应用：{use}。",
    "自主研发的{name}已量产，{spec}，{feature}，可满足{use}需求。",
)
OFFER_TITLES = ("供应{name}", "{name}（可定制）", "{name}产品推介", "自主研发{name}")
POSTED_FROM = dt.date(2024, 1, 1)
POSTED_DAYS = 912  # to the end of June 2026


@dataclass
class Postings:
    demands: pd.DataFrame
    offers: pd.DataFrame
    matches: list[dict[str, Any]]


def _pick(rng: np.random.Generator, items: tuple[str, ...]) -> str:
    return items[int(rng.integers(0, len(items)))]


def _fill(rng: np.random.Generator, fam: Family, templates: tuple[str, ...]) -> str:
    extra = _pick(rng, EXTRAS).format(q=int(rng.integers(2, 60)), w=int(rng.integers(2, 13)))
    return _pick(rng, templates).format(
        buy=_pick(rng, BUY), need=_pick(rng, NEED), reason=_pick(rng, REASONS),
        name=_pick(rng, fam.names), spec=_pick(rng, fam.specs), use=_pick(rng, fam.uses),
        feature=_pick(rng, FEATURES), extra=extra,
    )


def _dates(rng: np.random.Generator, n: int) -> list[str]:
    start = np.datetime64(POSTED_FROM, "D")
    return [str(d) for d in start + rng.integers(0, POSTED_DAYS, n).astype("timedelta64[D]")]


def build_postings(rng: np.random.Generator, ent: Enterprises) -> Postings:
    n = len(ent.frame)
    n_offers = int(np.clip(n // 5, 40, 8000))
    n_demands = int(np.clip(n // 8, 30, 5000))
    families = [f for fams in FAMILIES.values() for f in fams]
    laser = np.flatnonzero(ent.is_laser)
    by_primary = {code: laser[ent.primary[laser] == code] for code in FAMILIES}

    offer_fam: list[Family] = []
    offer_by: list[int] = []
    for fam in families:  # one offer per family first, by a firm of that segment
        firms = by_primary[fam.segment]
        if len(firms) == 0:
            continue
        offer_fam.append(fam)
        offer_by.append(int(firms[int(rng.integers(0, len(firms)))]))
    while len(offer_fam) < n_offers:
        i = int(laser[int(rng.integers(0, len(laser)))])
        fams = FAMILIES.get(str(ent.primary[i]))
        if not fams:
            continue
        offer_fam.append(fams[int(rng.integers(0, len(fams)))])
        offer_by.append(i)
    offered = sorted({f.segment for f in offer_fam})
    offered_keys = {f.key for f in offer_fam}
    weights = np.array([PURCHASE_WEIGHT.get(code, 1.0) for code in offered])
    demand_fam: list[Family] = []
    for s in rng.choice(len(offered), n_demands, p=weights / weights.sum()):
        fams = tuple(f for f in FAMILIES[offered[int(s)]] if f.key in offered_keys)
        demand_fam.append(fams[int(rng.integers(0, len(fams)))])
    demand_by = rng.integers(0, n, n_demands)

    def frame(prefix: str, fams: list[Family], by: list[int] | np.ndarray,
              templates: tuple[str, ...], titles: tuple[str, ...]) -> pd.DataFrame:
        idx = np.asarray(by)
        return pd.DataFrame({
            "id": [f"{prefix}{k + 1:06d}" for k in range(len(fams))],
            "uscc": ent.uscc[idx],
            "title": [_pick(rng, titles).format(name=_pick(rng, f.names),
                                                reason=_pick(rng, REASONS)) for f in fams],
            "text": [_fill(rng, f, templates) for f in fams],
            "segment": [f.segment for f in fams],
            "city": ent.frame["city"].to_numpy()[idx],
            "posted_on": _dates(rng, len(fams)),
        })

    offers = frame("O", offer_fam, offer_by, OFFER_TEMPLATES, OFFER_TITLES)
    demands = frame("D", demand_fam, demand_by, DEMAND_TEMPLATES, DEMAND_TITLES)
    offer_ids: dict[str, list[str]] = {}
    for oid, fam in zip(offers["id"], offer_fam, strict=True):
        offer_ids.setdefault(fam.key, []).append(oid)
    matches = [{"demand_id": did, "family": fam.key, "segment": fam.segment,
                "offer_ids": offer_ids[fam.key]}
               for did, fam in zip(demands["id"], demand_fam, strict=True)]
    return Postings(demands, offers, matches)
