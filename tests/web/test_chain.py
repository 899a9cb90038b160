"""产业链 Chain: supply, weak links, targets and matchmaking on a synthetic sample package."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import login, make_app

from laser_policy.web.data import load_package


@pytest.fixture(scope="module")
def chain_app(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> FastAPI:
    return make_app(
        tmp_path_factory.mktemp("chainapp"),
        sample_dir,
        load_package(sample_dir),
        login_burst=10_000,
    )


@pytest.fixture(scope="module")
def clients(chain_app: FastAPI) -> Iterator[dict[str, TestClient]]:
    made = {}
    for name in ("taskforce", "city", "firm"):
        made[name] = TestClient(chain_app)
        login(made[name], name)
    yield made
    for c in made.values():
        c.close()


def test_supply_weak_links_and_targets(clients: dict[str, TestClient], sample_dir: Path) -> None:
    ch = clients["taskforce"].get("/api/chain").json()
    assert ch["supply"]
    rates = [s["local_rate"] for s in ch["supply"] if s["local_rate"] is not None]
    assert rates == sorted(rates)  # weakest first
    truth = json.loads((sample_dir / "_ground_truth.json").read_text(encoding="utf-8"))
    found_weak = {w["segment"] for w in ch["weak_links"] if w["weak"]}
    assert found_weak & set(truth["weak_segments"])
    assert all(t["segment"] in found_weak for t in ch["targets"])
    page = clients["taskforce"].get("/chain")
    assert page.status_code == 200
    assert 'id="weak-table"' in page.text


def test_city_sees_its_own_supply_and_enterprise_is_refused(
    clients: dict[str, TestClient],
) -> None:
    everything = clients["taskforce"].get("/api/chain").json()["supply"]
    own = clients["city"].get("/api/chain").json()["supply"]
    assert sum(s["purchases_wan"] for s in own) < sum(s["purchases_wan"] for s in everything)
    assert clients["firm"].get("/chain").status_code == 403
    assert clients["firm"].get("/api/chain/match", params={"q": "激光"}).status_code == 403


def test_matchmaking_finds_planted_offers(clients: dict[str, TestClient], sample_dir: Path) -> None:
    import pandas as pd

    truth = json.loads((sample_dir / "_ground_truth.json").read_text(encoding="utf-8"))
    demands = pd.read_csv(sample_dir / "demands.csv", dtype=str).set_index("id")
    hit_any = 0
    for m in truth["matches"][:5]:
        d = demands.loc[m["demand_id"]]
        r = clients["taskforce"].get("/api/chain/match", params={"q": f"{d['title']} {d['text']}"})
        assert r.status_code == 200
        ids = [h["id"] for h in r.json()["hits"]]
        hit_any += bool(set(ids[:10]) & set(m["offer_ids"]))
    assert hit_any >= 3
    assert clients["taskforce"].get("/api/chain/match", params={"q": " "}).status_code == 400
    page = clients["taskforce"].get("/chain", params={"q": "紫外激光打标机"})
    assert 'id="match-table"' in page.text


def test_chain_page_without_transactions(client_for: Callable[[str], TestClient]) -> None:
    """The plain fixture package has no transactions: empty tables, no error."""
    tf = client_for("taskforce")
    ch = tf.get("/api/chain").json()
    assert ch["supply"] == []
    assert tf.get("/chain").status_code == 200
