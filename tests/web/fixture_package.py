"""A small synthetic data package for the web tests (names end with （示例））.

Built from a seed so that tests compute their expectations from the same frames
they wrote, never from literals. Three firms sit near the revenue milestones.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from laser_policy.contracts.cities import HUBEI_DIVISIONS
from laser_policy.contracts.uscc import make_uscc

YEARS = (2023, 2024, 2025)
SEGMENTS = ("LSR-FIBER", "EQP-CUT", "EQP-WELD", "MAT-CRYSTAL", "APP-LIDAR", "CMP-CHIP")
#: revenue (万元) of the three big firms in the last year: above 100亿, near 50亿, above 50亿
BIG_REVENUES = (1_150_000.0, 420_000.0, 560_000.0)


def write_fixture_package(folder: Path, n: int = 60, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    ents, fins, quals = [], [], []
    cities = [c for c in HUBEI_DIVISIONS if c != "神农架林区"]
    for i in range(n):
        uscc = make_uscc(f"914201{i % 100:02d}MA{i:06d}")
        city = "武汉市" if i < n // 3 else cities[i % len(cities)]
        segs = ";".join(rng.sample(SEGMENTS, k=rng.randint(1, 2)))
        ents.append(
            {
                "uscc": uscc,
                "name": f"湖北光谷{i:03d}激光科技有限公司（示例）",
                "province": "湖北省",
                "city": city,
                "segments": segs,
                "listed_on": "2020-06-01" if i % 9 == 0 else "",
                "is_laser": "是",
            }
        )
        last = BIG_REVENUES[i] if i < len(BIG_REVENUES) else rng.uniform(2_000, 200_000)
        for k, year in enumerate(YEARS):
            revenue = round(last * (0.8 + 0.1 * k), 1)
            fins.append(
                {
                    "uscc": uscc,
                    "year": year,
                    "revenue_wan": revenue,
                    "laser_revenue_wan": round(revenue * 0.7, 1),
                    "rd_expense_wan": round(revenue * 0.06, 1),
                    "invention_patents": 5 + i + 3 * k,
                }
            )
        if i % 4 == 0:
            quals.append({"uscc": uscc, "kind": "专精特新小巨人", "level": "国家级", "year": 2024})
    pd.DataFrame(ents).to_csv(folder / "enterprises.csv", index=False)
    pd.DataFrame(fins).to_csv(folder / "financials.csv", index=False)
    pd.DataFrame(quals).to_csv(folder / "qualifications.csv", index=False)
    return folder
