"""Web app: users and the web audit log.

Revision ID: w001
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Registers web_users / web_audit_log on the store's Base.metadata whenever Alembic
# loads this revision, so that autogenerate and the store's "migrations build exactly
# the models" check see them. The DDL below stays explicit (it does not use the models).
import laser_policy.web.models  # noqa: F401

revision: str = "w001"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=50), nullable=True),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_users")),
    )
    op.create_index(op.f("ix_web_users_username"), "web_users", ["username"], unique=True)
    op.create_table(
        "web_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("detail", JSON_DOC, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["web_users.id"], ondelete="SET NULL",
                                name=op.f("fk_web_audit_log_user_id_web_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_audit_log")),
    )
    op.create_index("ix_web_audit_log_at", "web_audit_log", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_web_audit_log_at", table_name="web_audit_log")
    op.drop_table("web_audit_log")
    op.drop_index(op.f("ix_web_users_username"), table_name="web_users")
    op.drop_table("web_users")
