"""Who is eligible: a declared rule's conditions as Ibis filters (shared by every kind)."""

from __future__ import annotations

from typing import Any

import ibis

from laser_policy.rules.parameters import Condition, IncentiveRule


def _passes(column: Any, c: Condition) -> Any:
    if c.values:
        return column.isin(list(c.values))
    return column == ibis.literal(c.equals)


def _default_passes(c: Condition) -> bool:
    return c.default is not None and (
        c.default in c.values if c.values else c.default == c.equals
    )


def eligible_items(table: Any, rule: IncentiveRule) -> Any:
    """The rows of the incentive's table its item conditions let through."""
    for c in rule.eligible:
        if c.of == "item":
            table = table.filter(_passes(table[c.column], c))
    return table


def eligible_firms(rows: Any, enterprises: Any, rule: IncentiveRule) -> Any:
    """``rows`` (with ``uscc``) of firms the enterprise conditions let through.

    A missing value counts as the contract's default; a firm with no enterprises
    row counts as having every value missing.
    """
    conditions = [c for c in rule.eligible if c.of == "enterprise"]
    if not conditions:
        return rows
    ent = enterprises.filter(enterprises.uscc.notnull())
    ok = ibis.literal(True)
    for c in conditions:
        column = ent[c.column]
        if c.default is not None:
            column = column.fill_null(ibis.literal(c.default))
        ok = ok & _passes(column, c).fill_null(False)
    if all(_default_passes(c) for c in conditions):
        return rows.filter(~rows.uscc.isin(ent.filter(~ok).uscc))
    return rows.filter(rows.uscc.isin(ent.filter(ok).uscc))


def in_window(rows: Any, rule: IncentiveRule) -> Any:
    """Only years the incentive applies to (``window_start_year``..``window_end_year``)."""
    return rows.filter(rows.year.between(rule.window_start_year, rule.window_end_year))
