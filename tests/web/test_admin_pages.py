"""账号管理 and 审计 pages: admin only; create, edit scope, disable, enable, reset, unlock;
each action audited and shown on the audit page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of, form_token, login, make_app, own_enterprise

from laser_policy.web.data import WebData


@pytest.fixture
def app(tmp_path: Path, package_dir: Path, web_data: WebData) -> Iterator[FastAPI]:
    made = make_app(tmp_path, package_dir, web_data, login_burst=100, lockout_failures=3)
    yield made
    made.state.lp.accounts.engine.dispose()


def _post(client: TestClient, url: str, **fields: str) -> object:
    token = form_token(client.get("/admin").text)
    return client.post(url, data={**fields, "csrf_token": token}, follow_redirects=False)


def test_only_the_admin_sees_the_admin_and_audit_pages(app: FastAPI) -> None:
    for name in ("taskforce", "dept", "city", "firm"):
        with TestClient(app) as client:
            login(client, name)
            assert client.get("/admin").status_code == 403
            assert client.get("/admin/audit").status_code == 403
            assert client.get("/api/admin/users").status_code == 403
            assert 'id="nav-admin"' not in client.get("/").text
    with TestClient(app) as client:
        login(client, "admin")
        page = client.get("/admin")
        assert page.status_code == 200
        assert "账号管理" in page.text
        assert 'data-user="city"' in page.text


def test_the_admin_creates_edits_disables_and_resets(app: FastAPI, web_data: WebData) -> None:
    with TestClient(app) as admin, TestClient(app) as other:
        login(admin, "admin")
        made = _post(admin, "/admin/users", username="Yichang", role="city", city="宜昌",
                     password="river-long-pass-77")
        assert made.status_code == 303  # type: ignore[attr-defined]
        dup = _post(admin, "/admin/users", username="YICHANG", role="city", city="宜昌",
                    password="river-long-pass-77")
        assert dup.status_code == 400  # type: ignore[attr-defined]
        assert "已存在" in dup.text  # type: ignore[attr-defined]
        temp = _post(admin, "/admin/users", username="qiye2", role="enterprise",
                     uscc=own_enterprise(web_data))
        assert temp.status_code == 200  # type: ignore[attr-defined]
        assert 'id="issued-password"' in temp.text  # type: ignore[attr-defined]

        login(other, "yichang", "river-long-pass-77")
        assert other.get("/api/me").json()["city"] == "宜昌市"
        edited = _post(admin, "/admin/users/yichang/edit", role="city", city="武汉")
        assert edited.status_code == 303  # type: ignore[attr-defined]
        assert other.get("/api/me").status_code == 401  # scope changed: session ended
        login(other, "yichang", "river-long-pass-77")
        assert other.get("/api/me").json()["city"] == "武汉市"

        assert _post(admin, "/admin/users/yichang/disable").status_code == 303  # type: ignore[attr-defined]
        assert other.get("/api/me").status_code == 401
        assert _post(admin, "/admin/users/yichang/enable").status_code == 303  # type: ignore[attr-defined]
        reset = _post(admin, "/admin/users/yichang/reset")
        text = reset.text  # type: ignore[attr-defined]
        temporary = text.split('id="issued-password">')[1].split("<")[0]
        login(other, "yichang", temporary)
        assert other.get("/api/me").json()["must_change_password"] is True
        own = _post(admin, "/admin/users/admin/disable")
        assert own.status_code == 400  # type: ignore[attr-defined]

        audit = admin.get("/admin/audit?action=user.").text
        for action in ("user.create", "user.update", "user.disable", "user.enable",
                       "user.reset"):
            assert action in audit
        assert "yichang" in audit


def test_the_admin_unlocks_a_locked_account(app: FastAPI) -> None:
    with TestClient(app) as client:
        token = form_token(client.get("/login").text)
        for _ in range(3):
            client.post("/login", data={"username": "city", "password": "wrong-password",
                                        "csrf_token": token})
    with TestClient(app) as admin:
        login(admin, "admin")
        page = admin.get("/admin").text
        assert "已锁定" in page
        assert _post(admin, "/admin/users/city/unlock").status_code == 303  # type: ignore[attr-defined]
    with TestClient(app) as client:
        login(client, "city")


def test_the_admin_api_twins(app: FastAPI) -> None:
    with TestClient(app) as admin:
        login(admin, "admin")
        headers = {"X-CSRF-Token": csrf_of(admin)}
        made = admin.post("/api/admin/users", headers=headers,
                          json={"username": "jxt2", "role": "department", "unit": "省科技厅"})
        assert made.status_code == 200
        temporary = made.json()["temporary_password"]
        assert temporary
        bad = admin.post("/api/admin/users", headers=headers,
                         json={"username": "x y", "role": "city", "city": "长沙",
                               "password": "12345678"})
        assert bad.status_code == 400
        assert "用户名" in bad.json()["detail"]
        assert "市州无效" in bad.json()["detail"]
        users = {u["username"]: u for u in admin.get("/api/admin/users").json()}
        assert users["jxt2"]["unit"] == "省科技厅"
        assert users["jxt2"]["must_change_password"] is True
        done = admin.post("/api/admin/users/jxt2/disable", headers=headers)
        assert done.status_code == 200
        log = admin.get("/api/admin/audit?action=user.").json()
        assert log[0]["action"] == "user.disable"
        assert log[0]["username"] == "admin"
