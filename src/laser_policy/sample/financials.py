"""Annual indicators 2019-2026: revenue, laser revenue, R&D, patents, size flags.

Revenue is heavy-tailed (lognormal sizes, firm-specific growth). Each year the
non-scripted firms are scaled together so that the industry total (sum of
``laser_revenue_wan``) lands near the policy's trajectory whatever the number of
enterprises, but not exactly on it; no random firm grows past a revenue
milestone, so the milestone cases are exactly the scripted ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.sample.enterprises import LEADERS, NON_LASER_GIANT, YEARS, Enterprises
from laser_policy.sample.policy_inputs import PolicyInputs

YI = 10_000.0  # 万元 per 亿元
#: industry totals (亿元) before the policy's window, shaping the history
HISTORY_YI: dict[int, float] = {2019: 150.0, 2020: 160.0, 2021: 190.0, 2022: 215.0, 2023: 245.0}
#: window years land at target × a factor drawn from these ranges (on, slightly behind, behind)
TARGET_FACTOR = ((0.97, 1.03), (0.92, 0.99), (0.88, 0.96))
#: no random firm's revenue exceeds this share of the lowest milestone
RANDOM_FIRM_CAP_SHARE = 0.6
ABOVE_SCALE_WAN = 2000.0  # 规模以上工业企业：年主营业务收入2000万元及以上


@dataclass
class Financials:
    frame: pd.DataFrame
    industry_target_wan: dict[int, float]
    milestones: list[dict[str, Any]]
    cases: list[dict[str, Any]]


def _year_targets(rng: np.random.Generator, inputs: PolicyInputs) -> dict[int, float]:
    out = {y: round(v * YI * rng.uniform(0.97, 1.03), -2) for y, v in HISTORY_YI.items()}
    for (lo, hi), (year, target) in zip(
        TARGET_FACTOR, sorted(inputs.industry_targets_wan.items()), strict=False
    ):
        out[year] = round(target * rng.uniform(lo, hi), -2)
    return out


def _fill(x: np.ndarray, cap: np.ndarray, total: float) -> np.ndarray:
    """Scale ``x`` to sum ``total`` with no element above ``cap`` (water-filling)."""
    clipped = np.zeros(len(x), bool)
    val = x.copy()
    for _ in range(50):
        free_sum = x[~clipped].sum()
        if free_sum <= 0:
            break
        scale = (total - cap[clipped].sum()) / free_sum
        val = np.where(clipped, cap, x * scale)
        over = (val > cap) & ~clipped
        if not over.any():
            break
        clipped |= over
    out: np.ndarray = np.minimum(val, cap)
    return out


def build_financials(rng: np.random.Generator, ent: Enterprises, inputs: PolicyInputs
                     ) -> Financials:
    n = len(ent.frame)
    ny = len(YEARS)
    targets = _year_targets(rng, inputs)
    scripted = (*LEADERS, NON_LASER_GIANT)
    n_s = ent.n_scripted
    revenue = np.zeros((n, ny))
    laser = np.zeros((n, ny))
    for i, firm in enumerate(scripted):
        revenue[i] = np.array(firm.revenue_yi) * YI
        laser[i] = revenue[i] * firm.laser_share

    # non-scripted firms: lognormal size, firm-specific growth, a common yearly shock
    growth = rng.normal(0.12, 0.12, n) + rng.normal(0.0, 0.04, (ny, 1))
    growth = np.clip(growth, -0.4, 1.0).T
    growth[:, 0] = 0.0
    path = ent.size[:, None] * np.cumprod(1.0 + growth, axis=1)
    active = np.array(YEARS)[None, :] >= ent.founded[:, None]
    first = np.array(YEARS)[None, :] == ent.founded[:, None]
    path = np.where(active, path * np.where(first & (ent.founded[:, None] > YEARS[0]), 0.4, 1.0),
                    0.0)
    share = np.clip(rng.beta(6.0, 1.5, n), 0.2, 1.0)
    free = np.arange(n) >= n_s
    laser_free = free & ent.is_laser
    user_free = free & ~ent.is_laser
    cap_rev = RANDOM_FIRM_CAP_SHARE * inputs.milestone_thresholds_wan[0]
    for j, year in enumerate(YEARS):
        rest = targets[year] - laser[:n_s, j].sum()
        idx = np.flatnonzero(laser_free & active[:, j])
        vals = _fill(path[idx, j] * share[idx], cap_rev * share[idx], rest)
        laser[idx, j] = vals
        revenue[idx, j] = vals / share[idx]
    revenue[user_free] = np.minimum(path[user_free] * 30_000.0, cap_rev)

    revenue = np.round(revenue, 2)
    laser = np.minimum(np.round(laser, 2), revenue)
    rd_ratio = np.clip(rng.lognormal(np.log(0.055), 0.35, n), 0.01, 0.25)
    rd_ratio[~ent.is_laser] = 0.02
    rd = np.round(revenue * rd_ratio[:, None], 2)
    base_patents = np.where(
        ent.is_laser,
        rng.poisson(1.0 + 6.0 * np.sqrt(np.maximum(laser[:, 0], laser.max(axis=1) / 4) / 1000.0)),
        0,
    )
    patent_growth = rng.uniform(0.10, 0.20, n)
    since = np.maximum(np.array(YEARS)[None, :] - ent.founded[:, None], 0)
    patents = np.floor(base_patents[:, None] * (1.0 + patent_growth[:, None]) ** since + 0.5)
    rd_bar = rng.lognormal(np.log(5000.0), 0.8, n)
    has_rd = revenue >= rd_bar[:, None]
    has_rd = np.maximum.accumulate(has_rd & active, axis=1)

    rows = np.nonzero(active)
    frame = pd.DataFrame({
        "uscc": ent.uscc[rows[0]],
        "year": np.array(YEARS)[rows[1]],
        "revenue_wan": revenue[rows],
        "laser_revenue_wan": laser[rows],
        "rd_expense_wan": rd[rows],
        "invention_patents": patents[rows].astype(np.int64),
        "has_rd_institution": has_rd[rows],
        "above_scale": revenue[rows] >= ABOVE_SCALE_WAN,
    })
    milestones = _milestones(ent, revenue, active, inputs)
    cases = [{"uscc": ent.uscc[i], "name": ent.frame["name"].iat[i], "case": firm.case}
             for i, firm in enumerate(scripted)]
    return Financials(frame, targets, milestones, cases)


def _milestones(ent: Enterprises, revenue: np.ndarray, active: np.ndarray,
                inputs: PolicyInputs) -> list[dict[str, Any]]:
    """First year each laser firm's revenue reached each threshold (inclusive), from the data."""
    out: list[dict[str, Any]] = []
    for tier in inputs.milestone_thresholds_wan:
        reached = (revenue >= tier) & active
        for i in np.flatnonzero(reached.any(axis=1) & ent.is_laser):
            out.append({
                "uscc": ent.uscc[i], "name": ent.frame["name"].iat[int(i)], "threshold_wan": tier,
                "first_year": int(YEARS[int(np.argmax(reached[i]))]),
            })
    return out
