"""Synthetic firm panels with a planted effect, as data-package tables.

Log revenue of firm i in year t (before the ``ln(1+·)`` the evaluation applies, which
``expm1`` undoes exactly)::

    y_it = a_i + (g + s_stage(i)) * (t - first_year) + e_it + effect * supported_it

``a_i`` a firm level, ``e_it`` white noise. Without ``stage_trends`` every firm has the
same trend and support is drawn at random: plain parallel trends. With
``stage_trends`` the trend differs by chain stage (MAT slow, EQP fast) and support goes
mostly to the fast stage: unconditional parallel trends fail — a naive
difference-in-differences credits the support with the stage's faster growth — but
*conditional on the stage* they hold exactly, since within a stage support is drawn
independently of everything else. The evaluation conditions on the stage (its
``C(stage)`` covariate, read from ``enterprises.segments``) and so recovers the effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: a segment code of each chain stage (codes of the packaged taxonomy)
SEGMENT = {"MAT": "MAT-CRYSTAL", "LSR": "LSR-FIBER", "EQP": "EQP-CUT"}
STAGE_SLOPE = {"MAT": 0.0, "LSR": 0.04, "EQP": 0.08}
STAGE_SUPPORT = {"MAT": 0.08, "LSR": 0.25, "EQP": 0.6}
CITIES = ("武汉市", "襄阳市", "宜昌市")


@dataclass(frozen=True)
class Synthetic:
    tables: dict[str, pd.DataFrame]
    #: uscc -> first year of support (also in ``tables["awards"]``)
    cohorts: pd.Series
    effect: float


def panel(
    seed: int,
    *,
    firms: int = 160,
    first_year: int = 2019,
    years: int = 7,
    cohorts: tuple[int, ...] = (2022, 2023, 2024),
    effect: float = 0.1,
    stage_trends: bool = False,
    noise: float = 0.05,
) -> Synthetic:
    rng = np.random.default_rng(seed)
    stages = rng.choice(list(SEGMENT), size=firms)
    level = rng.normal(8.0, 1.0, size=firms)
    slope = 0.05 + np.array([STAGE_SLOPE[s] if stage_trends else 0.0 for s in stages])
    p_support = np.array([STAGE_SUPPORT[s] for s in stages]) if stage_trends \
        else np.full(firms, 0.35)
    supported = rng.random(firms) < p_support
    cohort = np.where(supported, rng.choice(cohorts, size=firms), 0)
    t = np.arange(first_year, first_year + years)
    y = level[:, None] + slope[:, None] * (t - first_year)[None, :]
    y = y + rng.normal(0.0, noise, size=(firms, years))
    after = supported[:, None] & (t[None, :] >= cohort[:, None])
    y = y + effect * after
    uscc = [f"TEST{i:014d}" for i in range(firms)]
    enterprises = pd.DataFrame({
        "uscc": uscc, "name": [f"企业{i}" for i in range(firms)],
        "city": rng.choice(CITIES, size=firms), "segments": [SEGMENT[s] for s in stages],
    })
    revenue = np.expm1(y)
    financials = pd.DataFrame({
        "uscc": np.repeat(uscc, years), "year": np.tile(t, firms),
        "revenue_wan": revenue.ravel(), "laser_revenue_wan": 0.5 * revenue.ravel(),
    })
    first = pd.Series(cohort[supported], index=np.array(uscc)[supported], dtype="int64")
    awards = pd.DataFrame({"uscc": first.index, "incentive": "first_set",
                           "year": first.to_numpy(), "amount_wan": 100.0})
    return Synthetic({"enterprises": enterprises, "financials": financials,
                      "awards": awards}, first, effect)
