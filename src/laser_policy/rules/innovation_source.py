"""十七: 国家原始创新策源地 — a one-off rate of the project's investment, capped per project.

One row per project of kind ``innovation_source``, in the project's year. The
payment is once per project: whatever the ledger already paid for the project
(``ref``), in any year, is deducted.
"""

from __future__ import annotations

from typing import Any

import ibis

from laser_policy.rules.formulas import capped_rate
from laser_policy.rules.ledger import attach_paid_by_ref, conform
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
    rows = eligible.mutate(
        ref=eligible.project_id,
        gross_wan=eligible.investment_wan * p.rate,
        entitled_wan=capped_rate(eligible.investment_wan, p.rate, p.cap_wan),
    )
    r = attach_paid_by_ref(rows, tables["awards"], INCENTIVE, match_year=False)
    return conform(
        r,
        uscc=r.uscc,
        incentive=INCENTIVE,
        year=r.year,
        ref=r.ref,
        item_name=r.name,
        item_kind=r.kind,
        base_kind="investment",
        base_wan=r.investment_wan,
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
