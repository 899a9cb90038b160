"""Bad input gives a clean 4xx on both databases, never a 500: a NUL byte (login name,
reject reason, query), ledger ids beyond 32/64 bits. These refusals and any 500 are in the
web audit log, and no internal detail reaches the user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, csrf_of, form_token, login

from laser_policy.web import WebSettings, create_app
from laser_policy.web.accounts import NewUser
from laser_policy.web.auth import Role
from laser_policy.web.deps import CurrentUser
from laser_policy.web.state import AppState


@pytest.fixture
def served(db_url: str, package_dir: Path) -> Iterator[FastAPI]:
    app = create_app(WebSettings.development(database_url=db_url, data_path=package_dir))
    state: AppState = app.state.lp
    state.accounts.create_user(NewUser("taskforce", PASSWORD, Role.TASKFORCE))
    yield app
    state.accounts.engine.dispose()


def _audit(app: FastAPI) -> list[tuple[str, int | None]]:
    return [(e["action"], e["status"]) for e in app.state.lp.accounts.audit_log(limit=50)]


def test_a_nul_in_the_login_name_is_a_clean_refusal(served: FastAPI) -> None:
    with TestClient(served, raise_server_exceptions=False) as client:
        token = form_token(client.get("/login").text)
        form = client.post("/login", data={"username": "admin\x00", "password": "x" * 12,
                                           "csrf_token": token})
        assert form.status_code == 400
        api = client.post("/api/login", headers={"X-CSRF-Token": csrf_of(client)},
                          json={"username": "ad\x00min", "password": "x" * 12})
        assert api.status_code == 400
        assert "NUL" in api.json()["detail"]
    assert ("POST /login", 400) in _audit(served)
    assert ("POST /api/login", 400) in _audit(served)


def test_a_nul_in_a_reject_reason_is_refused_and_nothing_changes(served: FastAPI) -> None:
    with TestClient(served, raise_server_exceptions=False) as client:
        login(client, "taskforce")
        headers = {"X-CSRF-Token": csrf_of(client)}
        assert client.post("/api/incentives/compute", headers=headers).status_code == 200
        first = client.get("/api/incentives").json()["items"][0]["id"]
        refused = client.post("/api/incentives/transition", headers=headers,
                              json={"action": "reject", "ids": [first], "reason": "无\x00效"})
        assert refused.status_code == 400
        token = form_token(client.get("/incentives").text)
        form = client.post("/incentives/transition", data={
            "action": "reject", "ids": [str(first)], "reason": "无\x00效", "csrf_token": token})
        assert form.status_code == 400
        rows = client.get("/api/incentives").json()["items"]
        assert next(r for r in rows if r["id"] == first)["status"] == "computed"
    assert ("POST /api/incentives/transition", 400) in _audit(served)


@pytest.mark.parametrize("big", [2**40, 2**64, 2**70])
def test_ledger_ids_beyond_the_column_are_refused(served: FastAPI, big: int) -> None:
    with TestClient(served, raise_server_exceptions=False) as client:
        login(client, "taskforce")
        headers = {"X-CSRF-Token": csrf_of(client)}
        api = client.post("/api/incentives/transition", headers=headers,
                          json={"action": "review", "ids": [big]})
        assert api.status_code == 422
        token = form_token(client.get("/incentives").text)
        form = client.post("/incentives/transition", data={
            "action": "review", "ids": [str(big)], "csrf_token": token})
        assert form.status_code == 200
        assert "台账编号无效" in form.text
        assert client.get(f"/api/incentives?page={big}").status_code == 422
    assert ("POST /api/incentives/transition", 422) in _audit(served)


def test_a_nul_in_a_query_is_refused(served: FastAPI) -> None:
    with TestClient(served, raise_server_exceptions=False) as client:
        login(client, "taskforce")
        for url in ("/enterprises?q=a%00b", "/api/enterprises?q=a%00b", "/incentives?q=%00",
                    "/enterprises/9142%00"):
            assert client.get(url).status_code == 400, url
    assert ("GET /enterprises", 400) in _audit(served)


def test_a_500_is_audited_and_shows_no_internal_detail(served: FastAPI) -> None:
    def broken(user: CurrentUser) -> None:
        raise RuntimeError("/tmp/upload-x1y2/secret.zip: FOREIGN KEY constraint failed")

    served.add_api_route("/api/broken", broken)
    served.add_api_route("/broken", broken)
    with TestClient(served, raise_server_exceptions=False) as client:
        login(client, "taskforce")
        for url in ("/api/broken", "/broken"):
            response = client.get(url)
            assert response.status_code == 500
            assert "FOREIGN KEY" not in response.text
            assert "/tmp/" not in response.text
            assert "服务器内部错误" in response.text
    entries = served.state.lp.accounts.audit_log(limit=10)
    broken_entries = [e for e in entries if e["action"] == "GET /broken"]
    assert broken_entries[0]["status"] == 500
    assert broken_entries[0]["username"] == "taskforce"
    assert broken_entries[0]["detail"]["error"] == "RuntimeError"
