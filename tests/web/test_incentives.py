"""奖补 Incentives: compute into the ledger, review → approve → paid, reject, budget, what-if,
access rules, CSRF and audit (TestClient on a fresh app: these tests write)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.web.conftest import CITY, csrf_of, form_token, logged_in, make_app

from laser_policy.web.data import WebData


@pytest.fixture(scope="module")
def ledger_app(
    tmp_path_factory: pytest.TempPathFactory, package_dir: Path, web_data: WebData
) -> FastAPI:
    return make_app(tmp_path_factory.mktemp("ledger"), package_dir, web_data, login_burst=10_000)


@pytest.fixture(scope="module")
def clients(ledger_app: FastAPI) -> Iterator[dict[str, TestClient]]:
    with logged_in(ledger_app, ("taskforce", "admin", "dept", "city", "firm")) as made:
        yield made


def _post(client: TestClient, path: str, body: object | None = None) -> object:
    return client.post(path, json=body, headers={"X-CSRF-Token": csrf_of(client)})


@pytest.fixture(scope="module")
def computed(clients: dict[str, TestClient]) -> list[int]:
    r = clients["taskforce"].post(
        "/api/incentives/compute", headers={"X-CSRF-Token": csrf_of(clients["taskforce"])}
    )
    assert r.status_code == 200, r.text
    assert r.json()["inserted"] == r.json()["computed"] > 0
    return [int(i["id"]) for i in clients["taskforce"].get("/api/incentives").json()["items"]]


def test_compute_is_idempotent_and_listed(
    clients: dict[str, TestClient], computed: list[int]
) -> None:
    tf = clients["taskforce"]
    again = tf.post("/api/incentives/compute", headers={"X-CSRF-Token": csrf_of(tf)}).json()
    assert again["inserted"] == 0
    assert again["already"] == len(computed)
    listing = tf.get("/api/incentives", params={"status": "computed"}).json()
    assert listing["total"] == len(computed)
    assert all(i["status"] == "computed" for i in listing["items"])
    assert tf.get("/api/incentives", params={"status": "paid"}).json()["total"] == 0


def test_review_approve_pay_with_two_people(
    clients: dict[str, TestClient], computed: list[int], ledger_app: FastAPI
) -> None:
    tf, admin = clients["taskforce"], clients["admin"]
    first = computed[:1]
    assert (
        tf.post(
            "/api/incentives/transition",
            json={"action": "review", "ids": first},
            headers={"X-CSRF-Token": csrf_of(tf)},
        ).status_code
        == 200
    )
    same = tf.post(
        "/api/incentives/transition",
        json={"action": "approve", "ids": first},
        headers={"X-CSRF-Token": csrf_of(tf)},
    )
    assert same.status_code == 409
    assert "审核人与批准人不能是同一人" in same.json()["detail"]
    ok = admin.post(
        "/api/incentives/transition",
        json={"action": "approve", "ids": first},
        headers={"X-CSRF-Token": csrf_of(admin)},
    )
    assert ok.status_code == 200
    item = next(i for i in admin.get("/api/incentives").json()["items"] if i["id"] == first[0])
    assert (item["status"], item["reviewed_by"], item["approved_by"]) == (
        "approved",
        "taskforce",
        "admin",
    )
    budget = admin.get("/api/incentives/budget").json()
    assert budget["totals"]["committed_wan"] == pytest.approx(item["amount_wan"])
    xlsx = admin.get("/incentives/approved.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "省级"
    # every write is in the web audit log, with who did it
    with ledger_app.state.lp.accounts.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT username, action, status FROM web_audit_log WHERE action LIKE "
                "'POST /api/incentives/transition'"
            )
        ).all()
    assert ("admin", "POST /api/incentives/transition", 200) in [tuple(r) for r in rows]
    assert ("taskforce", "POST /api/incentives/transition", 409) in [tuple(r) for r in rows]


def test_reject_needs_a_reason_in_the_page_form(
    clients: dict[str, TestClient], computed: list[int]
) -> None:
    tf = clients["taskforce"]
    target = computed[-1]
    page = tf.get("/incentives")
    token = form_token(page.text)
    r = tf.post(
        "/incentives/transition",
        data={"csrf_token": token, "action": "reject", "ids": str(target), "reason": ""},
    )
    assert r.status_code == 200  # redirected back to the page, the refusal shown
    assert "驳回须填写理由" in r.text
    r = tf.post(
        "/incentives/transition",
        data={"csrf_token": token, "action": "reject", "ids": str(target), "reason": "材料不全"},
    )
    assert "材料不全" in r.text
    listing = tf.get("/api/incentives", params={"status": "rejected"}).json()
    assert [i["id"] for i in listing["items"]] == [target]


def test_forms_need_csrf(clients: dict[str, TestClient], computed: list[int]) -> None:
    r = clients["taskforce"].post(
        "/incentives/transition", data={"action": "review", "ids": str(computed[0])}
    )
    assert r.status_code == 403


def test_access_rules(
    clients: dict[str, TestClient], computed: list[int], web_data: WebData
) -> None:
    for name in ("dept", "city", "firm"):
        c = clients[name]
        assert _status(c, "/api/incentives/compute", None) == 403
        assert (
            _status(c, "/api/incentives/transition", {"action": "review", "ids": computed[:1]})
            == 403
        )
        assert c.get("/incentives/approved.xlsx").status_code == 403
    city = clients["city"].get("/api/incentives").json()
    assert all(i["payer_city"] == CITY for i in city["items"])
    assert [p["payer"] for p in clients["city"].get("/api/incentives/budget").json()["payers"]] in (
        [CITY],
        [],
    )
    firm = clients["firm"]
    own = firm.get("/api/incentives").json()["items"]
    uscc = {i["uscc"] for i in own}
    assert len(uscc) <= 1
    assert (
        firm.get(
            "/api/incentives/whatif",
            params={"name": "revenue_milestone.province_share", "value": "0.6"},
        ).status_code
        == 403
    )
    assert "/incentives" in clients["dept"].get("/incentives").text


def _status(client: TestClient, path: str, body: object | None) -> int:
    r = client.post(path, json=body, headers={"X-CSRF-Token": csrf_of(client)})
    return int(r.status_code)


def test_what_if_moves_money_between_payers(clients: dict[str, TestClient]) -> None:
    tf = clients["taskforce"]
    r = tf.get(
        "/api/incentives/whatif",
        params={"name": "revenue_milestone.province_share", "value": "0.8"},
    ).json()
    province = next(p for p in r["payers"] if p["payer"] == "省级")
    assert province["change_wan"] > 0
    assert r["total_change_wan"] == pytest.approx(0.0, abs=0.01)
    assert r["firms_affected"] > 0
    city_view = (
        clients["city"]
        .get(
            "/api/incentives/whatif",
            params={"name": "revenue_milestone.province_share", "value": "0.8"},
        )
        .json()
    )
    assert {p["payer"] for p in city_view["payers"]} <= {CITY}
    bad = tf.get("/api/incentives/whatif", params={"name": "no.such", "value": "1"})
    assert bad.status_code == 400
    page = tf.get(
        "/incentives", params={"wi_name": "revenue_milestone.province_share", "wi_value": "0.8"}
    )
    assert 'id="whatif-table"' in page.text
