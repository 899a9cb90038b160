"""User accounts and the audit log, over SQLAlchemy (SQLite or PostgreSQL)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from laser_policy.contracts.cities import normalise_city
from laser_policy.errors import InputError, NotFoundError
from laser_policy.web.auth import (
    DUMMY_HASH,
    Principal,
    Role,
    hash_password,
    needs_rehash,
    verify_password,
)
from laser_policy.web.models import AuditEntry, StoredSecret, User
from laser_policy.web.sessions import LoginSessions

#: the name of the session-cookie key in ``web_secrets``
SESSION_KEY_NAME = "session_key"

MIN_PASSWORD_LENGTH = 8


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a thread-safe connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass(frozen=True)
class NewUser:
    username: str
    password: str
    role: Role
    display_name: str = ""
    city: str | None = None
    uscc: str | None = None
    unit: str | None = None


def _principal(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        display_name=user.display_name,
        city=user.city,
        uscc=user.uscc,
        unit=user.unit,
    )


class Accounts:
    """Users and audit entries in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        #: Unix time now (lockout and session expiry); tests move it
        self.clock: Callable[[], float] = time.time
        self.logins = LoginSessions(self._sessions, clock=lambda: self.clock())  # noqa: PLW0108 (late-bound)

    def ensure_schema(self) -> None:
        """Migrate the database to head (the store's tables and the web's) with Alembic."""
        from laser_policy.store.db import upgrade

        upgrade(self.engine.url.render_as_string(hide_password=False))

    def session(self) -> Session:
        return self._sessions()

    def stored_secret(self, name: str = SESSION_KEY_NAME) -> str:
        """The key ``name`` kept in the database, generated (48 random bytes) the first
        time it is asked for. Insert-if-absent then read, so workers starting together on
        one database all end up with the first one written."""
        table = cast(sa.Table, StoredSecret.__table__)
        stmt: Any
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                stmt = pg_insert(table).on_conflict_do_nothing(index_elements=["name"])
            else:
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                stmt = sqlite_insert(table).on_conflict_do_nothing(index_elements=["name"])
            conn.execute(stmt.values(name=name, value=secrets.token_urlsafe(48)))
            value = conn.scalar(select(table.c.value).where(table.c.name == name))
        if not isinstance(value, str):
            raise RuntimeError(f"web_secrets has no {name!r} after insert")
        return value

    def create_user(self, new: NewUser, actor: Principal | None = None) -> Principal:
        """Add a user; checks role-specific fields; audited. Raises ``InputError``."""
        problems: list[str] = []
        if not new.username.strip():
            problems.append("用户名不能为空 / user name is required")
        if len(new.password) < MIN_PASSWORD_LENGTH:
            problems.append(
                f"密码至少{MIN_PASSWORD_LENGTH}位 / "
                f"password needs ≥ {MIN_PASSWORD_LENGTH} characters"
            )
        city = new.city
        if new.role is Role.CITY:
            city = normalise_city(new.city or "")
            if city is None:
                problems.append(f"市州无效: {new.city!r} / not a Hubei division")
        if new.role is Role.ENTERPRISE and not new.uscc:
            problems.append("企业账号需要统一社会信用代码 / enterprise account needs a uscc")
        if new.role is Role.DEPARTMENT and not new.unit:
            problems.append("部门账号需要单位名称 / department account needs a unit")
        if problems:
            raise InputError("；".join(problems))
        with self.session() as s, s.begin():
            if s.scalar(select(User).where(User.username == new.username)) is not None:
                raise InputError(f"用户名已存在 / user exists: {new.username}")
            user = User(
                username=new.username,
                password_hash=hash_password(new.password),
                role=new.role.value,
                display_name=new.display_name or new.username,
                city=city,
                uscc=new.uscc,
                unit=new.unit,
            )
            s.add(user)
            s.flush()
            s.add(
                self._entry(
                    actor,
                    "user.create",
                    f"user:{new.username}",
                    status=None,
                    ip="",
                    detail={"role": new.role.value},
                )
            )
            return _principal(user)

    def authenticate(self, username: str, password: str) -> Principal | None:
        """The principal when the password is right, else None (same cost either way)."""
        with self.session() as s, s.begin():
            user = s.scalar(select(User).where(User.username == username, User.active))
            if user is None:
                verify_password(DUMMY_HASH, password)
                return None
            if not verify_password(user.password_hash, password):
                return None
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            return _principal(user)

    # -- sessions ---------------------------------------------------------------------

    def open_session(self, principal: Principal, max_age_s: int, ip: str = "") -> str:
        """A server-side session for a logged-in principal; the token goes in the cookie."""
        return self.logins.open(principal.user_id, max_age_s, ip)

    def session_principal(self, token: object) -> Principal | None:
        """The principal of a live session token (checked in the database every time)."""
        if not isinstance(token, str):
            return None
        user = self.logins.user(token)
        return _principal(user) if user is not None else None

    def close_session(self, token: object) -> None:
        if isinstance(token, str) and token:
            self.logins.close(token)

    def set_active(self, username: str, active: bool, actor: Principal | None = None) -> None:
        """Disable (every open session revoked at once) or re-enable an account; audited."""
        with self.session() as s, s.begin():
            user = self._find(s, username)
            user.active = active
            revoked = 0 if active else self.logins.revoke_user(s, user.id)
            s.add(
                self._entry(
                    actor,
                    "user.enable" if active else "user.disable",
                    f"user:{user.username}",
                    status=None,
                    ip="",
                    detail={"sessions_revoked": revoked},
                )
            )

    def change_password(
        self, username: str, new_password: str, actor: Principal | None = None,
        *, keep_session: str | None = None,
    ) -> None:
        """Set a new password; every other session of the user is revoked; audited."""
        with self.session() as s, s.begin():
            user = self._find(s, username)
            user.password_hash = hash_password(new_password)
            revoked = self.logins.revoke_user(s, user.id, keep=keep_session)
            s.add(
                self._entry(
                    actor,
                    "user.password",
                    f"user:{user.username}",
                    status=None,
                    ip="",
                    detail={"sessions_revoked": revoked},
                )
            )

    @staticmethod
    def _find(s: Session, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFoundError(f"没有该账号 / no such account: {username}")
        return user

    def users(self) -> list[Principal]:
        with self.session() as s:
            return [_principal(u) for u in s.scalars(select(User).order_by(User.id))]

    @staticmethod
    def _entry(
        actor: Principal | None,
        action: str,
        target: str,
        *,
        status: int | None,
        ip: str,
        detail: dict[str, Any],
    ) -> AuditEntry:
        return AuditEntry(
            user_id=actor.user_id if actor else None,
            username=actor.username if actor else "",
            action=action,
            target=target[:500],
            status=status,
            ip=ip,
            detail=detail,
        )

    def audit(
        self,
        actor: Principal | None,
        action: str,
        target: str = "",
        *,
        status: int | None = None,
        ip: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one audit entry (its own transaction)."""
        with self.session() as s, s.begin():
            s.add(self._entry(actor, action, target, status=status, ip=ip, detail=detail or {}))

    def audit_log(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.session() as s:
            rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
            return [
                {
                    "id": e.id,
                    "at": e.at.isoformat() if e.at else None,
                    "username": e.username,
                    "action": e.action,
                    "target": e.target,
                    "status": e.status,
                    "ip": e.ip,
                    "detail": e.detail,
                }
                for e in rows
            ]
