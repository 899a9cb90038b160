"""Fund investments, loan guarantees, attracted firms and related industries' output (合成).

Shapes, not facts: the three funds of 十八 invest in laser firms (bigger firms more
often), each investment for one of the fund's purposes; government-backed guarantors
guarantee loans of the smaller laser firms (a few end in 代偿, a default); firms from
other provinces and abroad settle in Hubei, weak segments a little more often; the
laser-application industries grow towards, but short of, the related-industries target.
Every name ends with （示例）; the ground truth gives the totals the KPIs must find.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.sample.enterprises import CITY_WEIGHTS, YEARS, Enterprises
from laser_policy.sample.financials import Financials
from laser_policy.sample.names import company_names, mark
from laser_policy.sample.policy_inputs import PolicyInputs

FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 912  # to the end of June 2026, as the postings
AS_OF = FIRST_DAY + dt.timedelta(days=DAYS)
#: relative number of investments per fund, in the order of funds.yaml
FUND_WEIGHTS = (0.2, 0.3, 0.5)
GUARANTORS = ("湖北省融资担保集团有限责任公司", "武汉信用融资担保有限公司",
              "湖北中小企业融资担保有限公司", "襄阳市融资担保有限公司")
BANKS = ("汉江银行", "楚天农商银行", "光谷科技银行", "荆楚商业银行")
#: outcome of a guarantee that ended before the sample's last day
ENDED_OUTCOMES = (("结清", 0.93), ("逾期", 0.03), ("代偿", 0.04))
ORIGINS = ("广东省", "江苏省", "上海市", "浙江省", "北京市", "山东省", "德国", "日本", "美国")
#: shares of the related industries' output (in the order the target lists them)
RELATED_SHARES = (0.38, 0.27, 0.2, 0.05, 0.1)
RELATED_2019_SHARE = 0.42  # 2019 output as a share of the target
RELATED_GROWTH = 0.115


@dataclass
class FundTables:
    fund_investments: pd.DataFrame
    guarantees: pd.DataFrame
    attracted_firms: pd.DataFrame
    related_output: pd.DataFrame
    facts: dict[str, Any]


def _day(rng: np.random.Generator, n: int) -> list[dt.date]:
    return [FIRST_DAY + dt.timedelta(days=int(d)) for d in rng.integers(0, DAYS, n)]


def _laser(ent: Enterprises) -> np.ndarray:
    return np.flatnonzero(ent.is_laser)


def investments(rng: np.random.Generator, ent: Enterprises, fin: Financials,
                inputs: PolicyInputs) -> pd.DataFrame:
    laser = _laser(ent)
    last = fin.frame.groupby("uscc", sort=False)["revenue_wan"].max()
    weight = np.sqrt(last.reindex(ent.uscc[laser]).fillna(1.0).to_numpy() + 1.0)
    n = max(12, len(ent.uscc) // 25)
    firms = rng.choice(laser, n, p=weight / weight.sum())
    ids = [f for f, _ in inputs.funds]
    w = np.array(FUND_WEIGHTS[:len(ids)], dtype=float)
    funds = rng.choice(len(ids), n, p=w / w.sum())
    amounts = np.round(np.clip(rng.lognormal(np.log(3000), 0.8, n), 200, 50_000), -1)
    frame = ent.frame
    return pd.DataFrame({
        "investment_id": [f"FI-{i + 1:05d}" for i in range(n)],
        "fund": [ids[int(k)] for k in funds],
        "uscc": ent.uscc[firms],
        "amount_wan": amounts,
        "date": _day(rng, n),
        "purpose": [inputs.fund_purposes[int(k)] for k in
                    rng.integers(0, len(inputs.fund_purposes), n)],
        "city": frame["city"].to_numpy()[firms],
        "segment": ent.primary[firms],
    }).sort_values(["date", "investment_id"], kind="stable").reset_index(drop=True)


def guarantees(rng: np.random.Generator, ent: Enterprises) -> pd.DataFrame:
    small = np.array([i for i in _laser(ent) if i >= ent.n_scripted])
    n = max(20, len(ent.uscc) // 10)
    firms = rng.choice(small, n)
    start = _day(rng, n)
    months = rng.choice([12, 12, 24, 36], n)
    end = [s + dt.timedelta(days=int(m) * 365 // 12) for s, m in zip(start, months, strict=True)]
    labels = [label for label, _ in ENDED_OUTCOMES]
    ended = rng.choice(labels, n, p=np.array([p for _, p in ENDED_OUTCOMES]))
    outcome = [str(o) if e < AS_OF else "正常" for o, e in zip(ended, end, strict=True)]
    return pd.DataFrame({
        "guarantee_id": [f"GU-{i + 1:05d}" for i in range(n)],
        "uscc": ent.uscc[firms],
        "guarantor": [mark(GUARANTORS[int(k)]) for k in rng.integers(0, len(GUARANTORS), n)],
        "bank": [mark(BANKS[int(k)]) for k in rng.integers(0, len(BANKS), n)],
        "amount_wan": np.round(np.clip(rng.lognormal(np.log(500), 0.6, n), 50, 3000), -1),
        "start_date": start,
        "end_date": end,
        "outcome": outcome,
    })


def attracted(rng: np.random.Generator, ent: Enterprises, inputs: PolicyInputs,
              weak: set[str]) -> pd.DataFrame:
    n = max(10, len(ent.uscc) // 50)
    codes = [s.code for s in inputs.segments]
    w = np.array([3.0 if c in weak else 1.0 for c in codes])
    segments = rng.choice(codes, n, p=w / w.sum())
    origins = [ORIGINS[int(k)] for k in rng.integers(0, len(ORIGINS), n)]
    cities = list(CITY_WEIGHTS)
    cw = np.array(list(CITY_WEIGHTS.values()))
    stages = [str(s).split("-", 1)[0] for s in segments]
    names = company_names(rng, [o.removesuffix("省") for o in origins], stages,
                          set(ent.frame["name"]))
    return pd.DataFrame({
        "name": names,
        "uscc": [None] * n,
        "segment": segments,
        "date": _day(rng, n),
        "city": rng.choice(cities, n, p=cw / cw.sum()),
        "origin": origins,
    }).sort_values("date", kind="stable").reset_index(drop=True)


def related(rng: np.random.Generator, inputs: PolicyInputs) -> pd.DataFrame:
    """Province-wide output of each related industry by year (亿元)."""
    if not inputs.related_targets_yi or not inputs.related_industries:
        return pd.DataFrame(columns=["year", "city", "industry", "output_yi"])
    target = max(inputs.related_targets_yi)[1]
    shares = np.array(RELATED_SHARES[:len(inputs.related_industries)], dtype=float)
    shares = shares / shares.sum()
    rows = []
    for k, year in enumerate(YEARS):
        total = target * RELATED_2019_SHARE * (1 + RELATED_GROWTH) ** k
        noise = rng.normal(1.0, 0.03, len(shares))
        for industry, share, e in zip(inputs.related_industries, shares, noise, strict=True):
            rows.append({"year": year, "city": None, "industry": industry,
                         "output_yi": round(float(total * share * e), 1)})
    return pd.DataFrame(rows)


def build_fund_tables(rng: np.random.Generator, ent: Enterprises, fin: Financials,
                      inputs: PolicyInputs, weak: set[str]) -> FundTables:
    inv = investments(rng, ent, fin, inputs)
    gua = guarantees(rng, ent)
    att = attracted(rng, ent, inputs, weak)
    rel = related(rng, inputs)
    by_fund = inv.groupby("fund")["amount_wan"].sum()
    facts = {
        "fund_deployed_wan": {f: round(float(by_fund.get(f, 0.0)), 2) for f, _ in inputs.funds},
        "guarantees": {"count": len(gua), "amount_wan": round(float(gua["amount_wan"].sum()), 2),
                       "defaults": int((gua["outcome"] == "代偿").sum())},
        "attracted_firms": len(att),
        "related_output_yi": {int(str(y)): round(float(v), 1) for y, v in
                              rel.groupby("year")["output_yi"].sum().items()},
    }
    return FundTables(inv, gua, att, rel, facts)
