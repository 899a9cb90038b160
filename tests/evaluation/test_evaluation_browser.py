"""The 政策效果评估 page in Debian's Chromium: the event-study chart is drawn, the table
toggle works, the words and warnings show. A screenshot goes to
``$LASER_POLICY_SCREENSHOTS`` (default ``out/screenshots``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from tests.web.test_browser import _chart, _login, _serving

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web-browser")]


@pytest.fixture(scope="module")
def server(demo_app: FastAPI) -> Iterator[str]:
    with _serving(demo_app) as base:
        yield base



def test_the_event_study_chart_and_its_table(server: str, browser: Any) -> None:
    page = _login(browser, server, "taskforce")
    page.click('nav a[href="/evaluation"]')
    page.wait_for_url(f"{server}/evaluation")
    drawn = _chart(page, "chart-event")
    assert drawn["series"] == 2  # the interval (one bar per year) and the estimate
    rows = page.locator("#event-table tbody tr").count()
    assert drawn["points"] == 2 * rows
    assert page.is_visible("#eval-warnings")
    assert "证据不足" in page.inner_text("#eval-warnings")
    assert "95%置信区间" in page.inner_text("#eval-summary")
    page.click('button[data-target="event"][data-view="table"]')
    assert page.is_visible("#table-event")
    assert page.is_hidden("#chart-event")
    page.click('button[data-target="event"][data-view="chart"]')
    assert page.is_visible("#chart-event")
    folder = Path(os.environ.get("LASER_POLICY_SCREENSHOTS", "out/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page.select_option("#eval-incentive", "service_platform")
    page.click("#eval-submit")
    page.wait_for_url("**/evaluation?incentive=service_platform*")
    _chart(page, "chart-event")
    assert "公共服务平台" in page.inner_text("#eval-summary")
    page.wait_for_timeout(600)  # ECharts' entry animation, for the screenshot
    page.screenshot(path=str(folder / "evaluation.png"), full_page=True)
    page.close()
