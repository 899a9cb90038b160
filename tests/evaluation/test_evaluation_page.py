"""The 政策效果评估 page and its JSON twin: who sees it, what it says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import make_app

from laser_policy.evaluation import evaluate
from laser_policy.io import read_package
from laser_policy.policy.model import load_policy
from laser_policy.web.data import load_package


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def client(clients: dict[str, Any], name: str) -> TestClient:
    made: TestClient = clients[name]
    return made


@pytest.mark.parametrize("role", ["admin", "taskforce", "dept"])
def test_taskforce_and_departments_read_the_effect_in_words(
    clients: dict[str, Any], role: str
) -> None:
    r = client(clients, role).get("/evaluation", params={"incentive": "first_set"})
    assert r.status_code == 200
    text = _text(r.text)
    match = re.search(r"获得首台套首批次奖补（第十九条）的企业此后营业收入平均(多|少)增长约"
                      r"[\d.]+%（95%置信区间-?[\d.]+%–-?[\d.]+%），依据(\d+)家受支持企业与"
                      r"([\d,]+)家可比企业（2019–2026年）", text)
    assert match, text[:2000]
    assert "证据不足，请谨慎解读" in text  # the demo sample has few supported firms
    assert "证据薄弱：受支持企业少于30家" in text
    assert "平行趋势" in text  # the assumptions, in Chinese
    assert 'id="chart-event"' in r.text
    assert 'src="/static/evaluation.js?v=' in r.text


def test_the_json_twin_is_the_cli_result(clients: dict[str, Any], demo_sample: Path) -> None:
    r = client(clients, "taskforce").get("/api/evaluation",
                                         params={"incentive": "first_set"})
    assert r.status_code == 200
    body = r.json()
    direct = evaluate(read_package(demo_sample).tables, "first_set", model=load_policy()).to_dict()
    assert body["result"]["att"] == pytest.approx(direct["att"])
    assert body["result"]["treated"] == direct["treated"]
    assert body["result"]["controls"] == direct["controls"]
    assert [e["relative_year"] for e in body["result"]["by_year"]] == \
        [e["relative_year"] for e in direct["by_year"]]
    assert body["thin"] is True
    assert body["summary"].startswith("获得首台套首批次奖补")
    english = client(clients, "taskforce").get(
        "/api/evaluation", params={"incentive": "first_set", "lang": "en"}).json()
    assert english["summary"].startswith("Firms paid the first-set")


@pytest.mark.parametrize("role", ["city", "firm"])
def test_cities_and_enterprises_may_not_see_it(clients: dict[str, Any], role: str) -> None:
    c = client(clients, role)
    assert c.get("/evaluation").status_code == 403
    assert c.get("/api/evaluation").status_code == 403
    assert 'href="/evaluation"' not in c.get("/").text


def test_an_unknown_choice_is_a_bad_request(clients: dict[str, Any]) -> None:
    c = client(clients, "taskforce")
    assert c.get("/api/evaluation", params={"incentive": "bonus"}).status_code == 400
    assert c.get("/api/evaluation", params={"outcome": "profit"}).status_code == 400


def test_too_short_data_shows_the_reason(tmp_path: Path, demo_sample: Path) -> None:
    import pandas as pd

    short = tmp_path / "short"
    short.mkdir()
    for name in ("enterprises", "awards", "products", "platforms", "projects"):
        (short / f"{name}.csv").write_bytes((demo_sample / f"{name}.csv").read_bytes())
    fin = pd.read_csv(demo_sample / "financials.csv", encoding="utf-8-sig")
    fin[fin["year"] == 2026].to_csv(short / "financials.csv", index=False)
    app = make_app(tmp_path, short, load_package(short), only=("taskforce",))
    from tests.web.conftest import login

    with TestClient(app) as c:
        login(c, "taskforce")
        r = c.get("/evaluation")
        assert r.status_code == 200
        assert "只有1个年度（2026–2026），政策效果评估至少需要4个年度" in _text(r.text)
        body = c.get("/api/evaluation").json()
        assert body["result"] is None
        assert body["error"].startswith("financials 表的「营业收入」只有1个年度")
