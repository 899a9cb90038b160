"""Server-side login sessions: what makes a copied cookie stop working.

The signed cookie carries a random token (``session["sid"]``); the database keeps only its
SHA-256 (table ``web_sessions``) with the user and the expiry. Every request looks the
token up (one indexed query, no per-process cache, so several workers agree at once).
Logging out deletes the row; disabling an account and changing its password delete every
row of that user; an expired row is refused and swept at the next login.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Engine, Row, bindparam, delete, select
from sqlalchemy.orm import Session, sessionmaker

from laser_policy.web.models import User, WebSession

#: the cookie-session key holding the token
SESSION_TOKEN = "sid"
#: the user columns a session lookup returns (what a ``Principal`` is made of)
USER_COLUMNS = (
    "id", "username", "role", "display_name", "city", "uscc", "unit", "must_change_password",
)


def token_id(token: str) -> str:
    """The row id of a token (its SHA-256): a leaked table does not give usable cookies."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class LoginSessions:
    """Open, look up and revoke login sessions."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Callable[[], float] = time.time
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._engine = cast(Engine, sessions.kw["bind"])
        users, rows = User.__table__.c, WebSession.__table__.c
        self._lookup = (
            select(*(users[name] for name in USER_COLUMNS))
            .join_from(WebSession.__table__, User.__table__, rows.user_id == users.id)
            .where(
                rows.id == bindparam("sid"),
                rows.expires_at > bindparam("now"),
                users.active.is_(True),
            )
        )

    def open(self, user_id: int, max_age_s: int, ip: str = "") -> str:
        """A new session for ``user_id``; returns the token to put in the cookie."""
        now = int(self._clock())
        token = secrets.token_urlsafe(32)
        with self._sessions() as s, s.begin():
            s.execute(delete(WebSession).where(WebSession.expires_at <= now))
            s.add(
                WebSession(
                    id=token_id(token),
                    user_id=user_id,
                    created_at=now,
                    expires_at=now + max_age_s,
                    ip=ip[:64],
                )
            )
        return token

    def user(self, token: str) -> Row[Any] | None:
        """The active user of a live session (a row of ``USER_COLUMNS``), else None.
        Core, not the ORM: this runs on every request."""
        if not token or len(token) > 200:
            return None
        now = int(self._clock())
        with self._engine.connect() as conn:
            return conn.execute(
                self._lookup, {"sid": token_id(token), "now": now}
            ).first()

    def close(self, token: str) -> None:
        """End one session (logout)."""
        with self._sessions() as s, s.begin():
            s.execute(delete(WebSession).where(WebSession.id == token_id(token)))

    def revoke_user(self, s: Session, user_id: int, keep: str | None = None) -> int:
        """Delete every session of ``user_id`` (but ``keep``) inside the caller's transaction."""
        stmt = delete(WebSession).where(WebSession.user_id == user_id)
        if keep:
            stmt = stmt.where(WebSession.id != token_id(keep))
        result = s.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)

    def count(self, user_id: int) -> int:
        with self._sessions() as s:
            return len(s.scalars(select(WebSession.id).where(WebSession.user_id == user_id)).all())
