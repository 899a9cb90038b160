"""User accounts and the audit log, over SQLAlchemy (SQLite or PostgreSQL).

Every change to an account (create, edit, disable, enable, password reset or change,
unlock, import) writes one ``web_audit_log`` entry naming who did it: a principal of the
web app, or ``cli:<system user>`` for the ``laser-policy users`` commands.

User names are identities (``laser_policy.web.passwords``): stored normalised (NFKC +
casefold), so ``ADMIN`` beside ``admin`` is refused, and a login or a CLI ``--user``
typed in another case or width names the same account.

Lockout: ``lockout_failures`` wrong passwords in a row lock the account for
``lockout_s`` seconds (kept in the database, so every worker agrees); an admin unlocks
earlier. A locked account is refused with the same answer as a wrong password.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from laser_policy.contracts.cities import normalise_city
from laser_policy.contracts.uscc import canonical_uscc, is_valid_uscc
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
from laser_policy.web.passwords import normalise_username, password_problems, username_problems
from laser_policy.web.sessions import LoginSessions

#: the name of the session-cookie key in ``web_secrets``
SESSION_KEY_NAME = "session_key"
#: who acts: a web principal, a name without an account (``cli:…``), or nobody
Actor = Principal | str | None


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
    #: the first login must choose a new password (imports with generated passwords)
    must_change_password: bool = False


@dataclass(frozen=True)
class Scoped:
    """A role and its scope, checked and normalised."""

    role: Role
    city: str | None
    uscc: str | None
    unit: str | None


@dataclass(frozen=True)
class Account:
    """One account as the admin page and ``users list`` show it."""

    username: str
    role: str
    display_name: str
    city: str | None
    uscc: str | None
    unit: str | None
    active: bool
    locked: bool
    must_change_password: bool
    created_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "display_name": self.display_name,
            "city": self.city,
            "uscc": self.uscc,
            "unit": self.unit,
            "active": self.active,
            "locked": self.locked,
            "must_change_password": self.must_change_password,
            "created_at": self.created_at,
        }


@dataclass
class FieldProblems:
    """Problems by field name (``username``, ``password``, ``role``, ``city`` …)."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.items.append((name, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError("；".join(message for _name, message in self.items))


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text)


def check_scope(
    role: str | Role,
    city: str | None,
    uscc: str | None,
    unit: str | None,
    problems: FieldProblems,
) -> Scoped | None:
    """The role and the one scope field it needs, normalised; problems added by field."""
    try:
        kind = Role(str(role).strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        problems.add("role", f"角色无效: {role!r}（可选 {roles}）/ unknown role")
        return None
    city_v = uscc_v = unit_v = None
    if kind is Role.CITY:
        city_v = normalise_city(city or "")
        if city_v is None:
            problems.add("city", f"市州无效: {city!r} / not a Hubei division")
    elif kind is Role.ENTERPRISE:
        uscc_v = canonical_uscc(uscc or "")
        if not is_valid_uscc(uscc_v):
            problems.add("uscc", f"统一社会信用代码无效: {uscc!r} / not a valid credit code")
    elif kind is Role.DEPARTMENT:
        unit_v = (unit or "").strip()
        if not unit_v or _has_control(unit_v) or len(unit_v) > 100:
            problems.add("unit", f"部门账号需要单位名称: {unit!r} / department needs a unit")
    return Scoped(kind, city_v, uscc_v, unit_v)


def _principal(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        display_name=user.display_name,
        city=user.city,
        uscc=user.uscc,
        unit=user.unit,
        must_change_password=user.must_change_password,
    )


def temporary_password() -> str:
    """A random password for a reset or an import (shown once, changed at first login)."""
    return secrets.token_urlsafe(12)


class Accounts:
    """Users, login sessions and audit entries in one database."""

    def __init__(
        self, engine: Engine, *, lockout_failures: int = 10, lockout_s: float = 15 * 60.0
    ) -> None:
        self.engine = engine
        self.lockout_failures = lockout_failures
        self.lockout_s = lockout_s
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

    # -- creating ---------------------------------------------------------------------

    def check_new_user(self, new: NewUser, taken: Iterable[str] = ()) -> tuple[
        NewUser, FieldProblems
    ]:
        """``new`` normalised, and its problems by field (name, password, role, scope)."""
        problems = FieldProblems()
        name = normalise_username(new.username.strip())
        for message in username_problems(name):
            problems.add("username", message)
        for message in password_problems(new.password, name):
            problems.add("password", message)
        if _has_control(new.display_name) or len(new.display_name) > 200:
            problems.add("display_name", "姓名含控制字符或过长 / display name invalid")
        scoped = check_scope(new.role, new.city, new.uscc, new.unit, problems)
        if (name and not username_problems(name)) and (name in set(taken) or self._exists(name)):
                problems.add("username", f"用户名已存在: {name} / user exists")
        if scoped is None:
            return new, problems
        clean = replace(
            new,
            username=name,
            role=scoped.role,
            display_name=new.display_name.strip() or name,
            city=scoped.city,
            uscc=scoped.uscc,
            unit=scoped.unit,
        )
        return clean, problems

    def _exists(self, name: str) -> bool:
        with self.session() as s:
            return s.scalar(select(User.id).where(User.username == name)) is not None

    def _user_row(self, new: NewUser) -> User:
        return User(
            username=new.username,
            password_hash=hash_password(new.password),
            role=new.role.value,
            display_name=new.display_name,
            city=new.city,
            uscc=new.uscc,
            unit=new.unit,
            must_change_password=new.must_change_password,
        )

    def create_user(self, new: NewUser, actor: Actor = None) -> Principal:
        """Add a user after the identity, password and scope checks; audited.
        Raises ``InputError`` naming every problem."""
        clean, problems = self.check_new_user(new)
        problems.raise_if_any()
        with self.session() as s, s.begin():
            user = self._user_row(clean)
            s.add(user)
            s.flush()
            s.add(self._entry(actor, "user.create", user, {"role": clean.role.value}))
            return _principal(user)

    def create_many(self, users: Sequence[NewUser], actor: Actor = None) -> None:
        """Add already-checked users in one transaction (all or nothing); audited."""
        with self.session() as s, s.begin():
            for new in users:
                user = self._user_row(new)
                s.add(user)
                s.flush()
                s.add(self._entry(actor, "user.import", user, {"role": new.role.value}))

    # -- logging in -------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Principal | None:
        """The principal when the password is right and the account is active and not
        locked, else None (same cost and same answer in every case)."""
        name = normalise_username(username)
        if username_problems(name):
            verify_password(DUMMY_HASH, password)
            return None
        now = self.clock()
        with self.session() as s, s.begin():
            user = s.scalar(select(User).where(User.username == name, User.active))
            if user is None or (user.locked_until is not None and user.locked_until > now):
                verify_password(DUMMY_HASH, password)
                return None
            if not verify_password(user.password_hash, password):
                self._failed(s, user, now)
                return None
            user.failed_logins = 0
            user.locked_until = None
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            return _principal(user)

    def _failed(self, s: Session, user: User, now: float) -> None:
        user.failed_logins = (user.failed_logins or 0) + 1
        if self.lockout_failures and user.failed_logins >= self.lockout_failures:
            user.locked_until = int(now + self.lockout_s)
            user.failed_logins = 0
            s.add(
                self._entry(
                    None, "user.locked", user, {"until": user.locked_until, "by": "lockout"}
                )
            )

    # -- sessions ---------------------------------------------------------------------

    def open_session(self, principal: Principal, max_age_s: int, ip: str = "") -> str:
        """A server-side session for a logged-in principal; the token goes in the cookie."""
        return self.logins.open(principal.user_id, max_age_s, ip)

    def session_principal(self, token: object) -> Principal | None:
        """The principal of a live session token (checked in the database every time)."""
        if not isinstance(token, str):
            return None
        row = self.logins.user(token)
        if row is None:
            return None
        return Principal(
            user_id=row.id,
            username=row.username,
            role=Role(row.role),
            display_name=row.display_name,
            city=row.city,
            uscc=row.uscc,
            unit=row.unit,
            must_change_password=bool(row.must_change_password),
        )

    def close_session(self, token: object) -> None:
        if isinstance(token, str) and token:
            self.logins.close(token)

    # -- administering ----------------------------------------------------------------

    @staticmethod
    def _find(s: Session, username: str) -> User:
        name = normalise_username(username.strip())
        user = s.scalar(select(User).where(User.username == name))
        if user is None:
            raise NotFoundError(f"没有该账号 / no such account: {name}")
        return user

    @staticmethod
    def _keep_an_admin(s: Session, user: User) -> None:
        """Refuse to disable or demote the last active admin (nobody could manage accounts)."""
        if user.role != Role.ADMIN.value or not user.active:
            return
        others = s.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.active, User.id != user.id)
        )
        if not others:
            raise InputError(
                f"{user.username} 是最后一个启用的管理员，不能停用或降级 / {user.username} is the "
                "last active admin: it cannot be disabled or demoted"
            )

    def set_active(self, username: str, active: bool, actor: Actor = None) -> None:
        """Disable (every open session revoked at once) or re-enable an account; audited."""
        with self.session() as s, s.begin():
            user = self._find(s, username)
            if not active:
                self._keep_an_admin(s, user)
            user.active = active
            revoked = 0 if active else self.logins.revoke_user(s, user.id)
            action = "user.enable" if active else "user.disable"
            s.add(self._entry(actor, action, user, {"sessions_revoked": revoked}))

    def update_user(
        self,
        username: str,
        *,
        role: str,
        city: str | None,
        uscc: str | None,
        unit: str | None,
        display_name: str | None = None,
        actor: Actor = None,
    ) -> None:
        """Change an account's role and scope (its sessions are revoked); audited."""
        problems = FieldProblems()
        scoped = check_scope(role, city, uscc, unit, problems)
        if display_name is not None and (_has_control(display_name) or len(display_name) > 200):
            problems.add("display_name", "姓名含控制字符或过长 / display name invalid")
        problems.raise_if_any()
        if scoped is None:  # pragma: no cover - check_scope reported it
            return
        with self.session() as s, s.begin():
            user = self._find(s, username)
            before = {"role": user.role, "city": user.city, "uscc": user.uscc, "unit": user.unit}
            if scoped.role is not Role.ADMIN:
                self._keep_an_admin(s, user)
            user.role, user.city, user.uscc, user.unit = (
                scoped.role.value, scoped.city, scoped.uscc, scoped.unit,
            )
            if display_name is not None and display_name.strip():
                user.display_name = display_name.strip()
            after = {"role": user.role, "city": user.city, "uscc": user.uscc, "unit": user.unit}
            revoked = self.logins.revoke_user(s, user.id) if after != before else 0
            s.add(
                self._entry(
                    actor,
                    "user.update",
                    user,
                    {"before": before, "after": after, "sessions_revoked": revoked},
                )
            )

    def change_password(
        self,
        username: str,
        new_password: str,
        actor: Actor = None,
        *,
        current: str | None = None,
        keep_session: str | None = None,
    ) -> None:
        """Set a new password (policy checked; ``current`` checked when given); every
        other session of the user is revoked; audited. Raises ``InputError``."""
        with self.session() as s, s.begin():
            user = self._find(s, username)
            problems = FieldProblems()
            if current is not None and not verify_password(user.password_hash, current):
                problems.add("current", "当前密码不正确 / the current password is wrong")
            for message in password_problems(new_password, user.username):
                problems.add("password", message)
            if verify_password(user.password_hash, new_password):
                problems.add("password", "新密码不能与原密码相同 / choose a different password")
            problems.raise_if_any()
            user.password_hash = hash_password(new_password)
            user.must_change_password = False
            revoked = self.logins.revoke_user(s, user.id, keep=keep_session)
            s.add(self._entry(actor, "user.password", user, {"sessions_revoked": revoked}))

    def reset_password(self, username: str, actor: Actor = None) -> str:
        """A temporary password (returned once): sessions revoked, lock lifted, and the
        next login must choose a new password; audited."""
        temporary = temporary_password()
        with self.session() as s, s.begin():
            user = self._find(s, username)
            user.password_hash = hash_password(temporary)
            user.must_change_password = True
            user.failed_logins = 0
            user.locked_until = None
            revoked = self.logins.revoke_user(s, user.id)
            s.add(self._entry(actor, "user.reset", user, {"sessions_revoked": revoked}))
        return temporary

    def unlock(self, username: str, actor: Actor = None) -> None:
        """Lift a lockout now; audited."""
        with self.session() as s, s.begin():
            user = self._find(s, username)
            user.failed_logins = 0
            user.locked_until = None
            s.add(self._entry(actor, "user.unlock", user, {}))

    def accounts(self) -> list[Account]:
        """Every account, in creation order."""
        now = self.clock()
        with self.session() as s:
            return [
                Account(
                    username=u.username,
                    role=u.role,
                    display_name=u.display_name,
                    city=u.city,
                    uscc=u.uscc,
                    unit=u.unit,
                    active=u.active,
                    locked=u.locked_until is not None and u.locked_until > now,
                    must_change_password=u.must_change_password,
                    created_at=u.created_at.isoformat() if u.created_at else None,
                )
                for u in s.scalars(select(User).order_by(User.id))
            ]

    def users(self) -> list[Principal]:
        with self.session() as s:
            return [_principal(u) for u in s.scalars(select(User).order_by(User.id))]

    def count(self) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(User)) or 0)

    def operator(self, name: str) -> str:
        """The ledger operator a CLI ``--user`` names: the normalised name; when the
        database has accounts it must be an active one (else ``InputError``)."""
        key = normalise_username(name.strip())
        problems = username_problems(key)
        if problems:
            raise InputError(f"--user {name!r}: " + "；".join(problems))
        if self.count() == 0:
            return key
        with self.session() as s:
            user = s.scalar(select(User).where(User.username == key))
        if user is None or not user.active:
            raise InputError(
                f"--user {name!r} 不是本数据库的有效账号（见 laser-policy users list）/ "
                f"--user {name!r} is not an active account of this database"
            )
        return user.username

    # -- audit ------------------------------------------------------------------------

    @staticmethod
    def _entry(actor: Actor, action: str, user: User, detail: dict[str, Any]) -> AuditEntry:
        return Accounts._make_entry(
            actor, action, f"user:{user.username}", status=None, ip="", detail=detail
        )

    @staticmethod
    def _make_entry(
        actor: Actor,
        action: str,
        target: str,
        *,
        status: int | None,
        ip: str,
        detail: dict[str, Any],
    ) -> AuditEntry:
        principal = actor if isinstance(actor, Principal) else None
        name = actor if isinstance(actor, str) else (principal.username if principal else "")
        return AuditEntry(
            user_id=principal.user_id if principal else None,
            username=_clean_text(name)[:100],
            action=_clean_text(action)[:100],
            target=_clean_text(target)[:500],
            status=status,
            ip=ip[:64],
            detail=detail,
        )

    def audit(
        self,
        actor: Actor,
        action: str,
        target: str = "",
        *,
        status: int | None = None,
        ip: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one audit entry (its own transaction)."""
        with self.session() as s, s.begin():
            s.add(
                self._make_entry(
                    actor, action, target, status=status, ip=ip, detail=detail or {}
                )
            )

    def audit_log(
        self, limit: int = 200, offset: int = 0, action: str | None = None
    ) -> list[dict[str, Any]]:
        """The newest entries first (``action`` a prefix filter, e.g. ``user.``)."""
        with self.session() as s:
            query = select(AuditEntry).order_by(AuditEntry.id.desc())
            if action:
                query = query.where(AuditEntry.action.startswith(action, autoescape=True))
            rows = s.scalars(query.offset(offset).limit(limit))
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


def _clean_text(text: str) -> str:
    """Text safe for every database: NUL and other control characters shown as ``\\xNN``."""
    return "".join(c if ord(c) >= 32 and c != "\x7f" else f"\\x{ord(c):02x}" for c in text)


def ledger_operator(url: str, name: str) -> str:
    """The operator a ledger CLI ``--user`` names, on the database at ``url``: the
    normalised name, which must be an active account when the database has accounts
    (a database without the web's tables, or with no account yet, takes any valid name)."""
    engine = make_engine(url)
    try:
        if not sa.inspect(engine).has_table(User.__tablename__):
            key = normalise_username(name.strip())
            problems = username_problems(key)
            if problems:
                raise InputError(f"--user {name!r}: " + "；".join(problems))
            return key
        return Accounts(engine).operator(name)
    finally:
        engine.dispose()
