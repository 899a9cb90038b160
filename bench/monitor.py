"""Benchmark: all KPIs, forecasts and the gap breakdown for N enterprises x 8 years.

Compares ``laser_policy.monitoring`` (vectorised group-bys) with a straightforward
pandas baseline that walks the enterprises one by one, in the same run, checks
that both give the same actuals, and prints time, peak memory and the ratio.

    python bench/monitor.py                 # 100,000 enterprises (synthetic sample)
    python bench/monitor.py --enterprises 10000
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from laser_policy.io import read_package
from laser_policy.monitoring.breakdown import breakdown
from laser_policy.monitoring.kpis import monitor
from laser_policy.policy.model import load_policy
from laser_policy.sample import write_sample

WAN_PER_YI = 10_000


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Time a run, then trace a second run for its peak Python memory (tracing slows it)."""
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak / 2**20


def baseline(fin: pd.DataFrame, ent: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Per-enterprise loop: the way a spreadsheet macro would do it."""
    laser = set(ent.loc[ent["is_laser"].fillna(True).astype(bool), "uscc"])
    scale: dict[int, float] = defaultdict(float)
    over50: dict[int, float] = defaultdict(float)
    for uscc, rows in fin.groupby("uscc"):
        for row in rows.itertuples():
            if uscc in laser:
                scale[int(row.year)] += float(row.laser_revenue_wan) / WAN_PER_YI
            if row.revenue_wan >= 50 * WAN_PER_YI:
                over50[int(row.year)] += 1
    return {"industry_scale": dict(scale), "firms_revenue_over_50yi": dict(over50)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    model = load_policy()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pkg"
        t0 = time.perf_counter()
        write_sample(out, enterprises=args.enterprises, transactions=1000, seed=args.seed)
        print(f"sample: {args.enterprises:,} enterprises x 8 years in "
              f"{time.perf_counter() - t0:.1f} s (synthetic)")
        pkg = read_package(out, tables=["enterprises", "financials", "qualifications",
                                        "projects"])
        fin, ent = pkg.get("financials"), pkg.get("enterprises")

        def ours() -> pd.DataFrame:
            rows = monitor(pkg, model, year=2024)
            breakdown(pkg, 2024, 280.0)
            return rows

        rows, t_ours, m_ours = measure(ours)
        base, t_base, m_base = measure(lambda: baseline(fin, ent))
    for kpi, values in base.items():
        got = rows[rows["kpi"] == kpi].set_index("year")["actual"].dropna()
        for year, v in values.items():
            if year <= 2024:
                assert abs(got[year] - v) <= 1e-6 * max(1.0, abs(v)), (kpi, year, got[year], v)
    print(f"laser-policy monitor (all KPIs, forecasts, breakdown): {t_ours:8.2f} s, "
          f"peak {m_ours:7.1f} MiB")
    print(f"pandas per-enterprise baseline (2 KPIs only):          {t_base:8.2f} s, "
          f"peak {m_base:7.1f} MiB")
    print(f"ratio baseline/ours: {t_base / t_ours:.1f}x faster (same actuals checked)")


if __name__ == "__main__":
    main()
