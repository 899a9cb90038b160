"""The web takes its policy model folders from its settings (LASER_POLICY_MODELS): the
first is the policy the pages show (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import login, make_app

from laser_policy.model import model_path
from laser_policy.web import WebSettings
from laser_policy.web.data import WebData
from laser_policy.web.state import AppState

EXAMPLE = Path(__file__).parents[1] / "policy_model" / "example_city"


def test_laser_policy_models_is_read_as_a_path_list() -> None:
    env = {"LASER_POLICY_MODELS": f"{EXAMPLE}{os.pathsep}{model_path()}"}
    assert WebSettings.from_env(env).models == (EXAMPLE, model_path())
    assert WebSettings.from_env({}).models == ()


def test_the_policy_page_shows_the_first_model_given(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    app = make_app(tmp_path, package_dir, web_data, only=("taskforce",),
                   models=(EXAMPLE, model_path()))
    state: AppState = app.state.lp
    assert [m.id for m in state.models()] == ["example-city-laser-2025", "hubei-laser-2024"]
    with TestClient(app) as client:
        login(client, "taskforce")
        body = client.get("/api/policy").json()
    assert body["doc_number"] == "示政发〔2025〕1号"


def test_without_the_setting_the_packaged_policy_is_shown(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    app = make_app(tmp_path, package_dir, web_data, only=("taskforce",))
    with TestClient(app) as client:
        login(client, "taskforce")
        assert client.get("/api/policy").json()["doc_number"] == "鄂政办发〔2024〕35号"
