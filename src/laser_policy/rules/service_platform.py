"""十七: recognised public service platforms — a rate of external technical services, capped a year.

One row per platform and year, for platforms recognised at a level in
``service_platform.levels`` (省级以上). The ledger is matched per operator,
platform (``ref``) and year.
"""

from __future__ import annotations

from typing import Any

import ibis

from laser_policy.rules.formulas import capped_rate
from laser_policy.rules.ledger import attach_paid_by_ref, conform
from laser_policy.rules.parameters import ServicePlatformParameters

INCENTIVE = "service_platform"


def service_platform_amount(tables: dict[str, Any], p: ServicePlatformParameters) -> Any:
    """Rows (RULE_COLUMNS) per recognised platform and year."""
    platforms = tables["platforms"]
    eligible = platforms.filter(
        platforms.platform_id.notnull() & platforms.operator_uscc.notnull()
        & platforms.year.notnull() & platforms.external_service_revenue_wan.notnull()
        & platforms.level.isin(list(p.levels))
    )
    rows = eligible.mutate(uscc=eligible.operator_uscc, ref=eligible.platform_id)
    rows = rows.mutate(
        gross_wan=rows.external_service_revenue_wan * p.rate,
        entitled_wan=capped_rate(rows.external_service_revenue_wan, p.rate, p.cap_wan),
    )
    r = attach_paid_by_ref(rows, tables["awards"], INCENTIVE, match_year=True)
    return conform(
        r,
        uscc=r.uscc,
        incentive=INCENTIVE,
        year=r.year,
        ref=r.ref,
        item_name=r.name,
        level=r.level,
        base_kind="external_service_revenue",
        base_wan=r.external_service_revenue_wan,
        rate=p.rate,
        gross_wan=r.gross_wan,
        cap_wan=p.cap_wan,
        capped=r.gross_wan > p.cap_wan,
        total_wan=r.entitled_wan,
        entitled_wan=r.entitled_wan,
        baseline_wan=0.0,
        paid_before_wan=0.0,
        paid_ledger_wan=r.paid_ledger_wan,
        due_wan=ibis.greatest(r.entitled_wan - r.paid_ledger_wan, 0.0),
        province_share=p.province_share,
        clause=p.clause,
    )
