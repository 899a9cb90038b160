"""Tables the web app owns: users and the audit log.

They live in the same database as the store (SQLite by default, PostgreSQL in
production), on the store's declarative ``Base``; the Alembic revision
``w001_web_users_audit`` (after the store's ``0001``) creates them. The store's own
``audit_log`` records row changes made by imports; ``web_audit_log`` records every
write made through the web app (who, what, status, client address).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from laser_policy.store.models import Base, Json

__all__ = ["AuditEntry", "Base", "User"]


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
