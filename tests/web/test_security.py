"""CSRF, login rate limit, session cookie flags, production settings, audit log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, csrf_of, form_token, login, make_app

from laser_policy.errors import UsageError
from laser_policy.web import WebSettings, create_app
from laser_policy.web.auth import LoginRateLimiter, hash_password, verify_password
from laser_policy.web.data import WebData
from laser_policy.web.settings import PUBLISHED_KEYS
from laser_policy.web.state import AppState


def test_form_post_without_csrf_token_is_rejected(app: FastAPI) -> None:
    client = TestClient(app)
    client.get("/login")
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text
    wrong = client.post(
        "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert wrong.status_code == 403


def test_api_post_needs_the_csrf_header(app: FastAPI) -> None:
    client = TestClient(app)
    body = {"username": "admin", "password": PASSWORD}
    assert client.post("/api/login", json=body).status_code == 403
    token = csrf_of(client)
    response = client.post("/api/login", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert client.get("/api/me").json()["username"] == "admin"


def test_logout_needs_csrf_and_ends_the_session(client_for: Callable[[str], TestClient]) -> None:
    client = client_for("taskforce")
    assert client.post("/logout").status_code == 403
    page = client.get("/")
    out = client.post("/logout", data={"csrf_token": form_token(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/api/me").status_code == 401


def test_wrong_password_is_refused(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "admin", "password": "nope-nope", "csrf_token": form_token(page.text)},
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text


def test_login_is_rate_limited_per_ip_and_user(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    app = make_app(
        tmp_path,
        package_dir,
        web_data,
        only=("city", "taskforce"),
        login_burst=3,
        login_refill_s=3600.0,
    )
    client = TestClient(app)
    token = form_token(client.get("/login").text)
    codes = [
        client.post(
            "/login", data={"username": "city", "password": "wrong-password", "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    # even the right password is refused while the bucket is empty
    right = client.post(
        "/login", data={"username": "city", "password": PASSWORD, "csrf_token": token}
    )
    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) > 0
    # another user from the same address is not affected
    login(client, "taskforce")


def test_token_bucket_refills_with_time() -> None:
    now = [0.0]
    limiter = LoginRateLimiter(burst=2, refill_s=10.0, clock=lambda: now[0])
    assert limiter.take("1.2.3.4", "a") == 0
    assert limiter.take("1.2.3.4", "A ") == 0  # same user, case and spaces ignored
    assert limiter.take("1.2.3.4", "a") == pytest.approx(10.0)
    now[0] = 10.0
    assert limiter.take("1.2.3.4", "a") == 0
    assert limiter.take("5.6.7.8", "a") == 0


def test_passwords_are_argon2_hashed() -> None:
    stored = hash_password("s3cret-pass")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "s3cret-pass")
    assert not verify_password(stored, "S3cret-pass")
    assert not verify_password("not-a-hash", "s3cret-pass")


def test_session_cookie_flags(tmp_path: Path, package_dir: Path, web_data: WebData) -> None:
    app = make_app(tmp_path, package_dir, web_data, only=("admin",), cookie_secure=True)
    client = TestClient(app, base_url="https://testserver")
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "admin", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers.get("set-cookie", "")
    assert "httponly" in cookie.lower()
    assert "secure" in cookie.lower()
    assert "samesite=lax" in cookie.lower()


def test_production_refuses_missing_or_default_secret() -> None:
    with pytest.raises(UsageError, match="LASER_POLICY_SECRET_KEY"):
        WebSettings.from_env({"LASER_POLICY_ENV": "production"}).check()
    with pytest.raises(UsageError):
        WebSettings.from_env(
            {"LASER_POLICY_ENV": "production", "LASER_POLICY_SECRET_KEY": min(PUBLISHED_KEYS)}
        ).check()
    with pytest.raises(UsageError):
        create_app(
            WebSettings.from_env(
                {"LASER_POLICY_ENV": "production", "LASER_POLICY_SECRET_KEY": "short"}
            )
        )
    good = WebSettings.from_env(
        {"LASER_POLICY_ENV": "production", "LASER_POLICY_SECRET_KEY": "x" * 48}
    )
    good.check()
    assert good.cookie_secure
    with pytest.raises(UsageError, match="development or production"):
        WebSettings.from_env({"LASER_POLICY_ENV": "staging"})


def test_writes_are_audited(client_for: Callable[[str], TestClient], app: FastAPI) -> None:
    client = client_for("dept")
    page = client.get("/")
    client.post("/logout", data={"csrf_token": form_token(page.text)})
    state: AppState = app.state.lp
    log = state.accounts.audit_log(limit=50)
    actions = [(e["action"], e["username"], e["status"]) for e in log]
    assert ("POST /logout", "dept", 303) in actions
    assert ("POST /login", "dept", 303) in actions
