"""十七: recognised public service platforms — a rate of external technical services, capped a year.

One row per platform and year, for platforms recognised at a level in
``service_platform.levels`` (省级以上). The ledger is matched per operator,
platform (``ref``) and year.
"""

from __future__ import annotations

from typing import Any

from laser_policy.rules.ledger import capped_rate_due
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
    return capped_rate_due(
        eligible.mutate(uscc=eligible.operator_uscc, ref=eligible.platform_id),
        tables["awards"], incentive=INCENTIVE, base="external_service_revenue_wan",
        base_kind="external_service_revenue", rate=p.rate, cap_wan=p.cap_wan,
        province_share=p.province_share, clause=p.clause, match_year=True,
        item_name="name", level="level",
    )
