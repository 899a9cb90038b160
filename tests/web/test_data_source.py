"""The web app reads the store's database, and sees a new import without a restart."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, login
from tests.web.fixture_package import write_fixture_package

from laser_policy.store.importer import import_package
from laser_policy.web import WebSettings, create_app
from laser_policy.web.accounts import Accounts, NewUser, make_engine
from laser_policy.web.auth import Role
from laser_policy.web.data import provider_for


def test_pages_follow_the_database_after_an_import(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    first = write_fixture_package(tmp_path / "one", n=20)
    import_package(first, url, user="test")
    settings = WebSettings.development(database_url=url)
    engine = make_engine(url)
    app = create_app(settings, data=provider_for(None, url, engine, probe_every_s=0.0))
    Accounts(engine).create_user(NewUser("tf", PASSWORD, Role.TASKFORCE))
    with TestClient(app) as client:
        login(client, "tf")
        assert client.get("/api/enterprises").json()["total"] == 20
        second = write_fixture_package(tmp_path / "two", n=30)
        import_package(second, url, user="test")
        listing = client.get("/api/enterprises", params={"page_size": 200}).json()
        assert listing["total"] == 30
        expected = pd.read_csv(second / "enterprises.csv")["uscc"]
        assert {r["uscc"] for r in listing["items"]} == set(expected)
        assert client.get("/api/overview").json()["synthetic"] is True


def test_an_empty_database_renders(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    app = create_app(WebSettings.development(database_url=url))
    Accounts(make_engine(url)).create_user(NewUser("tf", PASSWORD, Role.TASKFORCE))
    with TestClient(app) as client:
        login(client, "tf")
        assert client.get("/").status_code == 200
        body = client.get("/api/overview").json()
        assert body["kpis"]["enterprises"] == 0
        assert client.get("/enterprises").status_code == 200
