"""Shared fixtures: a fixture data package, an app with one user per role, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.fixture_package import write_fixture_package

from laser_policy.web import WebSettings, create_app
from laser_policy.web.accounts import NewUser
from laser_policy.web.auth import Role
from laser_policy.web.data import WebData, load_package
from laser_policy.web.state import AppState

PASSWORD = "correct-horse-battery"
DEPARTMENT_UNIT = "省经信厅"
CITY = "武汉市"


@pytest.fixture(scope="session")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture_package(tmp_path_factory.mktemp("pkg"))


@pytest.fixture(scope="session")
def web_data(package_dir: Path) -> WebData:
    return load_package(package_dir)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic sample package WITH transactions, offers and demands (chain pages)."""
    from laser_policy.sample import write_sample

    out = tmp_path_factory.mktemp("sample") / "pkg"
    write_sample(out, enterprises=120, transactions=2000, seed=3)
    return out


def own_enterprise(data: WebData) -> str:
    """The enterprise the enterprise account belongs to: the first one in Wuhan."""
    return str(data.enterprises[data.enterprises["city"] == CITY].iloc[0]["uscc"])


def other_enterprise(data: WebData) -> str:
    """An enterprise outside Wuhan."""
    return str(data.enterprises[data.enterprises["city"] != CITY].iloc[0]["uscc"])


def make_app(
    tmp: Path, package_dir: Path, data: WebData, only: tuple[str, ...] = (), **overrides: object
) -> FastAPI:
    """An app over the fixture package with one user per role (or just those in ``only``).

    The per-IP login limit is generous unless a test sets ``login_ip_burst``: every
    test client logs in from the same address."""
    overrides.setdefault("login_ip_burst", 10_000)
    settings = replace(
        WebSettings.development(database_url=f"sqlite:///{tmp / 'web.db'}", data_path=package_dir),
        **overrides,
    )
    app = create_app(settings)
    state: AppState = app.state.lp
    users = [
        NewUser("admin", PASSWORD, Role.ADMIN, "管理员"),
        NewUser("taskforce", PASSWORD, Role.TASKFORCE, "工作专班"),
        NewUser("dept", PASSWORD, Role.DEPARTMENT, DEPARTMENT_UNIT, unit=DEPARTMENT_UNIT),
        NewUser("city", PASSWORD, Role.CITY, CITY, city=CITY),
        NewUser("firm", PASSWORD, Role.ENTERPRISE, "企业", uscc=own_enterprise(data)),
    ]
    for user in users:
        if only and user.username not in only:
            continue
        state.accounts.create_user(user)
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData) -> FastAPI:
    """One app for the read-only tests; a generous login burst (rate limits have their own)."""
    return make_app(tmp_path_factory.mktemp("app"), package_dir, web_data, login_burst=10_000)


def csrf_of(client: TestClient) -> str:
    token = client.get("/api/csrf").json()["csrf_token"]
    assert isinstance(token, str)
    return token


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": form_token(page.text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        login(client, username)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def app_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def api_schema(app: FastAPI) -> object:
    import schemathesis

    return schemathesis.openapi.from_asgi("/openapi.json", app)


@contextmanager
def logged_in(app: FastAPI, usernames: Iterable[str]) -> Iterator[dict[str, TestClient]]:
    """One logged-in client per user name, closed afterwards."""
    made = {}
    for name in usernames:
        client = TestClient(app)
        login(client, name)
        made[name] = client
    try:
        yield made
    finally:
        for client in made.values():
            client.close()
