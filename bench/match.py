"""Benchmark: matchmaking (整零对接) latency over 100,000 offers, and quality.

1. Quality on the sample generator's ground truth: a synthetic sample package is
   written, every demand is matched against its local offers, and the relevant
   offers (same product family, ``_ground_truth.json`` ``matches``) are scored:
   recall@10 (relevant found in the top 10 / min(relevant, 10)), hit@10 and MRR.
2. Latency at scale: ``--offers`` synthetic offers (default 100,000) worded from the
   generator's product vocabulary; ``--queries`` synthetic demands are matched, one
   at a time: index build time, p50/p95/max latency per query, and precision@10
   (share of the top 10 from the demand's product family) with MRR.

    python bench/match.py                       # 100,000 offers
    python bench/match.py --offers 20000 --queries 200

Measured 2026-11-22 on the shared 2-core build machine (load average ~7):

    ground truth, 2,000-enterprise samples (250 demands x 400 offers), seeds 1/2/3:
        recall@10 0.936 / 0.951 / 0.961, hit@10 0.992, MRR 0.988 / 0.992 / 0.983
    100,000 offers, 500 queries: index built in 94 s (jieba + BM25),
        p50 14.4 ms, p95 19.2 ms, max 74.5 ms per query; precision@10 0.997, MRR 0.998
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.chain.matching import Matcher, Query, build_matcher
from laser_policy.chain.source import open_chain_data
from laser_policy.contracts.cities import PACKAGED_REGION as REGION
from laser_policy.sample import GROUND_TRUTH, write_sample
from laser_policy.sample.vocabulary import BUY, FAMILIES, FEATURES, NEED, REASONS, Family

OFFER = ("我司可提供{name}，{spec}，{feature}，适用于{use}。",
         "供应{name}：{spec}；{feature}。可用于{use}等场景。",
         "本公司专业生产{name}，{feature}，{spec}，欢迎{use}领域客户洽谈。")
DEMAND = ("{buy}{name}，{spec}，用于{use}。", "因{reason}，我司{need}{name}，要求{spec}。",
          "寻求{name}供应商：{spec}；应用于{use}。")


def _pick(rng: np.random.Generator, items: tuple[str, ...]) -> str:
    return items[int(rng.integers(0, len(items)))]


def _text(rng: np.random.Generator, fam: Family, templates: tuple[str, ...]) -> str:
    return _pick(rng, templates).format(
        name=_pick(rng, fam.names), spec=_pick(rng, fam.specs), use=_pick(rng, fam.uses),
        feature=_pick(rng, FEATURES), buy=_pick(rng, BUY), need=_pick(rng, NEED),
        reason=_pick(rng, REASONS))


def ground_truth_quality(enterprises: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pkg"
        write_sample(out, enterprises=enterprises, transactions=50_000, seed=seed)
        truth = json.loads((out / GROUND_TRUTH).read_text("utf-8"))
        data = open_chain_data(out, region=REGION)
        matcher = build_matcher(data, "offers")
        demands = data.table("demands").set_index("id")
        recall, hit, rr = [], [], []
        for case in truth["matches"]:
            row = demands.loc[case["demand_id"]]
            ids = [h.id for h in matcher.search(Query(f"{row['title']} {row['text']}"), top=10)]
            relevant = set(case["offer_ids"])
            found = len(relevant & set(ids))
            recall.append(found / min(len(relevant), 10))
            hit.append(1.0 if found else 0.0)
            first = next((i for i, x in enumerate(ids, start=1) if x in relevant), None)
            rr.append(1 / first if first else 0.0)
        return {"demands": len(truth["matches"]), "offers": len(matcher),
                "recall@10": statistics.fmean(recall), "hit@10": statistics.fmean(hit),
                "mrr": statistics.fmean(rr)}


def latency(n_offers: int, n_queries: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    families = [f for fams in FAMILIES.values() for f in fams]
    fam_idx = rng.integers(0, len(families), n_offers)
    cities = ("武汉市", "宜昌市", "襄阳市", "黄石市", "孝感市", "荆州市")
    offers = pd.DataFrame({
        "id": [f"O{i:07d}" for i in range(n_offers)],
        "uscc": [f"U{int(rng.integers(0, n_offers // 5 + 1)):07d}" for _ in range(n_offers)],
        "title": [f"供应{_pick(rng, families[k].names)}" for k in fam_idx],
        "text": [_text(rng, families[k], OFFER) for k in fam_idx],
        "segment": [families[k].segment for k in fam_idx],
        "city": [cities[int(rng.integers(0, len(cities)))] for _ in range(n_offers)],
    })
    t0 = time.perf_counter()
    matcher = Matcher(offers, region=REGION)
    build = time.perf_counter() - t0
    times, precision, rr = [], [], []
    for _ in range(n_queries):
        k = int(rng.integers(0, len(families)))
        q = Query(_text(rng, families[k], DEMAND))
        t = time.perf_counter()
        hits = matcher.search(q, top=10)
        times.append(time.perf_counter() - t)
        good = [offers.iloc[int(h.id[1:])]["segment"] == families[k].segment
                and fam_idx[int(h.id[1:])] == k for h in hits]
        precision.append(sum(good) / 10)
        first = next((i for i, g in enumerate(good, start=1) if g), None)
        rr.append(1 / first if first else 0.0)
    ms = np.array(times) * 1000
    return {"offers": n_offers, "queries": n_queries, "index_build_s": build,
            "p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
            "max_ms": float(ms.max()), "precision@10": statistics.fmean(precision),
            "mrr": statistics.fmean(rr)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--offers", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--enterprises", type=int, default=2000,
                    help="size of the sample package for the ground-truth evaluation")
    ap.add_argument("--seeds", default="1,2,3")
    args = ap.parse_args()
    for seed in (int(s) for s in args.seeds.split(",")):
        q = ground_truth_quality(args.enterprises, seed)
        print(f"ground truth (seed {seed}): {q['demands']} demands x {q['offers']} offers: "
              f"recall@10 {q['recall@10']:.3f}  hit@10 {q['hit@10']:.3f}  MRR {q['mrr']:.3f}",
              flush=True)
    r = latency(args.offers, args.queries, seed=7)
    print(f"latency: {r['offers']:,} offers, {r['queries']} queries: index built in "
          f"{r['index_build_s']:.1f} s; per query p50 {r['p50_ms']:.1f} ms, "
          f"p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms; "
          f"precision@10 {r['precision@10']:.3f}, MRR {r['mrr']:.3f}")


if __name__ == "__main__":
    main()
