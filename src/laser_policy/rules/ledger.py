"""What every rule hands back (one schema), and what the ``awards`` ledger already paid.

Each kind returns rows in the :data:`RULE_COLUMNS` schema so the declared
incentives can be stacked into one expression and executed once. ``paid_ledger_wan`` is the money
the ledger shows as paid for the same enterprise, incentive and item; an
award without ``ref`` is taken to cover every item of that enterprise (never
pay twice wins over never pay too little).
"""

from __future__ import annotations

from typing import Any

import ibis

#: the schema each rule returns, in order (Ibis types)
RULE_COLUMNS: dict[str, str] = {
    "uscc": "string",
    "incentive": "string",
    "year": "int64",
    "role": "string",
    "ref": "string",
    "item_name": "string",
    "item_kind": "string",
    "level": "string",
    "base_kind": "string",
    "base_wan": "float64",
    "rate": "float64",
    "gross_wan": "float64",
    "cap_wan": "float64",
    "capped": "boolean",
    "total_wan": "float64",
    "tier": "int64",
    "threshold_wan": "float64",
    "jumped_tiers": "int64",
    "side_share": "float64",
    "entitled_wan": "float64",
    "baseline_wan": "float64",
    "paid_before_wan": "float64",
    "paid_ledger_wan": "float64",
    "due_wan": "float64",
    "province_share": "float64",
    "clause": "string",
}


def conform(table: Any, **columns: Any) -> Any:
    """Select ``columns`` in the :data:`RULE_COLUMNS` order, typed; absent ones are typed nulls."""
    unknown = set(columns) - set(RULE_COLUMNS)
    if unknown:
        raise KeyError(f"not rule columns: {sorted(unknown)}")
    exprs = {}
    for name, kind in RULE_COLUMNS.items():
        value = columns.get(name)
        expr = ibis.null() if value is None else value
        if not isinstance(expr, ibis.Expr):
            expr = ibis.literal(expr)
        exprs[name] = expr.cast(kind)
    return table.select(**exprs)


def conform_capped(r: Any, p: Any, **columns: Any) -> Any:
    """:func:`conform` for a capped rate of a base per item (``r`` has uscc, year, ref,
    base_wan, gross_wan, entitled_wan and paid_ledger_wan; ``p`` the incentive's rate, cap,
    share and clause): the columns such kinds share, plus the kind's own ``columns``."""
    return conform(
        r, uscc=r.uscc, incentive=p.id, year=r.year, ref=r.ref, base_wan=r.base_wan,
        rate=p.rate, gross_wan=r.gross_wan, cap_wan=p.cap_wan, capped=r.gross_wan > p.cap_wan,
        entitled_wan=r.entitled_wan, baseline_wan=0.0, paid_before_wan=0.0,
        paid_ledger_wan=r.paid_ledger_wan,
        due_wan=ibis.greatest(r.entitled_wan - r.paid_ledger_wan, 0.0),
        province_share=p.province_share, clause=p.clause, **columns,
    )


def ledger_of(awards: Any, incentive: str) -> Any:
    """The ledger rows of one incentive."""
    return awards.filter(awards.incentive == incentive)


def paid_per_enterprise(awards: Any, incentive: str) -> Any:
    """``(l_uscc, l_paid)``: everything the ledger paid an enterprise under ``incentive``."""
    ledger = ledger_of(awards, incentive)
    return ledger.group_by(l_uscc=ledger.uscc).aggregate(l_paid=ledger.amount_wan.sum())


def attach_paid_by_ref(rows: Any, awards: Any, incentive: str, *, match_year: bool) -> Any:
    """``rows`` (with ``uscc``, ``ref``, ``year``) plus ``paid_ledger_wan`` from the ledger.

    An award matches a row when uscc and ref are equal (and the year, when
    ``match_year``); an award with no ref matches every row of its enterprise
    (and year).
    """
    ledger = ledger_of(awards, incentive)
    keys = ["uscc", "year"] if match_year else ["uscc"]
    exact = ledger.filter(ledger.ref.notnull())
    exact = exact.group_by(
        e_uscc=exact.uscc, e_ref=exact.ref, e_year=exact.year if match_year else ibis.literal(0)
    ).aggregate(e_paid=exact.amount_wan.sum())
    loose = ledger.filter(ledger.ref.isnull())
    loose = loose.group_by(
        n_uscc=loose.uscc, n_year=loose.year if match_year else ibis.literal(0)
    ).aggregate(n_paid=loose.amount_wan.sum())
    on_exact = [rows.uscc == exact.e_uscc, rows.ref == exact.e_ref]
    on_loose = [rows.uscc == loose.n_uscc]
    if "year" in keys:
        on_exact.append(rows.year == exact.e_year)
        on_loose.append(rows.year == loose.n_year)
    joined = rows.left_join(exact, on_exact).left_join(loose, on_loose)
    paid = joined.e_paid.fill_null(0.0) + joined.n_paid.fill_null(0.0)
    return joined.select(*rows.columns, paid_ledger_wan=paid)
