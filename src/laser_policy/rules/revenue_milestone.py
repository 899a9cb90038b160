"""十八: the revenue-milestone reward with 晋档补差, over the whole panel at once.

For each enterprise, ordered by year: the tier its revenue reaches, the highest
tier reached so far (a running max, so a dip never re-triggers), and the years
in the policy window where that maximum rises. There the enterprise is due the
new tier's amount minus what is already covered:

- the tier reached before the window, when ``pre_window_crossings`` counts it
  as reached (it pays nothing, later crossings pay the difference above it);
- what the ``awards`` ledger paid under this incentive;
- earlier years' entitlements within this computation.

Crossing several tiers in one year pays the highest once.
"""

from __future__ import annotations

from typing import Any

import ibis

from laser_policy.rules.formulas import tier_amount, tier_reached
from laser_policy.rules.ledger import conform, paid_per_enterprise
from laser_policy.rules.parameters import RevenueMilestoneParameters

INCENTIVE = "revenue_milestone"


def revenue_milestone_amount(tables: dict[str, Any], p: RevenueMilestoneParameters) -> Any:
    """Rows (RULE_COLUMNS) of the years in which an enterprise reaches a new highest tier."""
    fin = tables["financials"]
    fin = fin.filter(
        fin.uscc.notnull() & fin.year.notnull() & fin.revenue_wan.notnull()
        & (fin.year <= p.window_end_year)
    )
    tier = tier_reached(fin.revenue_wan, p.thresholds_wan, inclusive=p.threshold_inclusive)
    before = fin.year < p.window_start_year
    counted_before = tier if p.pre_window_crossings == "count_as_reached" else ibis.literal(0)
    t = fin.mutate(tier=tier, eff_tier=ibis.ifelse(before, counted_before, tier).cast("int64"))

    so_far = ibis.window(group_by=t.uscc, order_by=t.year, preceding=None, following=0)
    t = t.mutate(
        reached=t.eff_tier.max().over(so_far),
        baseline_tier=ibis.ifelse(t.year < p.window_start_year, t.eff_tier, 0)
        .max()
        .over(ibis.window(group_by=t.uscc)),
    )
    ordered = ibis.window(group_by=t.uscc, order_by=t.year)
    t = t.mutate(prev_reached=t.reached.lag().over(ordered).fill_null(0))
    rises = t.filter((t.year >= p.window_start_year) & (t.reached > t.prev_reached))

    paid = paid_per_enterprise(tables["awards"], INCENTIVE)
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
        incentive=INCENTIVE,
        year=j.year,
        base_kind="revenue",
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
