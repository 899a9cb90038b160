"""Web app: a stored session key, server-side sessions, account lockout and password state.

- ``web_secrets``: keys the app generates on first start (the session-cookie key when
  ``LASER_POLICY_SECRET_KEY`` is not set), shared by every worker on the database.
- ``web_sessions``: one row per login (the SHA-256 of the random session token in the
  cookie); deleted on logout, on disable and on password change, so a copied cookie
  stops working at once.
- ``web_users``: failed-login counter, lock end, forced password change, session
  version stamp. Existing user names are normalised (NFKC + casefold) where that does
  not collide with another account.

Revision ID: w002
Revises: s004
Create Date: 2026-12-04
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision: str = "w002"
down_revision: str | None = "s004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "web_secrets",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_web_secrets")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["web_users.id"], ondelete="CASCADE",
                                name=op.f("fk_web_sessions_user_id_web_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"])
    with op.batch_alter_table("web_users") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    _normalise_usernames()


def _normalise_usernames() -> None:
    conn = op.get_bind()
    users = sa.table("web_users", sa.column("id", sa.Integer), sa.column("username", sa.String))
    rows = conn.execute(sa.select(users.c.id, users.c.username)).all()
    taken = {r.username for r in rows}
    for row in rows:
        key = unicodedata.normalize("NFKC", row.username).casefold()
        if key != row.username and key not in taken:
            conn.execute(sa.update(users).where(users.c.id == row.id).values(username=key))
            taken.discard(row.username)
            taken.add(key)


def downgrade() -> None:
    with op.batch_alter_table("web_users") as batch:
        batch.drop_column("must_change_password")
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("web_secrets")
