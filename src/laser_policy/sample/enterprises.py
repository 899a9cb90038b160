"""The enterprise register of the sample: where the firms are and what they make.

Shape of the real thing: Wuhan (光谷) holds about 70 % of the firms; 黄石, 鄂州,
十堰, 襄阳 and 宜昌 are manufacturing bases; a few firms sit elsewhere. Most firms
make equipment (EQP) or lasers (LSR); few make materials (MAT) or key components
(CMP), and the weak segments have only a handful of local firms. A few leading
firms are scripted (loosely modelled on the industry's leaders, names made up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from laser_policy.contracts.cities import HUBEI
from laser_policy.sample.names import company_names, mark
from laser_policy.sample.policy_inputs import PolicyInputs
from laser_policy.sample.uscc import random_codes

FIRST_YEAR = 2019
LAST_YEAR = 2026
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))

#: share of firms by division (normalised below)
CITY_WEIGHTS: dict[str, float] = {
    "武汉市": 70.0, "黄石市": 4.5, "鄂州市": 4.5, "十堰市": 3.0, "襄阳市": 4.5, "宜昌市": 4.0,
    "孝感市": 2.0, "黄冈市": 1.5, "荆门市": 1.2, "荆州市": 1.2, "咸宁市": 1.2, "随州市": 0.8,
    "仙桃市": 0.5, "天门市": 0.4, "潜江市": 0.3, "恩施土家族苗族自治州": 0.3, "神农架林区": 0.1,
}
#: stage mix of firms in Wuhan and elsewhere (elsewhere: mostly equipment makers)
STAGE_MIX: dict[str, dict[str, float]] = {
    "wuhan": {"MAT": 0.03, "CMP": 0.10, "LSR": 0.20, "EQP": 0.45, "APP": 0.22},
    "other": {"MAT": 0.04, "CMP": 0.07, "LSR": 0.09, "EQP": 0.72, "APP": 0.08},
}
#: relative number of local firms per segment by strength; the weak segments the
#: generator picks get ``weak_chosen``
SEGMENT_WEIGHT = {"strong": 3.0, "base": 1.5, "new": 1.5, "weak": 0.8, "weak_chosen": 0.12}
#: share of register entries that are not laser firms (demonstration users of equipment)
NON_LASER_SHARE = 0.02
#: the smallest register the generator can shape (scripted firms + one per segment + a few)
MIN_ENTERPRISES = 60


@dataclass(frozen=True)
class Leader:
    """A scripted leading firm: revenue path in 亿元 from 2019 to 2026."""

    name: str
    city: str
    segments: tuple[str, ...]
    listed_on: str | None
    revenue_yi: tuple[float, ...]
    laser_share: float
    case: str


LEADERS: tuple[Leader, ...] = (
    Leader("楚天光电科技集团股份有限公司", "武汉市", ("EQP-CUT", "EQP-MICRO", "LSR-SPECIAL"),
           "2000-06-08", (55, 62, 101, 120, 135, 152, 183, 212), 0.25,
           "crossed 50亿 and 100亿 before 2024; reaches 200亿 in 2026"),
    Leader("江城光纤激光股份有限公司", "武汉市", ("LSR-FIBER", "MAT-FIBER", "CMP-CHIP"),
           "2018-06-25", (20, 23, 34, 36, 40, 46, 50, 61), 0.9,
           "reaches exactly 50亿 (500000万元) in 2025"),
    Leader("汉江光伏激光装备股份有限公司", "武汉市", ("EQP-MICRO",),
           "2019-05-17", (10, 12, 13, 16, 20, 24, 29, 33), 0.9, "large, no milestone"),
    Leader("鸿飞锂电激光智造股份有限公司", "武汉市", ("EQP-WELD",),
           "2023-07-28", (2.5, 3.2, 4.5, 6.0, 7.1, 8.0, 9.2, 10.6), 0.85, "mid-size, listed 2023"),
    Leader("航天光谷激光科技有限公司", "武汉市", ("LSR-SPECIAL", "EQP-CUT"),
           None, (11, 12, 13, 14, 15, 16, 17.5, 19), 0.75, "large, no milestone"),
    Leader("荆楚激光产业集团股份有限公司", "武汉市", ("EQP-CUT", "EQP-WELD", "LSR-FIBER"),
           "2010-01-15", (25, 28, 33, 38, 42, 47, 112, 128), 0.35,
           "jumps two tiers (50亿 and 100亿) in 2025 after a merger"),
    Leader("襄江激光智能装备股份有限公司", "襄阳市", ("EQP-WELD", "EQP-CUT"),
           "2016-11-09", (22, 26, 31, 38, 46, 52.5, 47.8, 57.2), 0.5,
           "crosses 50亿 in 2024 (paid), dips below in 2025, re-crosses in 2026"),
    Leader("黄石华冶激光精密制造股份有限公司", "黄石市", ("EQP-CUT", "EQP-AM"),
           "2012-04-20", (38, 44, 49.9, 51.3, 55, 58, 66, 74), 0.25,
           "crossed 50亿 in 2022, before the window"),
)
#: one large enterprise that is not a laser firm (a demonstration user); it must never
#: earn a laser-industry reward
NON_LASER_GIANT = Leader("江汉重型汽车零部件有限公司", "十堰市", (), None,
                         (48, 51, 55, 58, 61, 64, 70, 77), 0.0,
                         "not a laser firm: revenue over 50亿 but is_laser false")


@dataclass
class Enterprises:
    frame: pd.DataFrame
    stage: np.ndarray
    primary: np.ndarray
    #: relative size (2019 revenue scale) of the non-scripted firms; NaN for scripted ones
    size: np.ndarray
    founded: np.ndarray
    is_laser: np.ndarray
    n_scripted: int
    new_listings: list[str]
    #: the credit codes as a numpy object array (row order of ``frame``)
    uscc: np.ndarray


def _segment_weights(inputs: PolicyInputs, weak: set[str]
                     ) -> dict[str, tuple[list[str], np.ndarray]]:
    out: dict[str, tuple[list[str], np.ndarray]] = {}
    for stage in ("MAT", "CMP", "LSR", "EQP", "APP"):
        codes = [s.code for s in inputs.segments if s.stage == stage]
        w = np.array([SEGMENT_WEIGHT["weak_chosen" if c in weak else inputs.segment(c).strength]
                      for c in codes])
        out[stage] = (codes, w / w.sum())
    return out


def build_enterprises(
    rng: np.random.Generator, n: int, inputs: PolicyInputs, weak: set[str]
) -> Enterprises:
    """``n`` enterprises: the scripted leaders, one firm per segment, then random firms."""
    scripted = (*LEADERS, NON_LASER_GIANT)
    n_s = len(scripted)
    n_user = max(2, round(n * NON_LASER_SHARE))
    n_free = n - n_s - n_user
    seg_w = _segment_weights(inputs, weak)
    codes_all = [s.code for s in inputs.segments]

    cities_p = np.array(list(CITY_WEIGHTS.values()))
    city_names = np.array(list(CITY_WEIGHTS))
    city = city_names[rng.choice(len(city_names), n_free, p=cities_p / cities_p.sum())]
    stage = np.empty(n_free, dtype=object)
    primary = np.empty(n_free, dtype=object)
    # one firm per segment first, so every segment has at least one local firm
    first = np.array([c.split("-")[0] for c in codes_all], dtype=object)
    stage[: len(codes_all)] = first
    primary[: len(codes_all)] = codes_all
    for where, mix in STAGE_MIX.items():
        idx = np.arange(len(codes_all), n_free)
        idx = idx[(city[idx] == "武汉市") == (where == "wuhan")]
        stages = np.array(list(mix), dtype=object)
        stage[idx] = stages[rng.choice(len(stages), len(idx), p=np.array(list(mix.values())))]
    for st, (seg_codes, p) in seg_w.items():
        idx = np.arange(len(codes_all), n_free)
        idx = idx[stage[idx] == st]
        primary[idx] = np.array(seg_codes, dtype=object)[rng.choice(len(seg_codes), len(idx), p=p)]
    second = np.empty(n_free, dtype=object)
    second[:] = ""
    has_second = rng.random(n_free) < 0.25
    for st, (seg_codes, p) in seg_w.items():
        idx = np.flatnonzero(has_second & (stage == st))
        second[idx] = np.array(seg_codes, dtype=object)[rng.choice(len(seg_codes), len(idx), p=p)]
    segments = [a if not b or b == a else f"{a};{b}"
                for a, b in zip(primary.tolist(), second.tolist(), strict=True)]

    taken: set[str] = set()
    names = [mark(s.name) for s in scripted]
    taken.update(names)
    names += company_names(rng, city.tolist(), stage.tolist(), taken)
    user_city = city_names[rng.choice(len(city_names), n_user, p=cities_p / cities_p.sum())]
    names += company_names(rng, user_city.tolist(), ["USER"] * n_user, taken)

    all_city = [s.city for s in scripted] + city.tolist() + user_city.tolist()
    codes = random_codes(rng, all_city, set())
    size = np.concatenate([np.full(n_s, np.nan), rng.lognormal(0.0, 1.5, n_free),
                           rng.lognormal(0.5, 1.0, n_user)])
    founded = np.concatenate([
        np.full(n_s, FIRST_YEAR),
        np.where(rng.random(n_free) < 0.8, FIRST_YEAR, rng.integers(2020, 2026, n_free)),
        np.full(n_user, FIRST_YEAR),
    ])
    listed: list[str | None] = [s.listed_on for s in scripted] + [None] * (n_free + n_user)
    # the biggest random firms: some listed long ago, three new listings 2024-2026
    order = n_s + np.argsort(-size[n_s: n_s + n_free], kind="stable")
    n_old = max(1, n_free // 60)
    for i in order[:n_old]:
        listed[i] = str(dt.date(int(rng.integers(2010, 2024)), int(rng.integers(1, 13)),
                                int(rng.integers(1, 29))))
    new_idx = order[n_old: n_old + 3]
    for year, i in zip((2024, 2025, 2026), new_idx, strict=True):
        listed[i] = str(dt.date(year, int(rng.integers(1, 7)), int(rng.integers(1, 29))))
        founded[i] = min(founded[i], FIRST_YEAR)

    stage_all = np.array([_leader_stage(s) for s in scripted] + stage.tolist() + ["USER"] * n_user,
                         dtype=object)
    primary_all = np.array([s.segments[0] if s.segments else "" for s in scripted]
                           + primary.tolist() + [""] * n_user, dtype=object)
    is_laser = np.concatenate([[bool(s.segments) for s in scripted],
                               np.ones(n_free, bool), np.zeros(n_user, bool)])
    frame = pd.DataFrame({
        "uscc": codes,
        "name": names,
        "province": HUBEI,
        "city": all_city,
        "segments": [";".join(s.segments) for s in scripted] + segments + [""] * n_user,
        "listed_on": listed,
        "is_laser": is_laser,
    })
    return Enterprises(frame, stage_all, primary_all, size, founded, is_laser, n_s,
                       [codes[i] for i in new_idx], np.array(codes, dtype=object))


def _leader_stage(leader: Leader) -> str:
    return leader.segments[0].split("-")[0] if leader.segments else "USER"
