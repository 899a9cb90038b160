"""Tables the web app owns: users, sessions, stored keys and the audit log.

They live in the same database as the store (SQLite by default, PostgreSQL in
production), on the store's declarative ``Base``; the Alembic revision
``w001_web_users_audit`` (after the store's ``0001``) creates users and the audit log,
``w002_web_sessions_accounts`` sessions, stored keys and the lockout columns. The store's own
``audit_log`` records row changes made by imports; ``web_audit_log`` records every
write made through the web app (who, what, status, client address).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from laser_policy.store.models import Base, Json

__all__ = ["AuditEntry", "Base", "StoredSecret", "User", "WebSession"]


class User(Base):
    """A person who logs in; role-specific scope in ``city`` / ``uscc`` / ``unit``."""

    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str | None] = mapped_column(String(50), nullable=True)
    uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    unit: Mapped[str | None] = mapped_column(String(100), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    #: wrong passwords in a row (reset by a successful login or an unlock)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the account refuses logins until this time (Unix seconds); None = not locked
    locked_until: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: the next login must choose a new password (set by an admin's reset)
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class WebSession(Base):
    """One login: the SHA-256 of the random token in the cookie, who, until when."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    ip: Mapped[str] = mapped_column(String(64), default="")


class StoredSecret(Base):
    """A key generated on first start and shared by every worker (``session_key``)."""

    __tablename__ = "web_secrets"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AuditEntry(Base):
    """One write: who, when, what (``action``), on what (``target``), with details."""

    __tablename__ = "web_audit_log"
    __table_args__ = (Index("ix_web_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("web_users.id", ondelete="SET NULL"), nullable=True
    )
    username: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
