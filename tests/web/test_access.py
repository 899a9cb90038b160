"""Roles see what access.py says, through pages and the API alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import CITY, other_enterprise, own_enterprise

from laser_policy.web.data import WebData

ROLES = ("admin", "taskforce", "dept", "city", "firm")


def test_anonymous_api_is_401_and_pages_redirect_to_login(app: FastAPI) -> None:
    client = TestClient(app)
    assert client.get("/api/overview").status_code == 401
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_overview(client_for: Callable[[str], TestClient], role: str) -> None:
    client = client_for(role)
    assert client.get("/").status_code == 200
    body = client.get("/api/overview").json()
    assert len(body["map"]) == 17


def test_city_sees_only_its_enterprises(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    client = client_for("city")
    listing = client.get("/api/enterprises", params={"page_size": 200}).json()
    expected = int((web_data.enterprises["city"] == CITY).sum())
    assert listing["total"] == expected
    assert {row["city"] for row in listing["items"]} == {CITY}
    other = other_enterprise(web_data)
    assert client.get(f"/api/enterprises/{other}").status_code == 404
    assert client.get(f"/enterprises/{other}").status_code == 404
    overview = client.get("/api/overview").json()
    assert overview["kpis"]["enterprises"] == expected
    assert all(c["enterprises"] == 0 for c in overview["map"] if c["city"] != CITY)


def test_enterprise_sees_only_itself(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    client = client_for("firm")
    own = own_enterprise(web_data)
    listing = client.get("/api/enterprises").json()
    assert [row["uscc"] for row in listing["items"]] == [own]
    assert client.get(f"/api/enterprises/{own}").status_code == 200
    assert client.get(f"/enterprises/{own}").status_code == 200
    for uscc in web_data.enterprises["uscc"]:
        if uscc != own:
            assert client.get(f"/api/enterprises/{uscc}").status_code == 404
    other = other_enterprise(web_data)
    assert client.get(f"/enterprises/{other}").status_code == 404


def test_taskforce_sees_everything(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    client = client_for("taskforce")
    listing = client.get("/api/enterprises").json()
    assert listing["total"] == len(web_data.enterprises)
    assert client.get(f"/api/enterprises/{other_enterprise(web_data)}").status_code == 200


def test_department_measures_flagged_by_unit(client_for: Callable[[str], TestClient]) -> None:
    from laser_policy.policy.model import load_policy

    model = load_policy()
    mine = {m.number for m in model.measures if "省经信厅" in m.units}
    body = client_for("dept").get("/api/policy").json()
    assert len(body["measures"]) == len(model.measures)
    assert {m["number"] for m in body["measures"] if m["mine"]} == mine
    assert mine, "the fixture unit should lead or share some measures"
