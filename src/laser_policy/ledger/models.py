"""The ledger's tables on the store's declarative ``Base`` (migration ``0002_ledger``).

- ``computation_runs``: one frozen computation — who, when, the rules version, the
  parameters the engine read, the SHA-256 of the package files and a hash of the
  whole result, so it can be replayed (:mod:`laser_policy.ledger.replay`).
- ``entitlements``: one row per thing the policy pays for, carried from
  ``computed`` to ``reviewed``, ``approved`` and ``paid`` (or ``rejected``).
  UNIQUE on the natural key (:data:`NATURAL_KEY`): a recomputation, or two
  computations at once, can never create a second entitlement for the same thing.
- ``payments``: one row per payment, UNIQUE on the same natural key (and on the
  entitlement), so two concurrent "mark paid" cannot both succeed — the database
  refuses the second, not only an ``if``.

The natural key is ``(uscc, incentive, role, item, period)``: ``role`` is ``''``
when an incentive has no sides; ``item`` is the product/platform/project ``ref``,
or ``tier<n>`` for a revenue tier (十八 has no ref); ``period`` is the year for an
incentive paid every year (a platform, 十七) and ``0`` for a one-off.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Connection,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column

from laser_policy.errors import NotFoundError
from laser_policy.store.models import Base, BigId, Json, Uscc

__all__ = ["ENTITLEMENTS", "NATURAL_KEY", "PAYMENTS", "RUNS", "STATUSES", "Base",
           "ComputationRun", "Entitlement", "Payment"]

STATUSES = ("computed", "reviewed", "approved", "paid", "rejected")
NATURAL_KEY = ("uscc", "incentive", "role", "item", "period")
UQ_ENTITLEMENT = "uq_entitlements_natural_key"
UQ_PAYMENT = "uq_payments_natural_key"


class ComputationRun(Base):
    """One frozen computation into the ledger."""

    __tablename__ = "computation_runs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    user_name: Mapped[str] = mapped_column(String(128))
    rules_version: Mapped[str]
    #: the engine's parameters (``IncentiveParameters`` as JSON) and the policy version
    parameters: Mapped[dict[str, Any]] = mapped_column(Json)
    #: the input tables' content fingerprint (``io.fingerprint.content_fingerprint``;
    #: runs recorded before it hold ``package_sha256``, the package files' SHA-256)
    input_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str]
    year: Mapped[int | None]
    engine: Mapped[str] = mapped_column(String(16))
    #: SHA-256 over every computed row's key and amounts (inserted or not)
    result_hash: Mapped[str | None] = mapped_column(String(64))
    #: computed / inserted / already (in the ledger before)
    counts: Mapped[dict[str, Any]] = mapped_column(Json)


class Entitlement(Base):
    """One entitlement and where it stands."""

    __tablename__ = "entitlements"
    __table_args__ = (
        UniqueConstraint(*NATURAL_KEY, name=UQ_ENTITLEMENT),
        CheckConstraint("status IN ('computed', 'reviewed', 'approved', 'paid', 'rejected')",
                        name="status"),
        Index("ix_entitlements_status", "status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("computation_runs.id"), index=True)
    uscc: Mapped[str] = mapped_column(Uscc)
    name: Mapped[str | None]
    incentive: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(64))
    period: Mapped[int]
    year: Mapped[int]
    ref: Mapped[str | None]
    tier: Mapped[int | None]
    amount_wan: Mapped[float]
    province_wan: Mapped[float]
    city_wan: Mapped[float]
    payer_city: Mapped[str | None]
    clause: Mapped[str]
    explanation: Mapped[str]
    steps: Mapped[list[Any]] = mapped_column(Json)
    rules_version: Mapped[str]
    status: Mapped[str] = mapped_column(String(16))
    computed_at: Mapped[datetime]
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[datetime | None]
    paid_by: Mapped[str | None] = mapped_column(String(128))
    paid_at: Mapped[datetime | None]
    rejected_by: Mapped[str | None] = mapped_column(String(128))
    rejected_at: Mapped[datetime | None]
    rejected_reason: Mapped[str | None]


class Payment(Base):
    """One payment; the database allows one per entitlement and natural key."""

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint(*NATURAL_KEY, name=UQ_PAYMENT),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entitlement_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("entitlements.id"), unique=True)
    uscc: Mapped[str] = mapped_column(Uscc)
    incentive: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(64))
    period: Mapped[int]
    amount_wan: Mapped[float]
    province_wan: Mapped[float]
    city_wan: Mapped[float]
    payer_city: Mapped[str | None]
    paid_by: Mapped[str] = mapped_column(String(128))
    paid_at: Mapped[datetime]


def require_ledger(conn: Connection) -> None:
    """Refuse, with a message saying what to do, a database without the ledger tables."""
    if not sa_inspect(conn).has_table("entitlements"):
        raise NotFoundError(
            "该数据库尚无奖补台账：请先运行 laser-policy incentives run DATA（或 laser-policy db "
            "upgrade） / this database has no ledger yet: run `incentives run DATA` first")


RUNS: Table = Base.metadata.tables["computation_runs"]
ENTITLEMENTS: Table = Base.metadata.tables["entitlements"]
PAYMENTS: Table = Base.metadata.tables["payments"]
