"""Purchases by local laser firms, streamed to Parquet in chunks (bounded memory).

Strong segments are bought mostly from Hubei; the weak segments the generator
picks are bought mostly from a few dominant out-of-province suppliers, which the
ground truth names as attraction targets (ranked by amount actually generated).
Rows are never held in Python lists: each chunk is numpy arrays turned into one
Arrow table by ``take`` on small dictionaries, written, and dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from laser_policy.contracts.cities import HUBEI
from laser_policy.sample.enterprises import Enterprises
from laser_policy.sample.names import company_names
from laser_policy.sample.policy_inputs import PolicyInputs
from laser_policy.sample.uscc import random_codes

TRANSACTION_YEARS = (2022, 2023, 2024, 2025, 2026)
#: share of the rows falling in each year (purchases grow with the industry)
YEAR_SHARE = (0.15, 0.17, 0.20, 0.23, 0.25)
#: relative purchase volume (rows) per segment
PURCHASE_WEIGHT: dict[str, float] = {
    "MAT-CRYSTAL": 2.0, "MAT-NLO": 1.5, "MAT-SEMI": 3.0, "MAT-FIBER": 4.0,
    "CMP-MIRROR": 3.0, "CMP-SLM": 1.0, "CMP-HEAD": 6.0, "CMP-CHIP": 8.0,
    "LSR-FIBER": 12.0, "LSR-SEMI": 5.0, "LSR-VISIBLE": 2.0, "LSR-GAS": 3.0, "LSR-SPECIAL": 5.0,
    "EQP-CUT": 9.0, "EQP-WELD": 8.0, "EQP-MARK": 4.0, "EQP-MICRO": 6.0, "EQP-CLEAN": 2.0,
    "EQP-AM": 2.0, "APP-MED": 1.5, "APP-LIDAR": 2.5,
}
#: median purchase (万元) by stage
MEDIAN_AMOUNT = {"MAT": 3.0, "CMP": 5.0, "LSR": 12.0, "EQP": 40.0, "APP": 20.0}
#: share bought from Hubei suppliers, by strength; weak segments improve a little each year
LOCAL_SHARE = {"strong": 0.82, "base": 0.55, "new": 0.6, "weak": 0.4, "weak_chosen": 0.12}
WEAK_TREND_PER_YEAR = 0.015
#: provinces (and their laser cities) the out-of-province suppliers come from
PROVINCES: dict[str, tuple[float, tuple[str, ...]]] = {
    "广东省": (0.30, ("深圳市", "广州市", "东莞市", "佛山市")),
    "江苏省": (0.20, ("苏州市", "南京市", "无锡市")),
    "上海市": (0.12, ("上海市",)),
    "北京市": (0.10, ("北京市",)),
    "浙江省": (0.09, ("杭州市", "宁波市")),
    "山东省": (0.06, ("济南市", "青岛市")),
    "福建省": (0.05, ("福州市",)),
    "四川省": (0.03, ("成都市",)),
    "陕西省": (0.03, ("西安市",)),
    "安徽省": (0.02, ("合肥市",)),
}
ATTRACTION_TOP = 3
DEFAULT_CHUNK_ROWS = 1_000_000

SCHEMA = pa.schema([
    ("buyer_uscc", pa.string()), ("supplier_uscc", pa.string()), ("supplier_name", pa.string()),
    ("supplier_province", pa.string()), ("supplier_city", pa.string()),
    ("segment", pa.string()), ("year", pa.int64()), ("date", pa.date32()),
    ("amount_wan", pa.float64()),
])


@dataclass
class SupplierPool:
    """Every possible supplier: the register's laser firms, then out-of-province firms."""

    uscc: pa.Array
    name: pa.Array
    province: pa.Array
    city: pa.Array
    n_local: int
    #: per segment: local supplier indices and weights, external indices and weights
    local: list[tuple[np.ndarray, np.ndarray]]
    external: list[tuple[np.ndarray, np.ndarray]]


@dataclass
class Tally:
    """Running sums over the generated rows (for the ground truth)."""

    n_segments: int
    n_suppliers: int
    by_supplier: np.ndarray = field(init=False)
    local_wan: np.ndarray = field(init=False)
    total_wan: np.ndarray = field(init=False)
    rows: int = 0

    def __post_init__(self) -> None:
        self.by_supplier = np.zeros(self.n_suppliers * self.n_segments)
        self.local_wan = np.zeros(self.n_segments)
        self.total_wan = np.zeros(self.n_segments)


def build_pool(rng: np.random.Generator, ent: Enterprises, inputs: PolicyInputs,
               weak: set[str]) -> SupplierPool:
    codes = [s.code for s in inputs.segments]
    laser = np.flatnonzero(ent.is_laser)
    seg_sets = [set(str(v).split(";")) for v in ent.frame["segments"].to_numpy()[laser]]
    size = np.nan_to_num(ent.size, nan=50.0)
    local: list[tuple[np.ndarray, np.ndarray]] = []
    for code in codes:
        members = laser[np.array([code in s for s in seg_sets], bool)]
        w = np.sqrt(size[members])
        local.append((members, w / w.sum()))
    provinces = list(PROVINCES)
    prov_p = np.array([PROVINCES[p][0] for p in provinces])
    ext_prov: list[str] = []
    ext_city: list[str] = []
    ext_stage: list[str] = []
    external: list[tuple[np.ndarray, np.ndarray]] = []
    n = len(ent.frame)
    for code in codes:
        k = 14 if code in weak else 8
        start = n + len(ext_prov)
        for _ in range(k):
            prov = provinces[int(rng.choice(len(provinces), p=prov_p / prov_p.sum()))]
            cities = PROVINCES[prov][1]
            ext_prov.append(prov)
            ext_city.append(cities[int(rng.integers(0, len(cities)))])
            ext_stage.append(code.split("-")[0])
        zipf = np.arange(1, k + 1, dtype=float) ** -(1.6 if code in weak else 0.7)
        external.append((np.arange(start, start + k), zipf / zipf.sum()))
    taken = set(ent.frame["name"])
    ext_names = company_names(rng, ext_city, ext_stage, taken)
    ext_codes = random_codes(rng, ext_city, set(ent.frame["uscc"]))
    return SupplierPool(
        uscc=pa.array(ent.frame["uscc"].tolist() + ext_codes, pa.string()),
        name=pa.array(ent.frame["name"].tolist() + ext_names, pa.string()),
        province=pa.array([HUBEI] * n + ext_prov, pa.string()),
        city=pa.array(ent.frame["city"].tolist() + ext_city, pa.string()),
        n_local=n, local=local, external=external,
    )


def _counts(total: int, chunk_rows: int) -> Iterator[tuple[int, int, int]]:
    """(year, chunk number, rows) for ``total`` rows spread over the years."""
    per_year = np.floor(np.array(YEAR_SHARE) * total).astype(int)
    per_year[-1] += total - per_year.sum()
    for year, rows in zip(TRANSACTION_YEARS, per_year.tolist(), strict=True):
        for c, start in enumerate(range(0, rows, chunk_rows)):
            yield year, c, min(chunk_rows, rows - start)


def generate(
    seed: int, total: int, *, ent: Enterprises, pool: SupplierPool, inputs: PolicyInputs,
    weak: set[str], write: Callable[[int, int, pa.Table], None],
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Tally:
    """Generate ``total`` rows chunk by chunk, handing each Arrow table to ``write``."""
    codes = [s.code for s in inputs.segments]
    seg_p = np.array([PURCHASE_WEIGHT.get(c, 1.0) for c in codes])
    seg_p = seg_p / seg_p.sum()
    strength = ["weak_chosen" if c in weak else inputs.segment(c).strength for c in codes]
    base_local = np.array([LOCAL_SHARE[s] for s in strength])
    median = np.array([MEDIAN_AMOUNT.get(c.split("-")[0], 10.0) for c in codes])
    seg_arr = pa.array(codes, pa.string())
    laser = np.flatnonzero(ent.is_laser)
    size = np.sqrt(np.nan_to_num(ent.size, nan=400.0))
    tally = Tally(len(codes), len(pool.uscc))
    jitter = np.random.default_rng([seed, 99]).uniform(-0.05, 0.05, len(codes))
    for year, chunk, rows in _counts(total, chunk_rows):
        rng = np.random.default_rng([seed, year, chunk])
        buyers_ok = laser[ent.founded[laser] <= year]
        bw = size[buyers_ok]
        buyer = buyers_ok[rng.choice(len(buyers_ok), rows, p=bw / bw.sum())]
        seg = rng.choice(len(codes), rows, p=seg_p)
        trend = np.where(np.array(strength) == "weak_chosen",
                         WEAK_TREND_PER_YEAR * (year - TRANSACTION_YEARS[0]), 0.0)
        is_local = rng.random(rows) < (base_local + jitter + trend)[seg]
        supplier = np.empty(rows, np.int64)
        for s in range(len(codes)):
            members, w = pool.local[s]
            here = seg == s
            loc = np.flatnonzero(here & is_local)
            if len(loc):
                pick = rng.choice(len(members), len(loc), p=w)
                chosen = members[pick]
                clash = chosen == buyer[loc]
                if len(members) > 1:
                    chosen[clash] = members[(pick[clash] + 1) % len(members)]
                    clash[:] = False
                supplier[loc] = chosen
                is_local[loc[clash]] = False
            ext = np.flatnonzero(here & ~is_local)
            ext_idx, ew = pool.external[s]
            supplier[ext] = ext_idx[rng.choice(len(ext_idx), len(ext), p=ew)]
        amount = np.round(rng.lognormal(np.log(median[seg]), 1.1), 2)
        amount = np.maximum(amount, 0.01)
        start = np.datetime64(dt.date(year, 1, 1), "D")
        days = 366 if year % 4 == 0 else 365
        date = start + rng.integers(0, days, rows).astype("timedelta64[D]")
        sup = pa.array(supplier)
        table = pa.Table.from_arrays([
            pool.uscc.take(pa.array(buyer)), pool.uscc.take(sup), pool.name.take(sup),
            pool.province.take(sup), pool.city.take(sup), seg_arr.take(pa.array(seg)),
            pa.array(np.full(rows, year, np.int64)), pa.array(date, pa.date32()),
            pa.array(amount, pa.float64()),
        ], schema=SCHEMA)
        write(year, chunk, table)
        tally.rows += rows
        tally.by_supplier += np.bincount(supplier * len(codes) + seg, weights=amount,
                                         minlength=len(tally.by_supplier))
        tally.total_wan += np.bincount(seg, weights=amount, minlength=len(codes))
        tally.local_wan += np.bincount(seg[is_local], weights=amount[is_local],
                                       minlength=len(codes))
    return tally


def attraction_targets(tally: Tally, pool: SupplierPool, inputs: PolicyInputs,
                       weak: set[str]) -> dict[str, list[str]]:
    """Top out-of-province suppliers of each weak segment, by amount generated."""
    codes = [s.code for s in inputs.segments]
    per = tally.by_supplier.reshape(-1, len(codes))
    out: dict[str, list[str]] = {}
    for s, code in enumerate(codes):
        if code not in weak:
            continue
        ext_idx, _ = pool.external[s]
        amounts = per[ext_idx, s]
        ranked = ext_idx[np.argsort(-amounts, kind="stable")][:ATTRACTION_TOP]
        out[code] = [str(pool.name[int(i)]) for i in ranked if per[i, s] > 0]
    return out
