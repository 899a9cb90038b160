"""Typed settings of the web app, read from the environment only when asked.

Nothing here runs at import: ``WebSettings.from_env()`` is called by the CLI (or a
test) and the result handed to ``create_app(settings)``.

Environment variables (all optional in development):

===============================  ==============================================================
``LASER_POLICY_ENV``             ``development`` (default) or ``production``
``LASER_POLICY_SECRET_KEY``      signs the session cookie; REQUIRED in production (≥ 32 chars,
                                 not the development default), otherwise the app refuses to start
``LASER_POLICY_DB``              SQLAlchemy URL or SQLite path (users, audit log; the data
                                 store once it is in the database), see ``laser_policy.settings``
``LASER_POLICY_DATA``            a data package folder to serve instead of the database
``LASER_POLICY_COOKIE_SECURE``   ``1``/``0``: Secure flag on the session cookie (default: on in
                                 production, off in development so http://127.0.0.1 works)
``LASER_POLICY_SESSION_HOURS``   session lifetime in hours (default 8)
``LASER_POLICY_LOGIN_BURST``     login attempts allowed at once per IP and user (default 5)
``LASER_POLICY_LOGIN_REFILL_S``  seconds for one attempt to come back (default 60)
===============================  ==============================================================
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from laser_policy.errors import UsageError
from laser_policy.settings import database_url

Environment = Literal["development", "production"]

#: the key a development server uses when none is given; refused in production
DEVELOPMENT_SECRET = "laser-policy-development-secret-do-not-use-in-production"
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class WebSettings:
    """Everything the web app needs to start, validated by ``check()``."""

    env: Environment = "development"
    secret_key: str = DEVELOPMENT_SECRET
    database_url: str = "sqlite:///laser-policy.db"
    data_path: Path | None = None
    cookie_name: str = "lp_session"
    cookie_secure: bool = False
    session_max_age_s: int = 8 * 3600
    login_burst: int = 5
    login_refill_s: float = 60.0
    #: show the "示例数据（合成）" banner; None = decide from the data
    synthetic: bool | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> WebSettings:
        """Read the ``LASER_POLICY_*`` variables; keyword overrides win (CLI options)."""
        env_map = os.environ if environ is None else environ
        env_name = env_map.get("LASER_POLICY_ENV", "development").strip().lower()
        if env_name not in ("development", "production"):
            raise UsageError(
                f"LASER_POLICY_ENV 只能是 development 或 production（现为 {env_name!r}）"
                f" / LASER_POLICY_ENV must be development or production, got {env_name!r}"
            )
        env: Environment = "production" if env_name == "production" else "development"
        secure_raw = env_map.get("LASER_POLICY_COOKIE_SECURE")
        secure = env == "production" if secure_raw is None else secure_raw.strip() in ("1", "true")
        data = env_map.get("LASER_POLICY_DATA")
        settings = cls(
            env=env,
            secret_key=env_map.get("LASER_POLICY_SECRET_KEY", "") or DEVELOPMENT_SECRET,
            database_url=database_url(env_map.get("LASER_POLICY_DB")),
            data_path=Path(data) if data else None,
            cookie_secure=secure,
            session_max_age_s=int(float(env_map.get("LASER_POLICY_SESSION_HOURS", "8")) * 3600),
            login_burst=int(env_map.get("LASER_POLICY_LOGIN_BURST", "5")),
            login_refill_s=float(env_map.get("LASER_POLICY_LOGIN_REFILL_S", "60")),
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean) if clean else settings  # type: ignore[arg-type]

    @classmethod
    def development(cls, **overrides: object) -> WebSettings:
        """Development settings with a fresh random secret (used by ``demo`` and tests)."""
        base = cls(secret_key=secrets.token_urlsafe(48))
        return replace(base, **overrides) if overrides else base  # type: ignore[arg-type]

    def check(self) -> None:
        """Refuse unsafe settings outside development (raises ``UsageError``)."""
        if self.env != "production":
            return
        if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise UsageError(
                "生产模式必须设置 LASER_POLICY_SECRET_KEY（至少32个字符，且不能用开发默认值），"
                "拒绝启动 / production mode needs LASER_POLICY_SECRET_KEY (≥ 32 characters, "
                "not the development default): refusing to start. "
                "生成 / generate: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if not self.cookie_secure:
            raise UsageError(
                "生产模式下会话Cookie必须带Secure标志（LASER_POLICY_COOKIE_SECURE=1）/ "
                "production mode needs secure session cookies (LASER_POLICY_COOKIE_SECURE=1)"
            )
        if self.login_burst < 1 or self.login_refill_s <= 0:
            raise UsageError("登录限速参数无效 / invalid login rate-limit settings")

    @property
    def is_development(self) -> bool:
        return self.env == "development"
