"""Tasks (督办): the progress_reports table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "progress_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("measure", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("figures", JSON_DOC, nullable=False),
        sa.Column("attachments", JSON_DOC, nullable=False),
        sa.Column("submitted_by", sa.String(length=128), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('not_started', 'in_progress', 'done', 'blocked')",
            name=op.f("ck_progress_reports_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_reports")),
        sa.UniqueConstraint("measure", "unit", "period", name="uq_progress_reports_measure"),
    )
    op.create_index("ix_progress_reports_unit", "progress_reports", ["unit"])
    op.create_index("ix_progress_reports_period", "progress_reports", ["period"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_progress_reports_period", table_name="progress_reports")
    op.drop_index("ix_progress_reports_unit", table_name="progress_reports")
    op.drop_table("progress_reports")
