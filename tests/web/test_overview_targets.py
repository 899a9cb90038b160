"""总览 targets are the monitoring's: the same actuals, statuses and reasons as
``laser-policy monitor`` and the monitoring report; a city sees its firms' contribution."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import CITY, own_enterprise

from laser_policy.io import read_package
from laser_policy.monitoring.kpis import monitor
from laser_policy.monitoring.status import STATUS_ZH
from laser_policy.policy.model import load_policy
from laser_policy.web.data import WebData
from laser_policy.web.i18n import translate
from laser_policy.web.services import overview as overview_svc
from laser_policy.web.state import ComputeCache

#: the page rounds 亿元 to 0.01 and other figures to 1e-4 for display
CLOSE = 0.005


def _value(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _same(shown: float | None, expected: Any) -> bool:
    value = _value(expected)
    if value is None or shown is None:
        return shown is None and value is None
    return shown == pytest.approx(value, abs=CLOSE)


@pytest.fixture(scope="module")
def monitor_rows(package_dir: Path, web_data: WebData) -> pd.DataFrame:
    """What ``laser-policy monitor DATA --year LATEST`` computes for the fixture package."""
    latest = int(web_data.financials["year"].max())
    rows: pd.DataFrame = monitor(read_package(package_dir), load_policy(), year=latest)
    return rows


def _row(rows: pd.DataFrame, kpi: str, year: int) -> pd.Series:
    hit = rows[(rows["kpi"] == kpi) & (rows["year"] == year)]
    assert len(hit) == 1, (kpi, year)
    return hit.iloc[0]


def test_the_task_force_sees_the_monitoring_rows_for_every_target(
    client_for: Callable[[str], TestClient], web_data: WebData, monitor_rows: pd.DataFrame
) -> None:
    body = client_for("taskforce").get("/api/overview").json()
    latest = int(web_data.financials["year"].max())
    assert body["latest_year"] == latest
    assert body["targets_judged"] is True
    model = load_policy()
    shown = {t["id"]: t for t in body["targets"]}
    assert set(shown) == {t.id for t in model.targets}
    for target in model.targets:
        got = shown[target.id]
        for figures in [got["latest"], *got["years"]]:
            row = _row(monitor_rows, target.id, figures["year"])
            assert figures["status"] == row["status"], (target.id, figures["year"])
            assert figures["status_zh"] == row["status_zh"] == STATUS_ZH[row["status"]]
            assert figures["reason"] == row["reason"]
            for name in ("actual", "trajectory", "forecast", "probability"):
                assert _same(figures[name], row[name]), (target.id, figures["year"], name)
        assert got["latest"]["year"] == latest


def test_targets_the_old_overview_left_without_data_now_have_actuals(
    client_for: Callable[[str], TestClient], monitor_rows: pd.DataFrame, web_data: WebData
) -> None:
    """Listings and 小巨人 have data in the fixture: the page shows the monitoring's actual."""
    body = client_for("admin").get("/api/overview").json()
    latest = int(web_data.financials["year"].max())
    for kpi in ("new_listings", "little_giants"):
        expected = _row(monitor_rows, kpi, latest)["actual"]
        assert pd.notna(expected)
        latest_shown = next(t for t in body["targets"] if t["id"] == kpi)["latest"]
        assert latest_shown["actual"] == pytest.approx(float(expected), abs=CLOSE)
        assert latest_shown["status"] != "no_data"


def _laser_firms(web_data: WebData, mask: pd.Series) -> pd.DataFrame:
    ents = web_data.enterprises[mask & web_data.enterprises["is_laser"].astype(bool)]
    fin = web_data.financials
    visible: pd.DataFrame = fin[fin["uscc"].isin(set(ents["uscc"]))]
    return visible


def test_a_city_sees_its_own_firms_as_a_contribution(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    body = client_for("city").get("/api/overview").json()
    assert body["targets_judged"] is False
    assert body["status_rule"] is None
    fin = _laser_firms(web_data, web_data.enterprises["city"] == CITY)
    latest = int(fin["year"].max())
    targets = {t["id"]: t for t in body["targets"]}
    for target in targets.values():
        for figures in [target["latest"], *target["years"]]:
            assert figures["status"] in ("contribution", "no_data")
            assert figures["status"] != "contribution" or figures["actual"] is not None
    scale = targets["industry_scale"]
    in_year = fin[fin["year"] == latest]
    assert scale["latest"]["status"] == "contribution"
    assert scale["latest"]["status_label"] == translate("status.contribution", "zh")
    assert scale["latest"]["actual"] == pytest.approx(
        in_year["laser_revenue_wan"].sum() / 10_000, abs=CLOSE
    )
    for figures in scale["years"]:
        year_fin = fin[fin["year"] == figures["year"]]
        if year_fin.empty:
            assert figures["actual"] is None
        else:
            assert figures["actual"] == pytest.approx(
                year_fin["laser_revenue_wan"].sum() / 10_000, abs=CLOSE
            )
    model = load_policy()
    for target in model.targets:
        if target.threshold is None or target.kind != "count":
            continue
        threshold_wan = float(target.threshold.value) * 10_000
        expected = int((in_year["revenue_wan"] >= threshold_wan).sum())
        assert targets[target.id]["latest"]["actual"] == expected, target.id
    # a province-wide measure is not split by city: no data, and the page says why
    fund = targets["special_fund_projects"]["latest"]
    assert fund["status"] == "no_data"
    assert fund["reason"] == translate("overview.reason_province_only", "zh")


def test_an_enterprise_sees_its_own_scale(
    client_for: Callable[[str], TestClient], web_data: WebData
) -> None:
    body = client_for("firm").get("/api/overview").json()
    uscc = own_enterprise(web_data)
    fin = _laser_firms(web_data, web_data.enterprises["uscc"] == uscc)
    latest = int(fin["year"].max())
    scale = next(t for t in body["targets"] if t["id"] == "industry_scale")["latest"]
    assert scale["status"] == "contribution"
    assert scale["actual"] == pytest.approx(
        fin.loc[fin["year"] == latest, "laser_revenue_wan"].sum() / 10_000, abs=CLOSE
    )


def test_the_page_shows_the_status_and_the_reason(
    client_for: Callable[[str], TestClient], monitor_rows: pd.DataFrame, web_data: WebData
) -> None:
    client = client_for("taskforce")
    page = client.get("/").text
    latest = int(web_data.financials["year"].max())
    this_year = monitor_rows[monitor_rows["year"] == latest]
    assert len(this_year) == len(load_policy().targets)
    for row in this_year.itertuples():
        assert html.escape(str(row.reason)) in page, row.kpi
        assert str(row.status_zh) in page
    assert translate("overview.status_rule", "zh") in page
    assert 'id="synthetic-banner"' in page
    english = client.get("/?lang=en").text
    for status in set(this_year["status"]):
        assert translate(f"status.{status}", "en") in english
    assert translate("overview.status_rule", "en") in english
    city_page = client_for("city").get("/").text
    assert translate("status.contribution", "zh") in city_page
    assert html.escape(translate("overview.reason_contribution", "zh", scope=CITY)) in city_page


def test_monitor_runs_once_per_snapshot_and_the_cache_is_bounded(web_data: WebData) -> None:
    cache = ComputeCache(size=2)
    model = load_policy()
    latest = int(web_data.financials["year"].max())
    results: list[object] = []

    def rows(year: int) -> object:
        key = ("monitor", web_data.version, model.version, year)
        return cache.get_or_compute(key, lambda: overview_svc.monitor_rows(web_data, model, year))

    def ask() -> None:
        results.append(rows(latest))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.computed == 1
    assert all(r is results[0] for r in results)
    for year in (latest - 1, latest - 2):
        rows(year)
    assert cache.computed == 3
    assert len(cache) == 2
