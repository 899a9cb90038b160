"""In Chromium, on a fresh database: the first admin from ``laser-policy users add``, two
accounts made on the 账号管理 page, each sees only its scope, and disabling one ends its
open session at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import CITY, other_enterprise, own_enterprise
from tests.web.test_browser import _serving

from laser_policy.web import WebSettings, create_app
from laser_policy.web.data import WebData

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web-browser")]

ADMIN_PASSWORD = "first-admin-passphrase"
CITY_PASSWORD = "city-account-passphrase"
FIRM_PASSWORD = "firm-account-passphrase"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, package_dir: Path) -> Iterator[str]:
    """``users add --role admin`` on an empty database, then the app as ``serve`` starts it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fresh') / 'platform.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASER_POLICY_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    made = subprocess.run(
        [sys.executable, "-m", "laser_policy", "users", "add", "chief", "--role", "admin",
         "--password-stdin", "--db", url],
        input=ADMIN_PASSWORD + "\n", capture_output=True, text=True, env=env, check=False,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    app = create_app(WebSettings.from_env({}, database_url=url, data_path=package_dir))
    with _serving(app) as base:
        yield base
    app.state.lp.accounts.engine.dispose()



def _login(browser: Any, base: str, username: str, password: str) -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{base}/login?next=/account")  # a light page (the overview computes a lot)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/account")
    return page


def _create(page: Any, base: str, **fields: str) -> None:
    page.goto(f"{base}/admin")
    for name, value in fields.items():
        if name == "role":
            page.select_option("#new-role", value)
        else:
            page.fill(f"#new-{name}", value)
    page.click("#create-user")
    page.wait_for_selector("#flash")
    assert fields["username"] in page.inner_text("#accounts-table")


def test_admin_makes_a_city_and_an_enterprise_account_each_scoped(
    fresh: str, browser: Any, web_data: WebData
) -> None:
    admin = _login(browser, fresh, "chief", ADMIN_PASSWORD)
    own, other = own_enterprise(web_data), other_enterprise(web_data)
    _create(admin, fresh, username="wuhan-city", role="city", city="武汉",
            password=CITY_PASSWORD)
    _create(admin, fresh, username="qiye", role="enterprise", uscc=own, password=FIRM_PASSWORD)

    city = _login(browser, fresh, "wuhan-city", CITY_PASSWORD)
    city.goto(f"{fresh}/enterprises")
    cities = city.locator("#enterprise-table tbody tr td:nth-child(3)").all_inner_texts()
    assert cities
    assert set(cities) == {CITY}
    assert city.goto(f"{fresh}/enterprises/{other}").status == 404
    assert city.goto(f"{fresh}/admin").status == 403

    firm = _login(browser, fresh, "qiye", FIRM_PASSWORD)
    assert firm.goto(f"{fresh}/enterprises/{own}").status == 200
    assert firm.goto(f"{fresh}/enterprises/{other}").status == 404
    listing = firm.evaluate("async () => (await fetch('/api/enterprises')).json()")
    assert [r["uscc"] for r in listing["items"]] == [own]

    # the admin disables the city account: its open page is refused at the next request
    admin.goto(f"{fresh}/admin")
    admin.click('tr[data-user="wuhan-city"] button.disable')
    admin.wait_for_selector("#flash")
    assert "已停用" in admin.inner_text('tr[data-user="wuhan-city"] td.state')
    city.goto(f"{fresh}/enterprises")
    assert city.url.startswith(f"{fresh}/login")
    status = city.evaluate("async () => (await fetch('/api/me')).status")
    assert status == 401

    admin.goto(f"{fresh}/admin/audit")
    log = admin.inner_text("#audit-table")
    assert "user.disable" in log
    assert "user.create" in log
    assert "cli:" in log  # the first admin, made on the command line
    for page in (admin, city, firm):
        page.context.close()
