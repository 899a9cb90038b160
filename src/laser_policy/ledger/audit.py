"""Ledger changes as records of the store's ``audit_log`` (who, when, before, after).

Entitlement records use ``table_name='entitlements'``, a key holding the ledger
id and the natural key, and an ``action`` of ``compute``, ``review``, ``approve``,
``pay`` or ``reject``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from laser_policy.ledger.models import NATURAL_KEY
from laser_policy.store.models import AUDIT_LOG


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(row: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row, JSON-ready."""
    return {f: _json(row.get(f)) for f in fields}


def entitlement_key(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": int(row["id"]), **{k: row[k] for k in NATURAL_KEY}}


def audit_record(row: Mapping[str, Any], action: str, user: str, at: datetime,
                 before: dict[str, Any] | None, after: dict[str, Any] | None,
                 source_sha256: str | None = None) -> dict[str, Any]:
    return {"batch_id": None, "at": at, "user_name": user, "table_name": "entitlements",
            "key": entitlement_key(row), "action": action, "before": before, "after": after,
            "source_sha256": source_sha256}


def write_audit(conn: Connection, records: Sequence[dict[str, Any]]) -> None:
    if records:
        conn.execute(sa.insert(AUDIT_LOG), list(records))


def entitlement_history(conn: Connection, entitlement_id: int) -> list[dict[str, Any]]:
    """Every audit record of one entitlement, oldest first."""
    rows = conn.execute(
        sa.select(AUDIT_LOG).where(AUDIT_LOG.c.table_name == "entitlements")
        .order_by(AUDIT_LOG.c.id)).mappings().all()
    return [dict(r) for r in rows if int(r["key"]["id"]) == entitlement_id]
