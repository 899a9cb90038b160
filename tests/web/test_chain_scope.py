"""What a city sees of other cities' firms on the chain page and in supplier search:
the directory (name, city, segment), not their credit codes, amounts or substitutes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from tests.web.conftest import CITY, logged_in, make_app

from laser_policy.web.data import load_package

QUERY = "激光器 光纤 切割"


@pytest.fixture(scope="module")
def chain_app(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[FastAPI]:
    app = make_app(tmp_path_factory.mktemp("chain-scope"), sample_dir, load_package(sample_dir),
                   only=("taskforce", "city"), login_burst=100)
    yield app
    app.state.lp.accounts.engine.dispose()


def _hits(client: Any) -> list[dict[str, Any]]:
    hits: list[dict[str, Any]] = client.get("/api/chain/match", params={"q": QUERY}).json()["hits"]
    return hits


def test_a_city_sees_other_cities_firms_as_directory_entries_only(chain_app: FastAPI) -> None:
    with logged_in(chain_app, ("taskforce", "city")) as c:
        full, city = _hits(c["taskforce"]), _hits(c["city"])
        assert full
        assert [h["id"] for h in city] == [h["id"] for h in full]  # same matches, same order
        assert any(h["city"] != CITY for h in city)
        for mine, seen in zip(full, city, strict=True):
            assert seen["name"] == mine["name"]
            assert seen["city"] == mine["city"]
            assert seen["segment"] == mine["segment"]
            if mine["city"] == CITY:
                assert seen == mine
            else:
                assert seen["uscc"] is None
                assert seen["history_wan"] is None
                assert "万元" not in seen["reason_zh"]
        assert all(h["uscc"] for h in full)
        page = c["city"].get("/chain", params={"q": QUERY}).text
        other = next(h for h in full if h["city"] != CITY)
        assert other["name"] in page
        assert other["uscc"] not in page


def test_a_city_sees_attraction_targets_without_amounts_or_substitutes(
    chain_app: FastAPI,
) -> None:
    with logged_in(chain_app, ("taskforce", "city")) as c:
        full = c["taskforce"].get("/api/chain").json()["targets"]
        city = c["city"].get("/api/chain").json()["targets"]
        assert full
        assert any(t["amount_wan"] for t in full)
        assert [(t["segment"], t["supplier_name"]) for t in city] == [
            (t["segment"], t["supplier_name"]) for t in full
        ]
        for t in city:
            assert t["amount_wan"] is None
            assert t["substitutes"] is None
            assert t["buyers_count"] is None
        page = c["city"].get("/chain").text
        substitutes = next(t["substitutes"] for t in full if t["substitutes"])
        assert substitutes not in page
        assert "None" not in page
