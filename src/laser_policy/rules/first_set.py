"""十九: 首台套/首批次 — a rate of the unit price (or R&D cost), capped for both sides together.

One row per product and side: the developer, and the demonstration user when
there is one. The capped total is split by ``developer_share``; a product with
no user gives the whole total to its developer. The ledger is matched per
enterprise and product (``ref``).
"""

from __future__ import annotations

from typing import Any

import ibis

from laser_policy.rules.formulas import capped_rate
from laser_policy.rules.ledger import attach_paid_by_ref, conform
from laser_policy.rules.parameters import FirstSetParameters

INCENTIVE = "first_set"


def first_set_amount(tables: dict[str, Any], p: FirstSetParameters) -> Any:
    """Rows (RULE_COLUMNS) per catalogued product and side still due money."""
    products = tables["products"]
    base = products.unit_price_wan.coalesce(products.rd_cost_wan)
    eligible = products.filter(
        products.product_id.notnull() & products.developer_uscc.notnull()
        & products.year.notnull() & products.catalog_level.isin(list(p.catalog_levels))
        & base.notnull()
    )
    e = eligible.mutate(
        base_wan=eligible.unit_price_wan.coalesce(eligible.rd_cost_wan),
        base_kind=ibis.ifelse(eligible.unit_price_wan.notnull(), "unit_price", "rd_cost"),
    )
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
    sides = developer.union(user)
    sides = sides.mutate(ref=sides.product_id, entitled_wan=sides.total_wan * sides.side_share)
    s = attach_paid_by_ref(sides, tables["awards"], INCENTIVE, match_year=False)
    return conform(
        s,
        uscc=s.uscc,
        incentive=INCENTIVE,
        year=s.year,
        role=s.role,
        ref=s.ref,
        item_name=s.name,
        item_kind=s.catalog,
        level=s.catalog_level,
        base_kind=s.base_kind,
        base_wan=s.base_wan,
        rate=p.rate,
        gross_wan=s.gross_wan,
        cap_wan=p.cap_wan,
        capped=s.gross_wan > p.cap_wan,
        total_wan=s.total_wan,
        side_share=s.side_share,
        entitled_wan=s.entitled_wan,
        baseline_wan=0.0,
        paid_before_wan=0.0,
        paid_ledger_wan=s.paid_ledger_wan,
        due_wan=ibis.greatest(s.entitled_wan - s.paid_ledger_wan, 0.0),
        province_share=p.province_share,
        clause=p.clause,
    )
