"""Kind ``capped_rate_shared``: a rate of an item's base, capped for two sides together.

One row per eligible item and side: the developer, and the user when there is
one. The base is the ``base`` column, or ``base_fallback`` where it is missing.
The capped total is split by ``developer_share``; an item with no user gives the
whole total to its developer. The ledger is matched per enterprise and item.
"""

from __future__ import annotations

from typing import Any

import ibis

from laser_policy.rules.formulas import capped_rate
from laser_policy.rules.kinds.eligibility import eligible_firms, eligible_items, in_window
from laser_policy.rules.ledger import attach_paid_by_ref, conform_capped
from laser_policy.rules.parameters import IncentiveRule

_DESCRIPTIVE = ("item_name", "item_kind", "level")


def capped_rate_shared_amount(tables: dict[str, Any], p: IncentiveRule) -> Any:
    """Rows (RULE_COLUMNS) per eligible item and side still due money."""
    raw = eligible_items(tables[p.table], p)
    primary = raw[p.column("base")]
    fallback_column = p.column("base_fallback")
    fallback = raw[fallback_column] if fallback_column else ibis.null("float64")
    user_column = p.column("user")
    described = {role: column for role in _DESCRIPTIVE if (column := p.column(role)) is not None}
    items = raw.select(
        ref=raw[p.column("item")], developer_uscc=raw[p.column("developer")],
        user_uscc=raw[user_column] if user_column else ibis.null("string"),
        year=raw[p.column("year")],
        base_wan=primary.coalesce(fallback),
        base_kind=ibis.ifelse(primary.notnull(), p.base_kind, p.fallback_kind or p.base_kind),
        **{role: raw[column] for role, column in described.items()},
    )
    e = items.filter(items.ref.notnull() & items.developer_uscc.notnull()
                     & items.year.notnull() & items.base_wan.notnull())
    e = in_window(e, p)
    e = e.mutate(
        gross_wan=e.base_wan * p.rate, total_wan=capped_rate(e.base_wan, p.rate, p.cap_wan)
    )
    has_user = e.user_uscc.notnull()
    developer = e.mutate(
        uscc=e.developer_uscc, role=ibis.literal("developer"),
        side_share=ibis.ifelse(has_user, p.developer_share, 1.0),
    )
    user = e.filter(has_user).mutate(
        uscc=e.user_uscc,
        role=ibis.literal("user"),
        side_share=ibis.literal(1.0 - p.developer_share),
    )
    sides = eligible_firms(developer.union(user), tables["enterprises"], p)
    sides = sides.mutate(entitled_wan=sides.total_wan * sides.side_share)
    s = attach_paid_by_ref(sides, tables["awards"], p.id, match_year=False)
    return conform_capped(
        s, p, role=s.role, base_kind=s.base_kind, total_wan=s.total_wan,
        side_share=s.side_share, **{role: s[role] for role in described},
    )
