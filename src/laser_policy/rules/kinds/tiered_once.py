"""Kind ``tiered_once``: a one-off reward per tier first reached, with top-up (晋档补差).

Over the whole panel at once. For each enterprise, ordered by year: the tier its base
(a yearly amount, e.g. revenue) reaches, the highest
tier reached so far (a running max, so a dip never re-triggers), and the years
in the policy window where that maximum rises. There the enterprise is due the
new tier's amount minus what is already covered:

- the tier reached before the window, when ``pre_window_crossings`` counts it
  as reached (it pays nothing, later crossings pay the difference above it);
- what the ``awards`` ledger paid the enterprise under this incentive;
- earlier years' entitlements within this computation.

Crossing several tiers in one year pays the highest once.
"""

from __future__ import annotations

from typing import Any

import ibis

from laser_policy.rules.formulas import tier_amount, tier_reached
from laser_policy.rules.kinds.eligibility import eligible_firms, eligible_items
from laser_policy.rules.ledger import conform, paid_per_enterprise
from laser_policy.rules.parameters import IncentiveRule


def tiered_once_amount(tables: dict[str, Any], p: IncentiveRule) -> Any:
    """Rows (RULE_COLUMNS) of the years in which an enterprise reaches a new highest tier.

    One aggregation per enterprise instead of window functions: tiers are nested
    (reaching tier k means reaching every lower one), so the running maximum
    rises exactly in the first year each tier is reached. Per enterprise and
    tier k: that first year ``y_k`` and its revenue; tier k is a rise row when
    it is the highest tier first reached in ``y_k``, the tier before it is the
    number of tiers first reached earlier. Years below every tier are dropped
    first: they cannot raise the maximum (most firm-years, in real data).
    """
    raw = eligible_items(tables[p.table], p)
    fin = raw.select(
        uscc=raw[p.column("enterprise")], year=raw[p.column("year")],
        revenue_wan=raw[p.column("base")],
    )
    fin = eligible_firms(fin, tables["enterprises"], p)
    fin = fin.filter(
        fin.uscc.notnull() & fin.year.notnull() & fin.revenue_wan.notnull()
        & (fin.year <= p.window_end_year)
    )
    tier = tier_reached(fin.revenue_wan, p.thresholds_wan, inclusive=p.threshold_inclusive)
    before = fin.year < p.window_start_year
    counted_before = tier if p.pre_window_crossings == "count_as_reached" else ibis.literal(0)
    t = fin.mutate(eff_tier=ibis.ifelse(before, counted_before, tier).cast("int64"))
    t = t.filter(t.eff_tier >= 1)  # a year below every tier decides nothing
    tiers = range(1, len(p.thresholds_wan) + 1)
    firsts: dict[str, Any] = {}
    for k in tiers:
        hit = t.eff_tier >= k
        firsts[f"y{k}"] = t.year.min(where=hit)
        firsts[f"r{k}"] = t.revenue_wan.argmin(t.year, where=hit)
    per = t.group_by("uscc").aggregate(
        baseline_tier=t.eff_tier.max(where=t.year < p.window_start_year).fill_null(0),
        **firsts,
    )
    rises_by_tier = []
    for k in tiers:
        year = per[f"y{k}"]
        highest = year.notnull() if k == len(tiers) else (
            year.notnull() & (per[f"y{k + 1}"].isnull() | (per[f"y{k + 1}"] > year))
        )
        earlier = [(per[f"y{j}"] < year).cast("int64") for j in range(1, k)]
        prev = sum(earlier[1:], earlier[0]) if earlier else ibis.literal(0, type="int64")
        rises_by_tier.append(
            per.filter(highest & (year >= p.window_start_year)).select(
                uscc=per.uscc,
                year=year,
                revenue_wan=per[f"r{k}"],
                reached=ibis.literal(k, type="int64"),
                prev_reached=prev.cast("int64"),
                baseline_tier=per.baseline_tier.cast("int64"),
            )
        )
    rises = ibis.union(*rises_by_tier) if len(rises_by_tier) > 1 else rises_by_tier[0]

    paid = paid_per_enterprise(tables["awards"], p.id)
    j = rises.left_join(paid, rises.uscc == paid.l_uscc)
    ledger_paid = j.l_paid.fill_null(0.0)
    claim = tier_amount(j.reached, p.amounts_wan)
    baseline = tier_amount(j.baseline_tier, p.amounts_wan)
    previous = tier_amount(j.prev_reached, p.amounts_wan)
    # earlier years of this computation were due what their claim exceeded the cover by
    paid_before = ibis.greatest(previous - baseline - ledger_paid, 0.0)
    due = ibis.greatest(claim - baseline - ledger_paid - paid_before, 0.0)
    return conform(
        j,
        uscc=j.uscc,
        incentive=p.id,
        year=j.year,
        base_kind=p.base_kind,
        base_wan=j.revenue_wan,
        gross_wan=claim,
        total_wan=claim,
        tier=j.reached,
        threshold_wan=tier_amount(j.reached, p.thresholds_wan),
        jumped_tiers=j.reached - j.prev_reached,
        entitled_wan=claim,
        baseline_wan=baseline,
        paid_before_wan=paid_before,
        paid_ledger_wan=ledger_paid,
        due_wan=due,
        province_share=p.province_share,
        clause=p.clause,
    )
