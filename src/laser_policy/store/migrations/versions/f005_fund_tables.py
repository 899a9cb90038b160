"""Data package: fund investments, guarantees, attracted firms and related industries' output.

The four tables of measure 十八 and of the first part's targets (``contracts.tables``):
``fund_investments`` and ``guarantees`` refer to the enterprise list; ``attracted_firms``
may name a firm not (yet) in it; ``related_output`` stores ``''`` as the city of a
province-wide row (a primary key cannot hold NULL).

Revision ID: f005
Revises: w002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "f005"
down_revision: str | None = "w002"
branch_labels: str | None = None
depends_on: str | None = None


def _enterprise(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["uscc"], ["enterprises.uscc"],
                                   name=op.f(f"fk_{table}_uscc_enterprises"))


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "fund_investments",
        sa.Column("investment_id", sa.Text(), nullable=False),
        sa.Column("fund", sa.Text(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("amount_wan", sa.Double(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("segment", sa.Text(), nullable=True),
        _enterprise("fund_investments"),
        sa.PrimaryKeyConstraint("investment_id", name=op.f("pk_fund_investments")),
    )
    op.create_table(
        "guarantees",
        sa.Column("guarantee_id", sa.Text(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("guarantor", sa.Text(), nullable=False),
        sa.Column("bank", sa.Text(), nullable=True),
        sa.Column("amount_wan", sa.Double(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        _enterprise("guarantees"),
        sa.PrimaryKeyConstraint("guarantee_id", name=op.f("pk_guarantees")),
    )
    op.create_table(
        "attracted_firms",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("segment", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", "city", name=op.f("pk_attracted_firms")),
    )
    op.create_table(
        "related_output",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("industry", sa.Text(), nullable=False),
        sa.Column("output_yi", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("year", "city", "industry", name=op.f("pk_related_output")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    for table in ("related_output", "attracted_firms", "guarantees", "fund_investments"):
        op.drop_table(table)
