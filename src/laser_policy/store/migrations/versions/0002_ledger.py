"""The ledger: computation runs, entitlements and payments (``laser_policy.ledger.models``).

The natural key ``(uscc, incentive, role, item, period)`` is UNIQUE on both
``entitlements`` and ``payments``: the database, not only the code, refuses a
second entitlement or a second payment for the same thing.

It follows the web app's ``w001`` (users, web audit log), which also revises
``0001``, so that the history stays one line.

Revision ID: 0002
Revises: w001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "w001"
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NATURAL_KEY = ("uscc", "incentive", "role", "item", "period")
TS = sa.DateTime(timezone=True)


def _key_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("incentive", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "computation_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("user_name", sa.String(length=128), nullable=False),
        sa.Column("rules_version", sa.Text(), nullable=False),
        sa.Column("parameters", JSON_DOC, nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("result_hash", sa.String(length=64), nullable=True),
        sa.Column("counts", JSON_DOC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_computation_runs")),
    )
    money: list[sa.Column[float]] = [sa.Column(n, sa.Double(), nullable=False)
             for n in ("amount_wan", "province_wan", "city_wan")]
    op.create_table(
        "entitlements",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        *_key_columns(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=True),
        *money,
        sa.Column("payer_city", sa.Text(), nullable=True),
        sa.Column("clause", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("steps", JSON_DOC, nullable=False),
        sa.Column("rules_version", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("computed_at", TS, nullable=False),
        sa.Column("reviewed_by", sa.String(length=128), nullable=True),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("approved_by", sa.String(length=128), nullable=True),
        sa.Column("approved_at", TS, nullable=True),
        sa.Column("paid_by", sa.String(length=128), nullable=True),
        sa.Column("paid_at", TS, nullable=True),
        sa.Column("rejected_by", sa.String(length=128), nullable=True),
        sa.Column("rejected_at", TS, nullable=True),
        sa.Column("rejected_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('computed', 'reviewed', 'approved', 'paid', 'rejected')",
            name=op.f("ck_entitlements_status"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["computation_runs.id"],
            name=op.f("fk_entitlements_run_id_computation_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entitlements")),
        sa.UniqueConstraint(*NATURAL_KEY, name="uq_entitlements_natural_key"),
    )
    op.create_index("ix_entitlements_run_id", "entitlements", ["run_id"])
    op.create_index("ix_entitlements_status", "entitlements", ["status"])
    op.create_table(
        "payments",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("entitlement_id", BIG_ID, nullable=False),
        *_key_columns(),
        *[sa.Column(n, sa.Double(), nullable=False)
          for n in ("amount_wan", "province_wan", "city_wan")],
        sa.Column("payer_city", sa.Text(), nullable=True),
        sa.Column("paid_by", sa.String(length=128), nullable=False),
        sa.Column("paid_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["entitlement_id"], ["entitlements.id"],
            name=op.f("fk_payments_entitlement_id_entitlements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("entitlement_id", name=op.f("uq_payments_entitlement_id")),
        sa.UniqueConstraint(*NATURAL_KEY, name="uq_payments_natural_key"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("payments")
    op.drop_index("ix_entitlements_status", table_name="entitlements")
    op.drop_index("ix_entitlements_run_id", table_name="entitlements")
    op.drop_table("entitlements")
    op.drop_table("computation_runs")
