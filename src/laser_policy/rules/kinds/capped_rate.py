"""Kind ``capped_rate``: a rate of a base per item, capped per item (and per year).

One row per eligible item of the incentive's table (a platform and year, a
project …) in the incentive's years: ``min(rate × base, cap)``, less what the
``awards`` ledger paid for the same enterprise and item (and year, when the
ledger matches per year: a yearly cap; otherwise the payment is once per item).
"""

from __future__ import annotations

from typing import Any

from laser_policy.rules.formulas import capped_rate
from laser_policy.rules.kinds.eligibility import eligible_firms, eligible_items, in_window
from laser_policy.rules.ledger import attach_paid_by_ref, conform_capped
from laser_policy.rules.parameters import IncentiveRule

#: descriptive roles a declaration may give, as the output columns they fill
_DESCRIPTIVE = ("item_name", "item_kind", "level")


def capped_rate_amount(tables: dict[str, Any], p: IncentiveRule) -> Any:
    """Rows (RULE_COLUMNS) per eligible item (and year)."""
    raw = eligible_items(tables[p.table], p)
    roles = {"uscc": "enterprise", "ref": "item", "year": "year", "base_wan": "base"}
    described = {role: column for role in _DESCRIPTIVE if (column := p.column(role)) is not None}
    rows = raw.select(
        **{name: raw[p.column(role)] for name, role in roles.items()},
        **{role: raw[column] for role, column in described.items()},
    )
    rows = rows.filter(rows.ref.notnull() & rows.uscc.notnull() & rows.year.notnull()
                       & rows.base_wan.notnull())
    rows = in_window(eligible_firms(rows, tables["enterprises"], p), p)
    rows = rows.mutate(
        gross_wan=rows.base_wan * p.rate,
        entitled_wan=capped_rate(rows.base_wan, p.rate, p.cap_wan),
    )
    r = attach_paid_by_ref(rows, tables["awards"], p.id, match_year=p.match_year)
    return conform_capped(
        r, p, base_kind=p.base_kind, total_wan=r.entitled_wan,
        **{role: r[role] for role in described},
    )
