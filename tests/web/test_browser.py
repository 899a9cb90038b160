"""End to end in Debian's Chromium (Playwright, no downloaded browser).

The app is served by uvicorn on 127.0.0.1 in a background thread. Screenshots of
every page go to ``$LASER_POLICY_SCREENSHOTS`` (default ``out/screenshots``).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.chromium import CHROMIUM
from tests.web.conftest import PASSWORD, make_app, other_enterprise, own_enterprise
from tests.web.upload_files import package_xlsx

from laser_policy.web.data import WebData, load_package

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web-browser")]

ROLES = ("admin", "taskforce", "dept", "city", "firm")
LOGIN_BURST = 5

if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not installed at {CHROMIUM}", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@contextmanager
def _live(tmp: Path, package_dir: Path, web_data: WebData, **overrides: object) -> Iterator[str]:
    app = make_app(
        tmp, package_dir, web_data, login_burst=LOGIN_BURST, login_refill_s=3600.0, **overrides
    )
    with _serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData
) -> Iterator[str]:
    with _live(tmp_path_factory.mktemp("live"), package_dir, web_data) as base:
        yield base


@pytest.fixture(scope="module")
def db_server(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData
) -> Iterator[str]:
    """A server on its (empty) database, as ``serve --db``: uploads are imported there."""
    with _live(tmp_path_factory.mktemp("live-db"), package_dir, web_data, data_path=None) as base:
        yield base




def _login(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")
    return page


CHART_DRAWN = """(id) => {
  const el = document.getElementById(id);
  if (!el || typeof echarts === 'undefined') return null;
  const chart = echarts.getInstanceByDom(el);
  if (!chart) return null;
  const opt = chart.getOption() || {};  // undefined between init and the first setOption
  const canvas = el.querySelector('canvas');
  return {series: (opt.series || []).length, width: canvas ? canvas.width : 0,
          height: canvas ? canvas.height : 0,
          points: (opt.series || []).reduce((n, s) => n + (s.data || []).length, 0)};
}"""


def _chart(page: Any, chart_id: str) -> dict[str, int]:
    page.wait_for_function(
        f"() => {{ const f = {CHART_DRAWN}; const r = f('{chart_id}');"
        " return r && r.series > 0 && r.width > 0; }",
        timeout=15_000,
    )
    result: dict[str, int] = page.evaluate(CHART_DRAWN, chart_id)
    return result


@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_and_sees_the_overview_charts(
    server: str, browser: Any, shots: Path, role: str
) -> None:
    page = _login(browser, server, role)
    assert "湖北省激光产业政策平台" in page.inner_text(".topbar")
    assert page.is_visible("#synthetic-banner")
    for chart_id in ("chart-scale", "chart-map", "chart-ladder"):
        drawn = _chart(page, chart_id)
        assert drawn["width"] > 0
        assert drawn["height"] > 0
    assert _chart(page, "chart-map")["points"] == 17
    page.wait_for_timeout(600)  # let ECharts' entry animation finish for the screenshot
    page.screenshot(path=str(shots / f"overview-{role}.png"), full_page=True)
    page.close()


def test_table_view_of_a_chart(server: str, browser: Any) -> None:
    page = _login(browser, server, "taskforce")
    page.click('button[data-target="map"][data-view="table"]')
    assert page.is_visible("#table-map")
    assert page.is_hidden("#chart-map")
    assert page.locator("#table-map tbody tr").count() == 17
    page.close()


def test_pages_screenshots_and_english(
    server: str, browser: Any, shots: Path, web_data: WebData
) -> None:
    page = _login(browser, server, "admin")
    page.goto(f"{server}/enterprises")
    assert page.locator("#enterprise-table tbody tr").count() > 0
    page.screenshot(path=str(shots / "enterprises.png"), full_page=True)
    uscc = str(web_data.enterprises.iloc[0]["uscc"])
    page.goto(f"{server}/enterprises/{uscc}")
    _chart(page, "chart-fin")
    page.wait_for_timeout(600)
    page.screenshot(path=str(shots / "enterprise.png"), full_page=True)
    page.goto(f"{server}/policy")
    assert page.locator("#measures-table tbody tr").count() == 23
    page.screenshot(path=str(shots / "policy.png"), full_page=True)
    page.goto(f"{server}/?lang=en")
    _chart(page, "chart-map")
    assert "Hubei Laser Industry Policy Platform" in page.inner_text(".topbar")
    page.wait_for_timeout(600)
    page.screenshot(path=str(shots / "overview-en.png"), full_page=True)
    page.close()


def test_enterprise_user_cannot_reach_another_enterprise(
    server: str, browser: Any, shots: Path, web_data: WebData
) -> None:
    page = _login(browser, server, "firm")
    own, other = own_enterprise(web_data), other_enterprise(web_data)
    assert page.goto(f"{server}/enterprises/{own}").status == 200
    response = page.goto(f"{server}/enterprises/{other}")
    assert response.status == 404
    page.screenshot(path=str(shots / "enterprise-forbidden.png"))
    api_status = page.evaluate("async (u) => (await fetch('/api/enterprises/' + u)).status", other)
    assert api_status == 404
    listing = page.evaluate("async () => (await fetch('/api/enterprises')).json()")
    assert [r["uscc"] for r in listing["items"]] == [own]
    page.close()


def test_form_without_csrf_token_is_rejected(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{server}/login")
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    with page.expect_response(
        lambda r: r.url.endswith("/login") and r.request.method == "POST"
    ) as info:
        page.click("#login-submit")
    assert info.value.status == 403
    assert "CSRF" in page.content()
    page.close()


def test_login_rate_limit_in_the_browser(server: str, browser: Any, shots: Path) -> None:
    page = browser.new_page()
    statuses = []
    for _ in range(LOGIN_BURST + 1):
        page.goto(f"{server}/login")
        page.fill("#username", "nobody")
        page.fill("#password", "wrong-password")
        with page.expect_response(lambda r: r.request.method == "POST") as info:
            page.click("#login-submit")
        statuses.append(info.value.status)
    assert statuses == [401] * LOGIN_BURST + [429]
    assert "过于频繁" in page.inner_text("#login-error")
    page.screenshot(path=str(shots / "login-rate-limited.png"))
    page.close()


def test_incentives_compute_review_then_another_person_approves(
    server: str, browser: Any, shots: Path
) -> None:
    page = _login(browser, server, "taskforce")
    page.goto(f"{server}/incentives")
    page.click("#compute")
    page.wait_for_selector("#flash.flash-ok")
    assert "计算批次" in page.inner_text("#flash")
    first = page.locator("#ledger-table tbody tr[data-status=computed]").first
    entitlement = first.get_attribute("data-id")
    first.locator("input.pick").check()
    page.click("#do-review")
    page.wait_for_selector("#flash.flash-ok")
    row = f"#ledger-table tbody tr[data-id='{entitlement}']"
    assert page.get_attribute(row, "data-status") == "reviewed"
    # the same person may not approve: refused, shown in the page
    page.locator(row).locator("input.pick").check()
    page.click("#do-approve")
    page.wait_for_selector("#flash.flash-error")
    assert "审核人与批准人不能是同一人" in page.inner_text("#flash")
    page.screenshot(path=str(shots / "incentives-refused.png"), full_page=True)
    page.close()

    page = _login(browser, server, "admin")
    page.goto(f"{server}/incentives?status=reviewed")
    assert page.get_attribute(row, "data-status") == "reviewed"
    page.goto(f"{server}/incentives")
    page.locator(row).locator("input.pick").check()
    page.click("#do-approve")
    page.wait_for_selector("#flash.flash-ok")
    assert page.get_attribute(row, "data-status") == "approved"
    listing = page.evaluate("async () => (await fetch('/api/incentives?status=approved')).json()")
    assert str(entitlement) in [str(i["id"]) for i in listing["items"]]
    page.goto(f"{server}/incentives?wi_name=revenue_milestone.province_share&wi_value=0.8")
    _chart(page, "chart-budget")
    _chart(page, "chart-whatif")
    page.wait_for_timeout(600)
    page.screenshot(path=str(shots / "incentives.png"), full_page=True)
    page.close()


def test_data_upload_of_a_broken_workbook_lists_both_errors(
    db_server: str, browser: Any, shots: Path, package_dir: Path
) -> None:
    server = db_server
    page = _login(browser, server, "taskforce")
    page.goto(f"{server}/data")
    counts_js = "async () => (await fetch('/api/data')).json()"
    before = page.evaluate(counts_js)
    body, spoiled = package_xlsx(package_dir, broken=True)
    page.set_input_files(
        "#file",
        files=[{"name": "broken.xlsx", "mimeType": "application/octet-stream", "buffer": body}],
    )
    page.click("#upload")
    page.wait_for_selector("#problems-table")
    table = page.inner_text("#problems-table")
    assert spoiled["uscc"] in table
    assert "-100" in table
    assert page.is_visible("#nothing-imported")
    assert page.evaluate(counts_js) == before
    page.screenshot(path=str(shots / "data-problems.png"), full_page=True)
    page.close()


def test_department_submits_a_progress_report(server: str, browser: Any, shots: Path) -> None:
    page = _login(browser, server, "dept")
    page.goto(f"{server}/measures")
    assert page.locator("#measures-table tbody tr").count() == 23
    page.fill("#r-narrative", "已召开推进会（示例）")
    page.select_option("#r-status", "in_progress")
    page.click("#r-submit")
    page.wait_for_selector("#flash.flash-ok")
    assert "新增 1 份" in page.inner_text("#flash")
    page.screenshot(path=str(shots / "measures.png"), full_page=True)
    page.close()


def test_projects_and_reports_pages(server: str, browser: Any, shots: Path) -> None:
    page = _login(browser, server, "taskforce")
    page.goto(f"{server}/projects")
    assert page.locator("#projects-table tbody tr").count() > 0
    _chart(page, "chart-projects")
    page.wait_for_timeout(600)
    page.screenshot(path=str(shots / "projects.png"), full_page=True)
    page.goto(f"{server}/reports")
    with page.expect_download() as info:
        page.click("#rep-docx")
    assert info.value.suggested_filename.endswith(".docx")
    page.screenshot(path=str(shots / "reports.png"), full_page=True)
    page.close()


def test_chain_page_on_the_sample_package(
    tmp_path_factory: pytest.TempPathFactory, sample_dir: Path, browser: Any, shots: Path
) -> None:
    app = make_app(tmp_path_factory.mktemp("live-chain"), sample_dir, load_package(sample_dir))
    with _serving(app) as base:
        page = _login(browser, base, "taskforce")
        page.goto(f"{base}/chain")
        _chart(page, "chart-supply")
        assert page.locator("#weak-table tbody tr").count() > 0
        page.fill("#match-q", "采购紫外激光打标机，功率30W，用于产品追溯码")
        page.click("#match-submit")
        page.wait_for_selector("#match-table")
        assert page.locator("#match-table tbody tr").count() > 0
        page.wait_for_timeout(600)
        page.screenshot(path=str(shots / "chain.png"), full_page=True)
        page.close()
