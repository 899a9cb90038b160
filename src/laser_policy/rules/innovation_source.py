"""十七: 国家原始创新策源地 — a one-off rate of the project's investment, capped per project.

One row per project of kind ``innovation_source``, in the project's year. The
payment is once per project: whatever the ledger already paid for the project
(``ref``), in any year, is deducted.
"""

from __future__ import annotations

from typing import Any

from laser_policy.rules.ledger import capped_rate_due
from laser_policy.rules.parameters import InnovationSourceParameters

INCENTIVE = "innovation_source"
PROJECT_KIND = "innovation_source"


def innovation_source_amount(tables: dict[str, Any], p: InnovationSourceParameters) -> Any:
    """Rows (RULE_COLUMNS) per original-innovation project."""
    projects = tables["projects"]
    eligible = projects.filter(
        projects.project_id.notnull() & projects.uscc.notnull() & projects.year.notnull()
        & projects.investment_wan.notnull() & (projects.kind == PROJECT_KIND)
    )
    return capped_rate_due(
        eligible.mutate(ref=eligible.project_id), tables["awards"], incentive=INCENTIVE,
        base="investment_wan", base_kind="investment", rate=p.rate, cap_wan=p.cap_wan,
        province_share=p.province_share, clause=p.clause, match_year=False,
        item_name="name", item_kind="kind",
    )
