"""The session-cookie key: never one published in the source; generated once, stored in the
database and shared by restarts and by every app (worker) on that database."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from tests.web.conftest import PASSWORD, login

from laser_policy.errors import UsageError
from laser_policy.web import WebSettings, create_app
from laser_policy.web.accounts import NewUser
from laser_policy.web.auth import Role
from laser_policy.web.state import AppState

#: the key the source once shipped as the development default
PUBLISHED_KEY = "laser-policy-development-secret-do-not-use-in-production"
COOKIE = "lp_session"


def _serve_app(db_url: str, package_dir: Path) -> FastAPI:
    """The app as ``laser-policy serve --db URL`` builds it with no LASER_POLICY_* set."""
    return create_app(WebSettings.from_env({}, database_url=db_url, data_path=package_dir))


def _add_admin(app: FastAPI) -> int:
    state: AppState = app.state.lp
    return state.accounts.create_user(NewUser("admin", PASSWORD, Role.ADMIN)).user_id


def _forged(session: dict[str, object], key: str = PUBLISHED_KEY) -> str:
    """A cookie as Starlette's SessionMiddleware signs it, with ``key``."""
    data = base64.b64encode(json.dumps(session).encode())
    return TimestampSigner(key).sign(data).decode()


def test_a_cookie_signed_with_the_published_key_is_refused(
    tmp_path: Path, package_dir: Path
) -> None:
    app = _serve_app(f"sqlite:///{tmp_path / 'serve.db'}", package_dir)
    uid = _add_admin(app)
    with TestClient(app) as client:
        for session in ({"uid": uid}, {"uid": uid, "sid": "x" * 43}):
            client.cookies.set(COOKIE, _forged(session))
            assert client.get("/api/me").status_code == 401
            page = client.get("/incentives", follow_redirects=False)
            assert page.status_code == 303
            assert page.headers["location"].startswith("/login")


def test_the_published_key_is_refused_even_when_configured() -> None:
    with pytest.raises(UsageError, match="LASER_POLICY_SECRET_KEY"):
        WebSettings.from_env({"LASER_POLICY_SECRET_KEY": PUBLISHED_KEY}).check()
    with pytest.raises(UsageError, match="LASER_POLICY_SECRET_KEY"):
        WebSettings.from_env({"LASER_POLICY_SECRET_KEY": "short"}).check()


def test_the_stored_key_survives_a_restart(tmp_path: Path, package_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    first = _serve_app(url, package_dir)
    _add_admin(first)
    with TestClient(first) as client:
        login(client, "admin")
        cookie = client.cookies.get(COOKIE)
    first.state.lp.accounts.engine.dispose()
    restarted = _serve_app(url, package_dir)
    with TestClient(restarted) as client:
        client.cookies.set(COOKIE, cookie or "")
        me = client.get("/api/me")
        assert me.status_code == 200
        assert me.json()["username"] == "admin"


def test_two_apps_on_one_database_share_the_key(db_url: str, package_dir: Path) -> None:
    one, two = _serve_app(db_url, package_dir), _serve_app(db_url, package_dir)
    assert one.state.lp.accounts.stored_secret() == two.state.lp.accounts.stored_secret()
    _add_admin(one)
    with TestClient(one) as a, TestClient(two) as b:
        login(a, "admin")
        b.cookies.set(COOKIE, a.cookies.get(COOKIE) or "")
        assert b.get("/api/me").json()["username"] == "admin"
    for app in (one, two):
        app.state.lp.accounts.engine.dispose()


def test_the_stored_key_is_random_per_database(tmp_path: Path) -> None:
    keys = {
        create_app(
            WebSettings.from_env({}, database_url=f"sqlite:///{tmp_path / f'{i}.db'}")
        ).state.lp.accounts.stored_secret()
        for i in range(2)
    }
    assert len(keys) == 2
    assert all(len(k) >= 48 for k in keys)
