"""Store: bulk_partitions, the database's pointer to each current transactions Parquet file.

Revision ID: s004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "s004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade schema. Partitions written before it (``part-0.parquet``) stay readable:
    ``store.bulk`` takes such a file as current for a year that has no row here."""
    op.create_table(
        "bulk_partitions",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "year", name=op.f("pk_bulk_partitions")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("bulk_partitions")
