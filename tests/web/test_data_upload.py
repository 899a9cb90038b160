"""数据 Data: upload → validation report row by row → all-or-nothing import; template."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.web.conftest import csrf_of, form_token, login, make_app
from tests.web.upload_files import package_xlsx, package_zip

from laser_policy.web.data import WebData

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def db_app(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData
) -> FastAPI:
    """An app over an EMPTY database (no --data): uploads land in the store."""
    return make_app(
        tmp_path_factory.mktemp("dbapp"), package_dir, web_data, login_burst=10_000, data_path=None
    )


@pytest.fixture(scope="module")
def admin(db_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(db_app) as client:
        login(client, "admin")
        yield client


def _counts(client: TestClient) -> dict[str, int]:
    counts: dict[str, int] = client.get("/api/data").json()["counts"]
    return counts


def test_broken_workbook_lists_every_problem_and_imports_nothing(
    admin: TestClient, package_dir: Path
) -> None:
    before = _counts(admin)
    body, spoiled = package_xlsx(package_dir, broken=True)
    token = form_token(admin.get("/data").text)
    r = admin.post(
        "/data/upload", data={"csrf_token": token}, files={"file": ("broken.xlsx", body, XLSX)}
    )
    assert r.status_code == 422
    assert spoiled["uscc"] in r.text
    assert "-100" in r.text
    api = admin.post(
        "/api/data/upload",
        headers={"X-CSRF-Token": csrf_of(admin)},
        files={"file": ("broken.xlsx", body, XLSX)},
    )
    assert api.status_code == 422
    problems = api.json()["problems"]
    columns = {(p["column"], str(p["value"])) for p in problems}
    assert any(str(v) == spoiled["uscc"] for _c, v in columns)
    assert any(v in ("-100", "-100.0") for _c, v in columns)
    assert all(p["message_zh"] and p["rule"] and p["file"] for p in problems)
    assert _counts(admin) == before


def test_clean_zip_imports_then_the_pages_show_it(
    admin: TestClient, package_dir: Path, web_data: WebData
) -> None:
    r = admin.post(
        "/api/data/upload",
        headers={"X-CSRF-Token": csrf_of(admin)},
        files={"file": ("pkg.zip", package_zip(package_dir), "application/zip")},
    )
    assert r.status_code == 200, r.text
    assert r.json()["ok"]
    assert r.json()["batch_id"]
    counts = _counts(admin)
    assert counts["enterprises"] == len(web_data.enterprises)
    assert admin.get("/api/enterprises").json()["total"] == len(web_data.enterprises)
    # the same workbook again changes nothing
    body, _ = package_xlsx(package_dir)
    token = form_token(admin.get("/data").text)
    again = admin.post(
        "/data/upload", data={"csrf_token": token}, files={"file": ("same.xlsx", body, XLSX)}
    )
    assert again.status_code == 200
    assert 'id="import-ok"' in again.text
    assert _counts(admin) == counts


def test_bad_files_and_access(admin: TestClient, db_app: FastAPI) -> None:
    token = form_token(admin.get("/data").text)
    r = admin.post(
        "/data/upload",
        data={"csrf_token": token},
        files={"file": ("notes.txt", b"hello", "text/plain")},
    )
    assert r.status_code == 400
    assert ".xlsx" in r.text
    no_csrf = admin.post("/data/upload", files={"file": ("a.xlsx", b"x", XLSX)})
    assert no_csrf.status_code == 403
    with TestClient(db_app) as city:
        login(city, "city")
        assert city.get("/data").status_code == 403
        assert (
            city.post(
                "/api/data/upload",
                headers={"X-CSRF-Token": csrf_of(city)},
                files={"file": ("a.xlsx", b"x", XLSX)},
            ).status_code
            == 403
        )
        template = city.get("/data/template.xlsx")
        assert template.status_code == 200
        assert "enterprises" in load_workbook(io.BytesIO(template.content)).sheetnames


def test_a_server_showing_a_package_folder_refuses_uploads_and_says_why(
    app: FastAPI, package_dir: Path
) -> None:
    """With ``serve --data DIR`` the pages show the folder: an upload would never show up."""
    with TestClient(app) as client:
        login(client, "admin")
        page = client.get("/data")
        assert page.status_code == 200
        assert 'id="read-only"' in page.text
        assert str(package_dir) in page.text
        assert 'id="upload-form"' not in page.text
        before = _counts(client)
        body, _ = package_xlsx(package_dir, broken=False)
        r = client.post(
            "/api/data/upload",
            headers={"X-CSRF-Token": csrf_of(client)},
            files={"file": ("ok.xlsx", body, XLSX)},
        )
        assert r.status_code == 400
        assert "只读" in r.text
        assert "serve --db" in r.text
        assert _counts(client) == before


def test_no_answer_names_the_servers_temporary_folder(
    admin: TestClient, package_dir: Path
) -> None:
    """The summary's source and a broken Parquet file's reader error used to show the
    server's staging path (/tmp/lp-upload-…/package); the user sees the file they sent."""
    import zipfile

    ok = admin.post(
        "/api/data/upload",
        headers={"X-CSRF-Token": csrf_of(admin)},
        files={"file": ("again.zip", package_zip(package_dir), "application/zip")},
    )
    assert ok.status_code == 200, ok.text
    assert "lp-upload-" not in ok.text
    assert "again.zip" in ok.json()["summary"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("enterprises.parquet", b"PAR1 this is not parquet PAR1")
    bad = admin.post(
        "/api/data/upload",
        headers={"X-CSRF-Token": csrf_of(admin)},
        files={"file": ("bad.zip", buf.getvalue(), "application/zip")},
    )
    assert bad.status_code == 422, bad.text
    assert bad.json()["problems"]
    assert "lp-upload-" not in bad.text
    assert "/tmp" not in bad.text
