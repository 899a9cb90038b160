"""基金与担保: the page and its JSON twin, within each role's scope (a city sees its own
firms, an enterprise its own rows), over the small funds package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import login, make_app

from fund_packages import CODES, fund_tables
from laser_policy.web.data import load_package


def write_funds_package(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in fund_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8-sig")
    return folder


@pytest.fixture(scope="module")
def funds_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder = write_funds_package(tmp_path_factory.mktemp("fundpkg") / "pkg")
    return make_app(tmp_path_factory.mktemp("fundapp"), folder, load_package(folder),
                    login_burst=10_000)


@pytest.fixture(scope="module")
def clients(funds_app: FastAPI) -> Iterator[dict[str, TestClient]]:
    made = {}
    for name in ("taskforce", "city", "firm"):
        made[name] = TestClient(funds_app)
        login(made[name], name)
    yield made
    for c in made.values():
        c.close()


def test_taskforce_sees_every_fund_and_guarantee(clients: dict[str, TestClient]) -> None:
    data = clients["taskforce"].get("/api/funds").json()
    assert {f["fund"]: f["amount_wan"] for f in data["funds"]} == {
        "provincial_guidance_fund": 10_000, "chutian_fengming": 5_000,
        "optics_valley_laser_fund": 50_000}
    assert data["guarantees"][-1]["count"] == 4
    assert data["guarantees"][-1]["default_rate"] == pytest.approx(0.25)
    assert len(data["investments"]) == 4
    assert data["attracted_firms"] == 3
    assert [r["output_yi"] for r in data["related_output"]] == [4500, 4400]
    page = clients["taskforce"].get("/funds")
    assert page.status_code == 200
    assert "光谷激光产业发展基金" in page.text
    assert "代偿率" in page.text
    assert 'id="chart-funds"' in page.text


def test_a_city_sees_its_own_firms_only(clients: dict[str, TestClient]) -> None:
    data = clients["city"].get("/api/funds").json()  # 武汉市: CODES[0] and CODES[1]
    assert {i["uscc"] for i in data["investments"]} == {CODES[0], CODES[1]}
    assert sum(f["amount_wan"] for f in data["funds"]) == 60_000
    assert {g["uscc"] for g in data["guarantee_items"]} == {CODES[0], CODES[1]}
    assert {a["city"] for a in data["attracted"]} == {"武汉市"}
    page = clients["city"].get("/funds").text
    assert CODES[2] not in page
    assert "襄阳市" not in page


def test_an_enterprise_sees_its_own_rows_only(clients: dict[str, TestClient]) -> None:
    data = clients["firm"].get("/api/funds").json()
    assert {i["uscc"] for i in data["investments"]} == {CODES[0]}
    assert {g["uscc"] for g in data["guarantee_items"]} == {CODES[0]}
    assert data["attracted"] == []
