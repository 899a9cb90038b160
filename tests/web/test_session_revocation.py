"""Sessions live in the database: a copied cookie stops working at logout, when the
account is disabled and when its password changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import form_token, login, make_app

from laser_policy.web.data import WebData
from laser_policy.web.state import AppState

COOKIE = "lp_session"


@pytest.fixture
def small_app(tmp_path: Path, package_dir: Path, web_data: WebData) -> Iterator[FastAPI]:
    app = make_app(tmp_path, package_dir, web_data, only=("admin", "city"), login_burst=100)
    yield app
    app.state.lp.accounts.engine.dispose()


def _copy(app: FastAPI, client: TestClient) -> TestClient:
    """A second client holding a copy of ``client``'s session cookie."""
    thief = TestClient(app)
    thief.cookies.set(COOKIE, client.cookies.get(COOKIE) or "")
    return thief


def test_a_copied_cookie_stops_working_at_logout(small_app: FastAPI) -> None:
    with TestClient(small_app) as client:
        login(client, "city")
        thief = _copy(small_app, client)
        assert thief.get("/api/me").status_code == 200
        token = form_token(client.get("/").text)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 200
        assert thief.get("/api/me").status_code == 401
        assert thief.get("/enterprises", follow_redirects=False).status_code == 303


def test_api_logout_revokes_the_session_too(small_app: FastAPI) -> None:
    with TestClient(small_app) as client:
        login(client, "city")
        thief = _copy(small_app, client)
        csrf = client.get("/api/csrf").json()["csrf_token"]
        assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
        assert thief.get("/api/me").status_code == 401


def test_disabling_an_account_ends_its_open_sessions_at_once(small_app: FastAPI) -> None:
    state: AppState = small_app.state.lp
    with TestClient(small_app) as client:
        login(client, "city")
        assert client.get("/api/me").status_code == 200
        state.accounts.set_active("city", False)
        assert client.get("/api/me").status_code == 401
        state.accounts.set_active("city", True)
        assert client.get("/api/me").status_code == 401  # re-enabling does not revive it
        login(client, "city")
        assert client.get("/api/me").status_code == 200


def test_a_password_change_ends_the_other_sessions(small_app: FastAPI) -> None:
    state: AppState = small_app.state.lp
    with TestClient(small_app) as client:
        login(client, "city")
        state.accounts.change_password("city", "another-long-passphrase")
        assert client.get("/api/me").status_code == 401
        login(client, "city", "another-long-passphrase")
        assert client.get("/api/me").status_code == 200


def test_an_expired_session_is_refused_by_the_server(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    app = make_app(tmp_path, package_dir, web_data, only=("city",), session_max_age_s=1)
    state: AppState = app.state.lp
    now = state.accounts.clock()
    state.accounts.clock = lambda: now  # time stands still until we move it (a slow machine)
    with TestClient(app) as client:
        login(client, "city")
        cookie = client.cookies.get(COOKIE)
        assert client.get("/api/me").status_code == 200
        later = now + 5
        state.accounts.clock = lambda: later
        client.cookies.set(COOKIE, cookie or "")
        assert client.get("/api/me").status_code == 401
