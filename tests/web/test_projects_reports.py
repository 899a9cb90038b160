"""项目 Projects (scoped by city / enterprise) and 报告 Reports (Word; PDF in the slow test)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import CITY, login, make_app, own_enterprise

from laser_policy.web.data import WebData, load_package


@pytest.fixture(scope="module")
def with_projects(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData
) -> tuple[Path, WebData]:
    """The fixture package plus one major project per enterprise of the first five."""
    folder = tmp_path_factory.mktemp("pkg-projects")
    for f in package_dir.iterdir():
        shutil.copy(f, folder / f.name)
    ents = web_data.enterprises.head(5)
    rows = [
        {
            "project_id": f"P{i:03d}",
            "name": f"激光装备产业化项目{i}（示例）",
            "uscc": r.uscc,
            "kind": "重大项目",
            "year": 2024,
            "investment_wan": 10_000.0 * (i + 1),
            "completed_investment_wan": 4_000.0 * (i + 1),
            "stage": "在建",
            "planned_completion": "2026-12-31",
            "city": r.city,
        }
        for i, r in enumerate(ents.itertuples())
    ]
    pd.DataFrame(rows).to_csv(folder / "projects.csv", index=False)
    return folder, load_package(folder)


@pytest.fixture(scope="module")
def pj_app(
    tmp_path_factory: pytest.TempPathFactory, with_projects: tuple[Path, WebData]
) -> FastAPI:
    folder, data = with_projects
    return make_app(tmp_path_factory.mktemp("pjapp"), folder, data, login_burst=10_000)


@pytest.fixture(scope="module")
def clients(pj_app: FastAPI) -> Iterator[dict[str, TestClient]]:
    made = {}
    for name in ("taskforce", "city", "firm", "dept"):
        made[name] = TestClient(pj_app)
        login(made[name], name)
    yield made
    for c in made.values():
        c.close()


def test_projects_scoped(
    clients: dict[str, TestClient], with_projects: tuple[Path, WebData]
) -> None:
    _, data = with_projects
    everything = clients["taskforce"].get("/api/projects").json()
    planted = [i for i in everything["items"] if i["project_id"]]
    assert len(planted) == 5
    assert everything["investment_wan"] == pytest.approx(sum(i["investment_wan"] for i in planted))
    city = clients["city"].get("/api/projects").json()["items"]
    assert {i["city"] for i in city} <= {CITY}
    assert len(city) == sum(1 for i in planted if i["city"] == CITY)
    firm = clients["firm"].get("/api/projects").json()["items"]
    assert {i["uscc"] for i in firm} <= {own_enterprise(data)}
    page = clients["taskforce"].get("/projects")
    assert page.status_code == 200
    assert "激光装备产业化项目0（示例）" in page.text


def test_report_docx_and_access(clients: dict[str, TestClient]) -> None:
    r = clients["dept"].get("/reports/monitoring.docx", params={"year": 2025})
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "监测评估报告" in text
    assert clients["city"].get("/reports").status_code == 403
    assert clients["firm"].get("/api/reports/monitoring.docx").status_code == 403


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_report_pdf(clients: dict[str, TestClient]) -> None:
    r = clients["taskforce"].get("/api/reports/monitoring.pdf", params={"year": 2025})
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")
