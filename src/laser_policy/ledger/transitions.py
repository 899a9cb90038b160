"""Status changes: computed → reviewed → approved → paid, or → rejected with a reason.

Each call moves a set of entitlements in ONE transaction, all or nothing: if any
of them is missing, in the wrong status, or breaks a rule, nothing changes and a
:class:`LedgerError` names every offender. Rules: the approver must not be the
reviewer; a rejection needs a reason; paying inserts a ``payments`` row whose
UNIQUE natural key makes the database refuse a second payment even when two
clerks press "paid" at the same moment. Rows are locked (``FOR UPDATE`` on
PostgreSQL; on SQLite ``make_engine(write=True)`` takes the write lock at
``BEGIN IMMEDIATE``) so a concurrent change is seen, not overwritten. Every
change is an audit record (before, after).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from laser_policy.errors import LedgerError, NotFoundError
from laser_policy.ledger.audit import audit_record, snapshot, write_audit
from laser_policy.ledger.models import ENTITLEMENTS, NATURAL_KEY, PAYMENTS, require_ledger
from laser_policy.store.db import make_engine


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple[str, ...]
    target: str
    who: str  # the column prefix: reviewed / approved / paid / rejected
    zh: str


MOVES: dict[str, Move] = {
    "review": Move("review", ("computed",), "reviewed", "reviewed", "审核"),
    "approve": Move("approve", ("reviewed",), "approved", "approved", "批准"),
    "pay": Move("pay", ("approved",), "paid", "paid", "支付"),
    "reject": Move("reject", ("computed", "reviewed", "approved"), "rejected", "rejected",
                   "驳回"),
}
STATUS_ZH = {"computed": "已计算", "reviewed": "已审核", "approved": "已批准", "paid": "已支付",
             "rejected": "已驳回"}


def _problems(rows: Sequence[dict[str, Any]], move: Move, user: str,
              reason: str | None) -> list[str]:
    out = []
    if move.action == "reject" and not (reason and reason.strip()):
        out.append("驳回须填写理由 / a rejection needs a reason (--reason)")
    for r in rows:
        if r["status"] not in move.sources:
            out.append(f"#{r['id']} 状态为「{STATUS_ZH[r['status']]}」，不能{move.zh} / "
                       f"is {r['status']}, cannot {move.action} (needs "
                       f"{' or '.join(move.sources)})")
        elif move.action == "approve" and r["reviewed_by"] == user:
            out.append(f"#{r['id']} 审核人与批准人不能是同一人（{user}） / reviewer and "
                       f"approver must be different people ({user})")
    return out


def _payment(row: dict[str, Any], user: str, at: datetime) -> dict[str, Any]:
    return {"entitlement_id": row["id"], **{k: row[k] for k in NATURAL_KEY},
            "amount_wan": row["amount_wan"], "province_wan": row["province_wan"],
            "city_wan": row["city_wan"], "payer_city": row["payer_city"],
            "paid_by": user, "paid_at": at}


def _fields(move: Move) -> tuple[str, ...]:
    extra = ("rejected_reason",) if move.action == "reject" else ()
    return ("status", f"{move.who}_by", f"{move.who}_at", *extra)


def _apply(conn: Connection, ids: list[int], move: Move, user: str,
           reason: str | None) -> list[int]:
    query = sa.select(ENTITLEMENTS).where(ENTITLEMENTS.c.id.in_(ids)).order_by(ENTITLEMENTS.c.id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    rows = [dict(r) for r in conn.execute(query).mappings()]
    missing = sorted(set(ids) - {r["id"] for r in rows})
    if missing:
        raise NotFoundError(f"台账中没有这些编号 / no such entitlement: "
                            f"{', '.join(map(str, missing))}")
    problems = _problems(rows, move, user, reason)
    if problems:
        raise LedgerError(f"{move.zh}未执行，台账未作修改 / {move.action} refused, nothing "
                          f"changed:\n  " + "\n  ".join(problems))
    at = datetime.now(UTC)
    if move.action == "pay":
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(PAYMENTS), [_payment(r, user, at) for r in rows])
        except sa.exc.IntegrityError as exc:
            raise LedgerError("已有支付记录，不能重复支付，台账未作修改 / already paid: the "
                              "database refused a second payment, nothing changed") from exc
    values: dict[str, Any] = {"status": move.target, f"{move.who}_by": user,
                              f"{move.who}_at": at}
    if move.action == "reject":
        values["rejected_reason"] = (reason or "").strip()
    done = conn.execute(sa.update(ENTITLEMENTS).where(
        ENTITLEMENTS.c.id.in_(ids), ENTITLEMENTS.c.status.in_(move.sources)).values(**values))
    if done.rowcount != len(rows):
        raise LedgerError("台账已被他人同时修改，请重试 / changed concurrently, nothing changed")
    fields = _fields(move)
    write_audit(conn, [audit_record(r, move.action, user, at, snapshot(r, fields),
                                    snapshot({**r, **values}, fields)) for r in rows])
    return [r["id"] for r in rows]


def transition(url: str | None, ids: Iterable[int], action: str, user: str,
               reason: str | None = None) -> list[int]:
    """Move the entitlements ``ids`` by ``action`` (review/approve/pay/reject), all or nothing."""
    move = MOVES[action]
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        raise LedgerError(f"没有选中任何应享奖补 / nothing selected to {action}")
    if not user or not user.strip():
        raise LedgerError("须注明操作人 / a user is required (--user)")
    engine = make_engine(url, write=True)
    try:
        with engine.begin() as conn:
            require_ledger(conn)
            return _apply(conn, wanted, move, user.strip(), reason)
    finally:
        engine.dispose()


def review(url: str | None, ids: Iterable[int], user: str) -> list[int]:
    return transition(url, ids, "review", user)


def approve(url: str | None, ids: Iterable[int], user: str) -> list[int]:
    return transition(url, ids, "approve", user)


def pay(url: str | None, ids: Iterable[int], user: str) -> list[int]:
    return transition(url, ids, "pay", user)


def reject(url: str | None, ids: Iterable[int], user: str, reason: str) -> list[int]:
    return transition(url, ids, "reject", user, reason)


def select_ids(url: str | None, *, status: str | None = None, incentive: str | None = None,
               city: str | None = None, year: int | None = None) -> list[int]:
    """Ids of the entitlements matching every filter given (for bulk transitions)."""
    query = sa.select(ENTITLEMENTS.c.id).order_by(ENTITLEMENTS.c.id)
    for column, value in (("status", status), ("incentive", incentive),
                          ("payer_city", city), ("year", year)):
        if value is not None:
            query = query.where(ENTITLEMENTS.c[column] == value)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            require_ledger(conn)
            return [int(i) for i in conn.execute(query).scalars()]
    finally:
        engine.dispose()
