"""The enterprise list's Excel download keeps formula-like firm names as text (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import login, make_app
from tests.web.fixture_package import write_fixture_package

from formula_names import formulas, poison, text_cells
from laser_policy.web.data import load_package


@pytest.mark.parametrize("who", ["taskforce", "city"])
def test_enterprises_xlsx_writes_formula_names_as_text(tmp_path: Path, who: str) -> None:
    folder = write_fixture_package(tmp_path / "pkg")
    names = set(poison(folder).values())
    app = make_app(tmp_path, folder, load_package(folder), only=(who,), login_burst=100)
    with TestClient(app) as client:
        login(client, who)
        response = client.get("/enterprises.xlsx")
    assert response.status_code == 200
    assert formulas(response.content) == []
    assert names <= text_cells(response.content)
