"""措施 Measures: flags with reasons, reports; a department reports only on its own measures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import DEPARTMENT_UNIT, csrf_of, form_token, login, make_app

from laser_policy.policy.model import load_policy
from laser_policy.web.data import WebData


@pytest.fixture(scope="module")
def measures_app(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData
) -> FastAPI:
    return make_app(tmp_path_factory.mktemp("measures"), package_dir, web_data, login_burst=10_000)


@pytest.fixture(scope="module")
def dept(measures_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(measures_app) as client:
        login(client, "dept")
        yield client


def _own_and_other() -> tuple[Any, Any]:
    measures = load_policy().measures
    own = next(m for m in measures if DEPARTMENT_UNIT in m.units)
    other = next(m for m in measures if m.units and DEPARTMENT_UNIT not in m.units)
    return own, other


def test_every_measure_with_units_and_flags(dept: TestClient) -> None:
    ov = dept.get("/api/measures").json()
    model = load_policy()
    assert len(ov["measures"]) == len(model.measures)
    for row, m in zip(ov["measures"], model.measures, strict=True):
        assert row["lead_units"] == list(m.lead_units)
        assert row["can_report"] == (DEPARTMENT_UNIT in m.units)
        assert all(f["reason"] and f["colour"] in ("red", "amber", "green") for f in row["flags"])
    page = dept.get("/measures")
    assert page.status_code == 200
    assert page.text.count('<tr id="measure-') == len(model.measures)


def test_department_reports_on_its_measure_and_is_refused_for_others(dept: TestClient) -> None:
    own, other = _own_and_other()
    period = dept.get("/api/measures").json()["period"]
    token = form_token(dept.get("/measures").text)
    r = dept.post(
        "/measures/report",
        data={
            "csrf_token": token,
            "measure": str(own.number),
            "period": period,
            "status": "in_progress",
            "narrative": "已召开推进会（示例）",
            "figures": "推进会次数=2",
        },
    )
    assert r.status_code == 200
    assert "新增 1 份" in r.text
    row = next(m for m in dept.get("/api/measures").json()["measures"] if m["number"] == own.number)
    assert row["reports"][0]["unit"] == DEPARTMENT_UNIT
    assert row["reports"][0]["figures"] == {"推进会次数": 2.0}
    refused = dept.post(
        "/api/measures/reports",
        headers={"X-CSRF-Token": csrf_of(dept)},
        json={"measure": str(other.number), "period": period, "status": "done", "narrative": "x"},
    )
    assert refused.status_code == 403
    assert other.numeral in refused.json()["detail"]
    # another unit's name in the form is refused too
    spoof = dept.post(
        "/measures/report",
        data={
            "csrf_token": token,
            "measure": str(own.number),
            "period": period,
            "status": "done",
            "narrative": "x",
            "unit": "省财政厅",
        },
    )
    assert spoof.status_code == 403


def test_invalid_report_lists_the_problems(dept: TestClient) -> None:
    own, _ = _own_and_other()
    r = dept.post(
        "/api/measures/reports",
        headers={"X-CSRF-Token": csrf_of(dept)},
        json={"measure": str(own.number), "period": "2025Q9", "status": "maybe"},
    )
    assert r.status_code == 400
    assert "报告期" in r.json()["detail"]


def test_city_and_enterprise_do_not_see_measures(measures_app: FastAPI) -> None:
    for name in ("city", "firm"):
        with TestClient(measures_app) as client:
            login(client, name)
            assert client.get("/measures").status_code == 403
            assert client.get("/api/measures").status_code == 403
