"""基金与担保 in Debian's Chromium: the three charts are drawn from the page's data, the
table view works, and a city account sees its own firms only. Screenshots go to
``$LASER_POLICY_SCREENSHOTS`` (default ``out/screenshots``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import PASSWORD, make_app
from tests.web.test_browser import _chart, _serving
from tests.web.test_funds_page import write_funds_package

from fund_packages import CODES
from laser_policy.web.data import load_package

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web-browser")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = write_funds_package(tmp_path_factory.mktemp("fundlive") / "pkg")
    app = make_app(tmp_path_factory.mktemp("fundliveapp"), folder, load_package(folder),
                   login_burst=50)
    with _serving(app) as base:
        yield base




def _login(browser: Any, base: str, username: str) -> Any:
    """As ``test_browser._login``, with room for the overview's forecasts on a busy machine."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(180_000)
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")
    return page


def test_funds_page_draws_its_charts(server: str, browser: Any, shots: Path) -> None:
    page = _login(browser, server, "taskforce")
    page.click("a[href='/funds']")
    page.wait_for_url(f"{server}/funds")
    funds = _chart(page, "chart-funds")
    assert funds["points"] == 3  # one bar per fund of funds.yaml
    assert _chart(page, "chart-purpose")["points"] == 3  # three purposes used
    guarantees = _chart(page, "chart-guarantees")
    assert guarantees["series"] == 2  # amount and default rate
    assert guarantees["points"] == 4  # two years, two series
    page.wait_for_timeout(600)  # let ECharts' entry animation finish for the screenshot
    page.screenshot(path=str(shots / "funds.png"), full_page=True)
    page.click("button.tab[data-view='table'][data-target='funds']")
    assert page.is_visible("#funds-table")
    assert "光谷激光产业发展基金" in page.inner_text("#funds-table")
    page.close()


def test_city_sees_its_own_firms_in_the_browser(server: str, browser: Any, shots: Path) -> None:
    page = _login(browser, server, "city")
    page.goto(f"{server}/funds")
    assert _chart(page, "chart-funds")["points"] == 3
    text = page.inner_text("#investments-table")
    assert "FI-1" in text
    assert "FI-3" not in text  # the Xiangyang firm's investment
    assert CODES[2] not in page.content()
    page.screenshot(path=str(shots / "funds-city.png"), full_page=True)
    page.close()
