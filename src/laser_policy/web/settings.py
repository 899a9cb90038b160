"""Typed settings of the web app, read from the environment only when asked.

Nothing here runs at import: ``WebSettings.from_env()`` is called by the CLI (or a
test) and the result handed to ``create_app(settings)``.

Environment variables (all optional in development):

===============================  ==============================================================
``LASER_POLICY_ENV``             ``development`` (default) or ``production``
``LASER_POLICY_SECRET_KEY``      signs the session cookie (≥ 32 chars); REQUIRED in production,
                                 otherwise the app refuses to start. In development, when unset,
                                 a random key is generated on first start and stored in the
                                 database (table ``web_secrets``), so every worker and every
                                 restart on that database uses the same key. There is no
                                 built-in key: a key published in the source never signs.
``LASER_POLICY_DB``              SQLAlchemy URL or SQLite path (users, audit log; the data
                                 store once it is in the database), see ``laser_policy.settings``
``LASER_POLICY_DATA``            a data package folder to serve instead of the database
``LASER_POLICY_MODELS``          the policies in force: policy model folders separated by
                                 ``os.pathsep`` (``:`` on Linux), the first the primary one;
                                 default the packaged model of 鄂政办发〔2024〕35号
``LASER_POLICY_COOKIE_SECURE``   ``1``/``0``: Secure flag on the session cookie (default: on in
                                 production, off in development so http://127.0.0.1 works)
``LASER_POLICY_SESSION_HOURS``   session lifetime in hours (default 8)
``LASER_POLICY_LOGIN_BURST``     login attempts allowed at once per IP and user (default 5)
``LASER_POLICY_LOGIN_REFILL_S``  seconds for one attempt to come back (default 60)
``LASER_POLICY_LOGIN_IP_BURST``  login attempts allowed at once per IP, whatever the user name
                                 (default 20)
``LASER_POLICY_LOGIN_IP_REFILL_S`` seconds for one per-IP attempt to come back (default 3)
``LASER_POLICY_LOCKOUT_FAILURES`` wrong passwords in a row that lock an account (default 10;
                                 0 = never lock)
``LASER_POLICY_LOCKOUT_MINUTES`` how long a locked account stays locked (default 15); an
                                 admin unlocks it earlier (admin page, ``users unlock``)
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

#: keys once published in the source (a former built-in development key): never accepted
PUBLISHED_KEYS = frozenset({"laser-policy-development-secret-do-not-use-in-production"})
MIN_SECRET_LENGTH = 32
GENERATE_HINT = (
    "生成 / generate: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
)


@dataclass(frozen=True)
class WebSettings:
    """Everything the web app needs to start, validated by ``check()``."""

    env: Environment = "development"
    #: None = generated on first start and stored in the database (development only)
    secret_key: str | None = None
    database_url: str = "sqlite:///laser-policy.db"
    data_path: Path | None = None
    #: policy model folders in force (empty: the packaged 鄂政办发〔2024〕35号)
    models: tuple[Path, ...] = ()
    cookie_name: str = "lp_session"
    cookie_secure: bool = False
    session_max_age_s: int = 8 * 3600
    login_burst: int = 5
    login_refill_s: float = 60.0
    login_ip_burst: int = 20
    login_ip_refill_s: float = 3.0
    lockout_failures: int = 10
    lockout_s: float = 15 * 60.0
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
        models = tuple(
            Path(p) for p in env_map.get("LASER_POLICY_MODELS", "").split(os.pathsep) if p.strip()
        )
        settings = cls(
            env=env,
            secret_key=env_map.get("LASER_POLICY_SECRET_KEY", "") or None,
            database_url=database_url(env_map.get("LASER_POLICY_DB")),
            data_path=Path(data) if data else None,
            models=models,
            cookie_secure=secure,
            session_max_age_s=int(float(env_map.get("LASER_POLICY_SESSION_HOURS", "8")) * 3600),
            login_burst=int(env_map.get("LASER_POLICY_LOGIN_BURST", "5")),
            login_refill_s=float(env_map.get("LASER_POLICY_LOGIN_REFILL_S", "60")),
            login_ip_burst=int(env_map.get("LASER_POLICY_LOGIN_IP_BURST", "20")),
            login_ip_refill_s=float(env_map.get("LASER_POLICY_LOGIN_IP_REFILL_S", "3")),
            lockout_failures=int(env_map.get("LASER_POLICY_LOCKOUT_FAILURES", "10")),
            lockout_s=float(env_map.get("LASER_POLICY_LOCKOUT_MINUTES", "15")) * 60.0,
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean) if clean else settings  # type: ignore[arg-type]

    @classmethod
    def development(cls, **overrides: object) -> WebSettings:
        """Development settings with a fresh random secret (used by ``demo`` and tests)."""
        base = cls(secret_key=secrets.token_urlsafe(48))
        return replace(base, **overrides) if overrides else base  # type: ignore[arg-type]

    def check(self) -> None:
        """Refuse unsafe settings (raises ``UsageError``): a short or published key always,
        a missing key, insecure cookies or bad limits in production."""
        key = self.secret_key
        if key is not None and (key in PUBLISHED_KEYS or len(key) < MIN_SECRET_LENGTH):
            raise UsageError(
                "LASER_POLICY_SECRET_KEY 无效：至少32个字符，且不能是源码中公开过的密钥，"
                "拒绝启动 / LASER_POLICY_SECRET_KEY is unusable (≥ 32 characters, not a key "
                "published in the source): refusing to start. " + GENERATE_HINT
            )
        if self.env != "production":
            return
        if key is None:
            raise UsageError(
                "生产模式必须设置 LASER_POLICY_SECRET_KEY（至少32个字符），拒绝启动 / "
                "production mode needs LASER_POLICY_SECRET_KEY (≥ 32 characters): "
                "refusing to start. " + GENERATE_HINT
            )
        if not self.cookie_secure:
            raise UsageError(
                "生产模式下会话Cookie必须带Secure标志（LASER_POLICY_COOKIE_SECURE=1）/ "
                "production mode needs secure session cookies (LASER_POLICY_COOKIE_SECURE=1)"
            )
        if self.login_burst < 1 or self.login_refill_s <= 0:
            raise UsageError("登录限速参数无效 / invalid login rate-limit settings")
        if self.login_ip_burst < 1 or self.login_ip_refill_s <= 0:
            raise UsageError("按IP登录限速参数无效 / invalid per-IP login rate-limit settings")
        if self.lockout_failures < 0 or self.lockout_s <= 0:
            raise UsageError("账号锁定参数无效 / invalid lockout settings")

    @property
    def is_development(self) -> bool:
        return self.env == "development"
