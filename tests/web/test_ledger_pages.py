"""奖补 ledger list, page by page: every row reachable exactly once, filters and totals over
the filter (not the page), scope in counts and totals, links that keep the filters, bulk
actions on the page's rows.

The ledger holds more than 500 synthetic entitlements written through
``ledger.service.record_run`` (a ``PreparedRun`` built from the fixture package's firms).
Expectations are computed from the ledger itself (``ledger.budget.ledger_frame`` with
pandas and ``Scope.filter_ledger``), never from literals.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import CITY, form_token, logged_in, make_app, own_enterprise

from laser_policy.ledger.budget import ledger_frame
from laser_policy.ledger.service import PreparedRun, approve, pay, record_run, reject, review
from laser_policy.policy.model import load_policy
from laser_policy.web.access import Scope
from laser_policy.web.auth import Principal, Role
from laser_policy.web.data import WebData
from laser_policy.web.services import ledger as svc

#: entitlements per firm of the fixture package (60 firms: well over 500 rows)
ITEMS_PER_FIRM = 12
YEARS = (2024, 2025, 2026)
#: the packaged model's incentives, in its order
INCENTIVES = svc.incentive_ids((load_policy(),))
ROLES = ("taskforce", "admin", "dept", "city", "firm")


def _rows(data: WebData, seed: int = 11) -> list[dict[str, Any]]:
    """Ledger rows (as ``ledger.records.ledger_rows`` makes them) for every fixture firm."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for ent in data.enterprises.itertuples(index=False):
        for k in range(ITEMS_PER_FIRM):
            incentive = INCENTIVES[k % len(INCENTIVES)]
            amount = round(rng.uniform(5, 800), 2)
            # innovation-source money is provincial only here: no paying city
            city_share = 0.0 if incentive == "innovation_source" else round(amount / 2, 2)
            year = YEARS[k % len(YEARS)]
            rows.append(
                {
                    "uscc": str(ent.uscc),
                    "name": str(ent.name),
                    "incentive": incentive,
                    "role": ("developer", "user")[k % 2] if incentive == "first_set" else "",
                    "item": f"ITEM-{k:03d}",
                    "period": year if incentive == "service_platform" else 0,
                    "year": year,
                    "ref": f"ITEM-{k:03d}",
                    "tier": None,
                    "amount_wan": amount,
                    "province_wan": round(amount - city_share, 2),
                    "city_wan": city_share,
                    "payer_city": None if incentive == "innovation_source" else str(ent.city),
                    "clause": "（合成）第十八条",
                    "explanation": "合成示例条目 / synthetic test entitlement",
                    "steps": [],
                    "rules_version": "test",
                }
            )
    return rows


@pytest.fixture(scope="module")
def paged_app(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData
) -> FastAPI:
    app = make_app(tmp_path_factory.mktemp("paged"), package_dir, web_data, login_burst=10_000)
    url = app.state.lp.settings.database_url
    rows = _rows(web_data)
    run = PreparedRun("test", "0" * 64, None, "duckdb", "test", {}, rows, datetime.now(UTC))
    ids = record_run(url, run, "taskforce").inserted_ids
    assert len(ids) == len(rows) > svc.MAX_PER_PAGE
    # every status present: reviewed, approved, paid by two people; some rejected
    review(url, ids[::3], "taskforce")
    approve(url, ids[::6], "admin")
    pay(url, ids[::12], "admin")
    unreviewed = [i for n, i in enumerate(ids) if n % 5 == 1 and n % 3 != 0]
    reject(url, unreviewed, "taskforce", "材料不全（测试）")
    return app


@pytest.fixture(scope="module")
def clients(paged_app: FastAPI) -> Iterator[dict[str, TestClient]]:
    with logged_in(paged_app, ROLES) as made:
        yield made


def _ledger(app: FastAPI) -> pd.DataFrame:
    url: str = app.state.lp.settings.database_url
    frame: pd.DataFrame = ledger_frame(url)
    return frame


def _principal(name: str, data: WebData) -> Principal:
    roles = {"taskforce": Role.TASKFORCE, "admin": Role.ADMIN, "dept": Role.DEPARTMENT}
    if name == "city":
        return Principal(0, name, Role.CITY, city=CITY)
    if name == "firm":
        return Principal(0, name, Role.ENTERPRISE, uscc=own_enterprise(data))
    return Principal(0, name, roles[name])


def _all_pages(client: TestClient, **params: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every item, page after page; and the first page's answer."""
    first = client.get("/api/incentives", params={**params, "page": 1})
    assert first.status_code == 200, first.text
    head = first.json()
    items = list(head["items"])
    for page in range(2, head["pages"] + 1):
        body = client.get("/api/incentives", params={**params, "page": page}).json()
        assert body["page"] == page
        assert body["total"] == head["total"]
        items += body["items"]
    return items, head


def _expected(frame: pd.DataFrame, **filters: Any) -> pd.DataFrame:
    for column, value in filters.items():
        frame = frame[frame[column] == value]
    return frame


@pytest.mark.parametrize("per_page", [97, svc.MAX_PER_PAGE])
def test_every_row_is_reachable_exactly_once(
    clients: dict[str, TestClient], paged_app: FastAPI, per_page: int
) -> None:
    ledger = _ledger(paged_app)
    items, head = _all_pages(clients["taskforce"], per_page=per_page)
    ids = [i["id"] for i in items]
    assert head["total"] == len(ledger)
    assert head["pages"] == math.ceil(len(ledger) / per_page) > 1
    assert len(ids) == len(set(ids)) == len(ledger)
    assert ids == sorted(ledger["id"])  # stable id order across pages


def test_default_page_and_bounds(clients: dict[str, TestClient], paged_app: FastAPI) -> None:
    tf = clients["taskforce"]
    total = len(_ledger(paged_app))
    body = tf.get("/api/incentives").json()
    assert (body["page"], body["per_page"]) == (1, svc.DEFAULT_PER_PAGE)
    assert len(body["items"]) == svc.DEFAULT_PER_PAGE
    assert (body["first"], body["last"]) == (1, svc.DEFAULT_PER_PAGE)
    far = tf.get("/api/incentives", params={"page": 10_000}).json()
    assert far["page"] == far["pages"] == math.ceil(total / svc.DEFAULT_PER_PAGE)
    assert far["last"] == total
    for bad in ({"per_page": 0}, {"per_page": svc.MAX_PER_PAGE + 1}, {"page": 0}):
        assert tf.get("/api/incentives", params=bad).status_code == 422


@pytest.mark.parametrize(
    ("params", "columns"),
    [
        ({"status": "reviewed"}, {"status": "reviewed"}),
        ({"status": "rejected", "year": YEARS[1]}, {"status": "rejected", "year": YEARS[1]}),
        ({"incentive": "first_set", "city": CITY}, {"incentive": "first_set", "payer_city": CITY}),
        (
            {"incentive": "service_platform", "year": YEARS[1], "status": "computed"},
            {"incentive": "service_platform", "year": YEARS[1], "status": "computed"},
        ),
    ],
)
def test_filters_combine_with_paging_and_totals_cover_the_filter(
    clients: dict[str, TestClient],
    paged_app: FastAPI,
    params: dict[str, Any],
    columns: dict[str, Any],
) -> None:
    expected = _expected(_ledger(paged_app), **columns)
    assert len(expected) > 0
    items, head = _all_pages(clients["taskforce"], per_page=7, **params)
    assert head["pages"] > 1
    assert [i["id"] for i in items] == sorted(expected["id"])
    assert head["total"] == len(expected)
    for column in svc.MONEY_COLUMNS:
        assert head["totals"][column] == pytest.approx(expected[column].sum(), abs=0.01)
    assert head["amount_wan"] == head["totals"]["amount_wan"]
    assert head["filters"] == {**svc.Filters().as_dict(), **params}


def test_search_by_name_or_credit_code(
    clients: dict[str, TestClient], paged_app: FastAPI, web_data: WebData
) -> None:
    ledger = _ledger(paged_app)
    firm = web_data.enterprises.iloc[5]
    part_of_name = str(firm["name"])[2:7]
    by_name = ledger[ledger["name"].str.contains(part_of_name, regex=False)]
    items, head = _all_pages(clients["taskforce"], q=part_of_name, per_page=5)
    assert head["total"] == len(by_name) >= ITEMS_PER_FIRM
    assert [i["id"] for i in items] == sorted(by_name["id"])
    code = str(firm["uscc"])
    for text in (code, code[4:12].lower()):
        by_code = ledger[ledger["uscc"].str.contains(text.upper(), regex=False)]
        items, head = _all_pages(clients["taskforce"], q=text, per_page=50)
        assert {i["uscc"] for i in items} == set(by_code["uscc"])
        assert head["total"] == len(by_code) > 0
    # LIKE wildcards are searched for literally
    assert clients["taskforce"].get("/api/incentives", params={"q": "%"}).json()["total"] == 0


@pytest.mark.parametrize("role", ROLES)
def test_sql_scope_is_the_access_rule(
    clients: dict[str, TestClient], paged_app: FastAPI, web_data: WebData, role: str
) -> None:
    """Rows, counts and totals seen through the API are exactly ``Scope.filter_ledger``'s."""
    visible = Scope(_principal(role, web_data)).filter_ledger(_ledger(paged_app))
    items, head = _all_pages(clients[role], per_page=svc.MAX_PER_PAGE)
    assert sorted(i["id"] for i in items) == sorted(visible["id"])
    assert head["counts"] == {s: int((visible["status"] == s).sum()) for s in svc.STATUSES}
    assert head["cities"] == sorted(set(visible["payer_city"].dropna()))
    assert head["years"] == sorted(set(visible["year"]))
    for column in svc.MONEY_COLUMNS:
        assert head["totals"][column] == pytest.approx(visible[column].sum(), abs=0.01)


def test_a_city_total_is_the_sum_over_its_own_rows_only(
    clients: dict[str, TestClient], paged_app: FastAPI
) -> None:
    items, head = _all_pages(clients["city"], per_page=50)
    assert head["pages"] > 1
    assert items
    assert {i["payer_city"] for i in items} == {CITY}
    # a city's money is its own share of its own rows
    assert head["amount_wan"] == pytest.approx(sum(i["city_wan"] for i in items), abs=0.01)
    assert head["totals"]["amount_wan"] == pytest.approx(
        sum(i["amount_wan"] for i in items), abs=0.01
    )
    everyone = clients["taskforce"].get("/api/incentives").json()
    assert everyone["totals"]["city_wan"] > head["totals"]["city_wan"]
    # filtering by another city, or searching for another city's firm, shows nothing
    other = next(c for c in everyone["cities"] if c != CITY)
    assert clients["city"].get("/api/incentives", params={"city": other}).json()["total"] == 0
    ledger = _ledger(paged_app)
    outsider = ledger[ledger["payer_city"].notna() & (ledger["payer_city"] != CITY)].iloc[0]
    found = clients["city"].get("/api/incentives", params={"q": outsider["uscc"]}).json()
    assert found["total"] == 0
    assert found["totals"]["amount_wan"] == 0


def test_an_enterprise_never_pages_into_another(
    clients: dict[str, TestClient], paged_app: FastAPI, web_data: WebData
) -> None:
    own = own_enterprise(web_data)
    firm = clients["firm"]
    items, head = _all_pages(firm, per_page=1)
    assert head["pages"] == head["total"] == ITEMS_PER_FIRM
    assert {i["uscc"] for i in items} == {own}
    assert head["totals"]["amount_wan"] == pytest.approx(
        sum(i["amount_wan"] for i in items), abs=0.01
    )
    for params in ({"page": 10**6, "per_page": 1}, {"page": 3, "per_page": 500}):
        body = firm.get("/api/incentives", params=params).json()
        assert {i["uscc"] for i in body["items"]} == {own}
    ledger = _ledger(paged_app)
    someone_else = next(u for u in ledger["uscc"] if u != own)
    assert firm.get("/api/incentives", params={"q": someone_else}).json()["total"] == 0
    for params in ({"q": someone_else}, {"page": 2, "per_page": 5}, {"page": 10**6}):
        html = firm.get("/incentives", params=params).text
        shown = {int(i) for i in re.findall(r'<tr data-id="(\d+)"', html)}
        assert shown <= set(ledger.loc[ledger["uscc"] == own, "id"])


def test_page_links_keep_the_filters(clients: dict[str, TestClient], paged_app: FastAPI) -> None:
    params = {"status": "computed", "incentive": "first_set", "q": "光谷", "per_page": 5}
    expected = _expected(_ledger(paged_app), status="computed", incentive="first_set")
    pages = math.ceil(len(expected) / 5)
    assert pages >= 3
    html = clients["taskforce"].get("/incentives", params={**params, "page": 2, "lang": "zh"}).text
    pager = re.search(r'<nav class="pager" id="ledger-pager".*?</nav>', html, re.S)
    assert pager is not None
    links = re.findall(r'href="([^"]+)"', pager.group(0))
    assert links
    for link in links:
        for key, value in (("status", "computed"), ("incentive", "first_set"), ("per_page", "5")):
            assert f"{key}={value}" in link.replace("&amp;", "&")
        assert "q=%E5%85%89%E8%B0%B7" in link  # 光谷, URL-encoded
    assert 'id="page-prev"' in pager.group(0)
    assert 'id="page-next"' in pager.group(0)
    assert {"page=1", "page=3"} <= {m for link in links for m in re.findall(r"page=\d+", link)}
    assert f"第 2 / {pages} 页" in html
    shown = [int(i) for i in re.findall(r'<tr data-id="(\d+)"', html)]
    assert shown == sorted(expected["id"])[5:10]
    assert 'id="synthetic-banner"' in html
    english = clients["taskforce"].get("/incentives", params={**params, "page": 2, "lang": "en"})
    assert f"Page 2 of {pages}" in english.text


def test_an_empty_result_says_so(clients: dict[str, TestClient]) -> None:
    tf = clients["taskforce"]
    zh = tf.get("/incentives", params={"q": "没有这家企业", "lang": "zh"}).text
    assert "没有符合筛选条件的奖补条目" in zh
    assert 'id="ledger-pager"' not in zh
    en = tf.get("/incentives", params={"q": "没有这家企业", "lang": "en"}).text
    assert "No entitlements match these filters" in en
    tf.get("/incentives", params={"lang": "zh"})  # back to Chinese for the other tests


def test_bulk_action_works_on_the_rows_of_the_current_page(
    clients: dict[str, TestClient], paged_app: FastAPI
) -> None:
    tf = clients["taskforce"]
    params = {"status": "computed", "incentive": "revenue_milestone", "per_page": 10, "page": 2}
    before = tf.get("/api/incentives", params=params).json()
    picked = [i["id"] for i in before["items"][:3]]
    page = tf.get("/incentives", params=params)
    referer = str(page.url)
    for target in picked:
        assert f'name="ids" value="{target}"' in page.text
    done = tf.post(
        "/incentives/transition",
        data={"csrf_token": form_token(page.text), "action": "review", "ids": picked},
        headers={"referer": referer},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"].endswith(referer[referer.index("/incentives?") :])
    after = _ledger(paged_app).set_index("id")
    assert list(after.loc[picked, "status"]) == ["reviewed"] * len(picked)
    assert list(after.loc[picked, "reviewed_by"]) == ["taskforce"] * len(picked)
    untouched = [i["id"] for i in before["items"][3:]]
    assert set(after.loc[untouched, "status"]) == {"computed"}
    back = tf.get(done.headers["location"]).text
    assert 'class="flash flash-ok"' in back
    assert all(f"#{i}" in back for i in picked)
    again = tf.get("/api/incentives", params=params).json()
    assert again["total"] == before["total"] - len(picked)


@pytest.mark.parametrize("role", ROLES)
def test_the_service_pages_the_same_on_sqlite_and_postgresql(
    db_url: str, web_data: WebData, role: str
) -> None:
    """``entitlements`` straight on each back-end (``db_url``: SQLite, then PostgreSQL)."""
    rows = _rows(web_data)
    run = PreparedRun("test", "0" * 64, None, "duckdb", "test", {}, rows, datetime.now(UTC))
    record_run(db_url, run, "taskforce")
    scope = Scope(_principal(role, web_data))
    visible = scope.filter_ledger(ledger_frame(db_url))
    for filters in (svc.Filters(), svc.Filters(q="ma0"), svc.Filters(year=YEARS[2], q="光谷")):
        expected = visible
        if filters.q:
            expected = expected[
                expected["name"].str.contains(filters.q, regex=False)
                | expected["uscc"].str.contains(filters.q.upper(), regex=False)
            ]
        if filters.year is not None:
            expected = expected[expected["year"] == filters.year]
        seen: list[int] = []
        page, pages = 1, 1
        while page <= pages:
            body = svc.entitlements(db_url, scope, filters, svc.Paging(page, 113))
            seen += [int(i["id"]) for i in body["items"]]
            pages, page = body["pages"], page + 1
        assert seen == sorted(expected["id"])
        assert body["total"] == len(expected)
        for column in svc.MONEY_COLUMNS:
            assert body["totals"][column] == pytest.approx(expected[column].sum(), abs=0.01)
    assert svc.entitlements(db_url, scope, svc.Filters(q="%"))["total"] == 0
    # a NUL typed into the search box is not sent to the database (PostgreSQL refuses it)
    assert svc.entitlements(db_url, scope, svc.Filters(q="\0", city="\0"))["total"] == len(visible)
