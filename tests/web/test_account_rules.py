"""Accounts: password policy, names as identities, lockout, per-IP limit, own password
change, forced change after a reset, every admin action audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, form_token, login, make_app

from laser_policy.errors import InputError
from laser_policy.web.accounts import Accounts, NewUser, make_engine
from laser_policy.web.auth import Role
from laser_policy.web.data import WebData
from laser_policy.web.passwords import normalise_username, password_problems, username_problems
from laser_policy.web.state import AppState


@pytest.fixture
def accounts(db_url: str) -> Iterator[Accounts]:
    acc = Accounts(make_engine(db_url), lockout_failures=3, lockout_s=600)
    acc.ensure_schema()
    yield acc
    acc.engine.dispose()


@pytest.mark.parametrize(
    "password", ["12345678", "password", " " * 12, "1234567890", "Password123", "aaaaaaaaaaaa",
                 "short", "ＰＡＳＳＷＯＲＤ１２３"]
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problems(password, "wang")


def test_create_user_applies_the_password_policy(accounts: Accounts) -> None:
    with pytest.raises(InputError, match="密码过于常见"):
        accounts.create_user(NewUser("wang", "password123", Role.TASKFORCE))


def test_a_password_containing_the_user_name_is_refused() -> None:
    assert password_problems("zhangsan2024!", "ZhangSan")
    assert not password_problems("correct-horse-battery", "zhangsan")


def test_look_alike_names_of_an_existing_account_are_refused(accounts: Accounts) -> None:
    accounts.create_user(NewUser("admin", PASSWORD, Role.ADMIN))
    for name in ("ADMIN", "Ａｄｍｉｎ", "admin "):
        with pytest.raises(InputError, match="已存在"):
            accounts.create_user(NewUser(name, PASSWORD, Role.ADMIN))


@pytest.mark.parametrize("name", ["li si", "li\x00si", "li\tsi", "li\u200bsi", "", "=cmd"])
def test_names_with_spaces_or_control_characters_are_refused(name: str) -> None:
    assert username_problems(normalise_username(name))


def test_create_user_applies_the_name_rule(accounts: Accounts) -> None:
    with pytest.raises(InputError, match="用户名"):
        accounts.create_user(NewUser("li\x00si", PASSWORD, Role.TASKFORCE))


def test_names_are_stored_normalised_and_log_in_in_any_case_or_width(
    accounts: Accounts,
) -> None:
    created = accounts.create_user(NewUser("Alice", PASSWORD, Role.TASKFORCE))
    assert created.username == "alice"
    assert normalise_username("Ａｌｉｃｅ") == "alice"
    assert accounts.authenticate("ＡＬＩＣＥ", PASSWORD) == created
    assert accounts.authenticate("ali\x00ce", PASSWORD) is None


def test_scope_fields_are_checked(accounts: Accounts) -> None:
    with pytest.raises(InputError, match="市州无效"):
        accounts.create_user(NewUser("c1", PASSWORD, Role.CITY, city="长沙市"))
    with pytest.raises(InputError, match="信用代码无效"):
        accounts.create_user(NewUser("e1", PASSWORD, Role.ENTERPRISE, uscc="123"))
    with pytest.raises(InputError, match="单位"):
        accounts.create_user(NewUser("d1", PASSWORD, Role.DEPARTMENT))


def test_repeated_failures_lock_the_account_until_the_set_time(accounts: Accounts) -> None:
    accounts.create_user(NewUser("wang", PASSWORD, Role.TASKFORCE))
    for _ in range(3):
        assert accounts.authenticate("wang", "wrong-password-x") is None
    assert accounts.authenticate("wang", PASSWORD) is None  # locked: right password refused
    assert [a.locked for a in accounts.accounts()] == [True]
    start = accounts.clock()
    accounts.clock = lambda: start + 601
    assert accounts.authenticate("wang", PASSWORD) is not None
    assert [e["action"] for e in accounts.audit_log()][:1] == ["user.locked"]


def test_an_admin_unlocks_a_locked_account(accounts: Accounts) -> None:
    admin = accounts.create_user(NewUser("root", PASSWORD, Role.ADMIN))
    accounts.create_user(NewUser("wang", PASSWORD, Role.TASKFORCE))
    for _ in range(3):
        accounts.authenticate("wang", "wrong-password-x")
    assert accounts.authenticate("wang", PASSWORD) is None
    accounts.unlock("wang", admin)
    assert accounts.authenticate("wang", PASSWORD) is not None
    entry = accounts.audit_log()[0]
    assert (entry["action"], entry["username"], entry["target"]) == (
        "user.unlock", "root", "user:wang"
    )


def test_a_success_resets_the_failure_count(accounts: Accounts) -> None:
    accounts.create_user(NewUser("wang", PASSWORD, Role.TASKFORCE))
    for _ in range(5):
        assert accounts.authenticate("wang", "wrong-password-x") is None
        assert accounts.authenticate("wang", "wrong-password-y") is None
        assert accounts.authenticate("wang", PASSWORD) is not None


def test_every_admin_action_is_audited(accounts: Accounts) -> None:
    admin = accounts.create_user(NewUser("root", PASSWORD, Role.ADMIN))
    accounts.create_user(NewUser("wuhan", PASSWORD, Role.CITY, city="武汉"), admin)
    accounts.update_user("wuhan", role="city", city="宜昌", uscc=None, unit=None, actor=admin)
    accounts.set_active("wuhan", False, admin)
    accounts.set_active("wuhan", True, admin)
    accounts.reset_password("wuhan", admin)
    accounts.unlock("wuhan", admin)
    log = [(e["action"], e["username"]) for e in accounts.audit_log()]
    assert log[:6] == [
        ("user.unlock", "root"), ("user.reset", "root"), ("user.enable", "root"),
        ("user.disable", "root"), ("user.update", "root"), ("user.create", "root"),
    ]
    update = accounts.audit_log(action="user.update")[0]["detail"]
    assert update["before"]["city"] == "武汉市"
    assert update["after"]["city"] == "宜昌市"


@pytest.fixture
def web(tmp_path: Path, package_dir: Path, web_data: WebData) -> Iterator[FastAPI]:
    app = make_app(tmp_path, package_dir, web_data, only=("admin", "city"), login_burst=100,
                   login_ip_burst=100)
    yield app
    app.state.lp.accounts.engine.dispose()


def test_one_address_cannot_spray_many_user_names(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    app = make_app(tmp_path, package_dir, web_data, only=("city",), login_burst=5,
                   login_ip_burst=10, login_ip_refill_s=3600.0)
    with TestClient(app) as client:
        token = form_token(client.get("/login").text)
        codes = [
            client.post("/login", data={"username": f"user{i}", "password": "wrong-password",
                                        "csrf_token": token}).status_code
            for i in range(12)
        ]
        assert codes[:10] == [401] * 10
        assert codes[10:] == [429, 429]
        right = client.post("/login", data={"username": "city", "password": PASSWORD,
                                            "csrf_token": token})
        assert right.status_code == 429


def test_a_locked_account_is_refused_on_the_login_page(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    app = make_app(tmp_path, package_dir, web_data, only=("city",), login_burst=100,
                   lockout_failures=3)
    with TestClient(app) as client:
        token = form_token(client.get("/login").text)
        for _ in range(3):
            client.post("/login", data={"username": "city", "password": "wrong-password",
                                        "csrf_token": token})
        right = client.post("/login", data={"username": "city", "password": PASSWORD,
                                            "csrf_token": token})
        assert right.status_code == 401
        app.state.lp.accounts.unlock("city")
        login(client, "city")


def test_each_user_changes_their_own_password(web: FastAPI) -> None:
    with TestClient(web) as client, TestClient(web) as other:
        login(client, "city")
        login(other, "city")
        page = client.get("/account/password")
        assert page.status_code == 200
        assert 'id="password-form"' in page.text
        token = form_token(page.text)
        weak = client.post("/account/password", data={
            "current": PASSWORD, "new": "12345678", "confirm": "12345678", "csrf_token": token})
        assert weak.status_code == 400
        assert "密码" in weak.text
        wrong = client.post("/account/password", data={
            "current": "not-my-password", "new": "a-new-long-passphrase",
            "confirm": "a-new-long-passphrase", "csrf_token": token})
        assert wrong.status_code == 400
        done = client.post("/account/password", data={
            "current": PASSWORD, "new": "a-new-long-passphrase",
            "confirm": "a-new-long-passphrase", "csrf_token": token}, follow_redirects=False)
        assert done.status_code == 303
        assert client.get("/api/me").status_code == 200  # this session stays
        assert other.get("/api/me").status_code == 401  # the other one ended
        login(other, "city", "a-new-long-passphrase")


def test_a_reset_password_must_be_changed_at_the_next_login(web: FastAPI) -> None:
    state: AppState = web.state.lp
    temporary = state.accounts.reset_password("city")
    with TestClient(web) as client:
        login(client, "city", temporary)
        assert client.get("/api/me").json()["must_change_password"] is True
        page = client.get("/enterprises", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/account/password"
        assert client.get("/api/enterprises").status_code == 403
        csrf = client.get("/api/csrf").json()["csrf_token"]
        changed = client.post("/api/account/password", headers={"X-CSRF-Token": csrf},
                              json={"current": temporary, "new": "my-own-long-passphrase"})
        assert changed.status_code == 200
        assert client.get("/api/enterprises").status_code == 200


def test_the_last_active_admin_cannot_be_disabled_or_demoted(accounts: Accounts) -> None:
    accounts.create_user(NewUser("root", PASSWORD, Role.ADMIN))
    with pytest.raises(InputError, match="最后一个启用的管理员"):
        accounts.set_active("root", False)
    with pytest.raises(InputError, match="最后一个启用的管理员"):
        accounts.update_user("root", role="taskforce", city=None, uscc=None, unit=None)
    accounts.create_user(NewUser("second", PASSWORD, Role.ADMIN))
    accounts.set_active("root", False)
    assert [a.active for a in accounts.accounts()] == [False, True]
