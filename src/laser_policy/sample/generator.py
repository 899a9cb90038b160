"""``write_sample``: the whole synthetic package, deterministic for a seed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from laser_policy import __version__
from laser_policy.errors import UsageError
from laser_policy.sample.activities import build_activities
from laser_policy.sample.enterprises import MIN_ENTERPRISES, build_enterprises
from laser_policy.sample.financials import build_financials
from laser_policy.sample.funds import build_fund_tables
from laser_policy.sample.policy_inputs import policy_inputs
from laser_policy.sample.postings import build_postings
from laser_policy.sample.transactions import (
    DEFAULT_CHUNK_ROWS,
    attraction_targets,
    build_pool,
    generate,
)
from laser_policy.sample.writer import Format, PackageWriter

DEFAULT_ENTERPRISES = 2_000
DEFAULT_TRANSACTIONS = 200_000
DEFAULT_SEED = 1
#: how many of the taxonomy's weak segments the generator makes weak locally
N_WEAK = 5


@dataclass(frozen=True)
class SampleResult:
    out: Path
    files: list[str]
    rows: dict[str, int]
    ground_truth: dict[str, Any]


def write_sample(
    out: str | Path,
    *,
    enterprises: int = DEFAULT_ENTERPRISES,
    transactions: int = DEFAULT_TRANSACTIONS,
    seed: int = DEFAULT_SEED,
    fmt: Format = "csv",
    overwrite: bool = False,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> SampleResult:
    """Write a synthetic data package to ``out`` (a folder) and return what was written.

    Nothing is left at ``out`` if generation fails: the package is built in a staging
    folder beside it and renamed into place at the end.
    """
    if enterprises < MIN_ENTERPRISES:
        raise UsageError(f"企业数至少为 {MIN_ENTERPRISES} / --enterprises must be at least "
                         f"{MIN_ENTERPRISES} (got {enterprises})")
    if transactions < 0 or seed < 0 or chunk_rows < 1:
        raise UsageError("交易数、种子须为非负整数 / --transactions and --seed must be >= 0")
    inputs = policy_inputs()
    target = Path(out)
    writer = PackageWriter(target, fmt, overwrite=overwrite)
    try:
        ss = np.random.SeedSequence(seed)
        # a seventh stream for the fund tables: the first six (and their tables) unchanged
        r_ent, r_fin, r_act, r_pool, r_post, r_weak, r_fund = (np.random.default_rng(s)
                                                               for s in ss.spawn(7))
        weak_all = [s.code for s in inputs.segments if s.strength == "weak"]
        weak = set(r_weak.choice(weak_all, min(N_WEAK, len(weak_all)), replace=False).tolist())
        ent = build_enterprises(r_ent, enterprises, inputs, weak)
        fin = build_financials(r_fin, ent, inputs)
        act = build_activities(r_act, ent, fin, inputs)
        posts = build_postings(r_post, ent)
        funds = build_fund_tables(r_fund, ent, fin, inputs, weak)
        tables = {
            "enterprises": ent.frame, "financials": fin.frame,
            "qualifications": act.qualifications, "products": act.products,
            "platforms": act.platforms, "projects": act.projects, "awards": act.awards,
            "demands": posts.demands, "offers": posts.offers,
            "fund_investments": funds.fund_investments, "guarantees": funds.guarantees,
            "attracted_firms": funds.attracted_firms, "related_output": funds.related_output,
        }
        for name, frame in tables.items():
            writer.table(name, frame)
        pool = build_pool(r_pool, ent, inputs, weak)
        sink = writer.transactions_sink(transactions)
        tally = generate(seed, transactions, ent=ent, pool=pool, inputs=inputs, weak=weak,
                         write=sink, chunk_rows=chunk_rows)
        codes = [s.code for s in inputs.segments]
        ordered_weak = [c for c in codes if c in weak]
        laser_rows = fin.frame[fin.frame["uscc"].isin(set(ent.uscc[ent.is_laser]))]
        totals = laser_rows.groupby("year")["laser_revenue_wan"].sum()
        ground_truth: dict[str, Any] = {
            "synthetic": True,
            "seed": seed,
            "generator": f"laser-policy {__version__} sample",
            "policy_inputs": inputs.source,
            "sizes": {"enterprises": enterprises, "transactions": transactions},
            "weak_segments": ordered_weak,
            "attraction_targets": attraction_targets(tally, pool, inputs, weak),
            "local_rate_by_segment": {
                c: (round(float(tally.local_wan[i] / tally.total_wan[i]), 4)
                    if tally.total_wan[i] > 0 else None)
                for i, c in enumerate(codes)
            },
            "matches": posts.matches,
            "industry_laser_revenue_wan": {
                int(y): round(float(v), 2)
                for y, v in zip(totals.index.tolist(), totals.tolist(), strict=True)},
            "industry_target_wan": {int(y): v for y, v in inputs.industry_targets_wan.items()},
            "milestones": fin.milestones,
            "milestone_cases": fin.cases,
            "new_listings": ent.new_listings,
            **act.facts,
            **funds.facts,
        }
        rows = {name: len(frame) for name, frame in tables.items()}
        rows["transactions"] = tally.rows
        command = (f"laser-policy sample OUT --enterprises {enterprises} "
                   f"--transactions {transactions} --seed {seed} --format {fmt}")
        writer.finish(ground_truth, command)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return SampleResult(target, sorted(writer.files), rows, ground_truth)
