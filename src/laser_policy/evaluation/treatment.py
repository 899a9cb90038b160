"""Who was treated, and when: the first year a firm was entitled to, or paid, an incentive.

Two sources, taken together (the earlier year wins):

* the engine's entitlements (:func:`laser_policy.rules.compute_entitlements` on the
  package): money the rules say a firm is due in a year and has not been paid yet;
* the ledger in ``DATA/awards``: money already paid, with the year it was paid for.

The engine subtracts the ledger, so a firm paid in 2024 shows up only in the ledger
and a firm due in 2025 only in the entitlements; neither source alone sees every
supported firm. Treatment is absorbing: once supported, a firm counts as treated in
every later year (the question is what happened *after* the first support).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from laser_policy.contracts.tables import TABLES
from laser_policy.errors import InputError

#: the incentive ids the data contract knows (``awards.incentive``)
INCENTIVES: tuple[str, ...] = tuple(
    canonical for canonical, _ in TABLES["awards"].column("incentive").choices
)

#: tables the rules read to compute entitlements
RULE_TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")


def check_incentive(incentive: str) -> str:
    """``incentive`` if the contract knows it, else a clear error listing the known ids."""
    if incentive not in INCENTIVES:
        raise InputError(
            f"未知的奖补项目「{incentive}」，可选：{'、'.join(INCENTIVES)} / "
            f"unknown incentive {incentive!r}; one of {', '.join(INCENTIVES)}"
        )
    return incentive


def first_support_years(
    tables: Mapping[str, pd.DataFrame],
    incentive: str,
    model: Any = None,
    *,
    entitlements: bool = True,
    due: pd.DataFrame | None = None,
) -> pd.Series:
    """``uscc`` -> first year entitled to or paid ``incentive`` (int), one entry per firm.

    ``entitlements=False`` reads the ledger only (no engine run); ``due`` is the
    entitlements table when already computed (several incentives, one engine run).

    >>> import pandas as pd
    >>> awards = pd.DataFrame({"uscc": ["A", "A", "B"], "incentive": ["first_set"] * 3,
    ...                        "year": [2025, 2024, 2026], "amount_wan": [1.0, 2.0, 3.0]})
    >>> first_support_years({"awards": awards}, "first_set", entitlements=False).to_dict()
    {'A': 2024, 'B': 2026}
    """
    check_incentive(incentive)
    parts: list[pd.DataFrame] = []
    awards = tables.get("awards")
    if awards is not None and len(awards):
        paid = awards.loc[awards["incentive"] == incentive, ["uscc", "year"]]
        parts.append(paid)
    if entitlements:
        if due is None:
            due = entitlements_of(tables, model)
        parts.append(due.loc[due["incentive"] == incentive, ["uscc", "year"]])
    if not parts:
        return pd.Series(dtype="int64", name="cohort")
    both = pd.concat(parts, ignore_index=True).dropna()
    first = both.groupby("uscc")["year"].min().astype("int64")
    first.name = "cohort"
    first.index.name = "uscc"
    return first


def entitlements_of(tables: Mapping[str, pd.DataFrame], model: Any = None) -> pd.DataFrame:
    """The engine's entitlements for the package (every incentive, every year)."""
    from laser_policy.rules import compute_entitlements

    return compute_entitlements(
        {name: tables[name] for name in RULE_TABLES if name in tables}, model, with_steps=False
    )
