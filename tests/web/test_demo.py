"""``laser-policy demo``: sample data into a fresh database, one account per role, app up."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.web.conftest import form_token

from laser_policy.cli.web import build_demo, demo
from laser_policy.store.db import current_revision, head_revision
from laser_policy.web import WebSettings, create_app

ENTERPRISES = 60


def _login(client: TestClient, username: str, password: str) -> int:
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code


def test_demo_database_serves_every_role(tmp_path: Path) -> None:
    _data, db_file, accounts = build_demo(tmp_path, ENTERPRISES, 500, 1)
    url = f"sqlite:///{db_file}"
    assert current_revision(url) == head_revision()
    assert {acc.role for acc, _ in accounts} == {
        "admin",
        "taskforce",
        "department",
        "city",
        "enterprise",
    }
    app = create_app(WebSettings.development(database_url=url, synthetic=True))
    for acc, password in accounts:
        with TestClient(app) as client:
            assert _login(client, acc.username, "wrong-password") == 401
            assert _login(client, acc.username, password) == 303
            page = client.get("/")
            assert page.status_code == 200
            assert "示例数据（合成）" in page.text
            assert len(client.get("/api/overview").json()["map"]) == 17
            total = client.get("/api/enterprises").json()["total"]
            if acc.role == "enterprise":
                assert total == 1
            elif acc.role != "city":
                assert total == ENTERPRISES
    # a second run with force starts from a fresh database (old accounts gone)
    _data, _db, again = build_demo(tmp_path, ENTERPRISES, 0, 2, force=True)
    assert {a.username for a, _ in again} == {a.username for a, _ in accounts}


def test_demo_command_prints_the_accounts(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        demo,
        [
            "--dir",
            str(tmp_path),
            "--enterprises",
            str(ENTERPRISES),
            "--transactions",
            "0",
            "--no-serve",
        ],
    )
    assert result.exit_code == 0, result.output
    for username in ("admin", "taskforce", "jxt", "wuhan", "qiye"):
        assert username in result.output
    assert "示例数据（合成）" in result.output
