"""Serving fast without serving stale data (issue 17, speed).

- the ledger page asks the database for one page, counts and sums, never for the
  whole ``entitlements`` table (every statement is checked);
- its budget, summed by the database, equals the ledger summed with pandas
  (``ledger.records.payer_shares`` over ``ledger.budget.ledger_frame``) for every
  role, on SQLite and PostgreSQL;
- what a worker caches (the snapshot, entitlements, a firm's page, the chain overview,
  stored progress reports, task-item flags) is replaced after an import or a report
  made through ANOTHER worker (two apps on one database): each answers like an app
  started afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from tests.web.conftest import CITY, DEPARTMENT_UNIT, csrf_of, login, make_app, own_enterprise
from tests.web.fixture_package import write_fixture_package

from laser_policy.ledger.budget import ledger_frame
from laser_policy.ledger.records import PROVINCE_ZH, payer_shares
from laser_policy.ledger.service import PreparedRun, approve, pay, record_run, reject, review
from laser_policy.policy.model import load_policy
from laser_policy.store.importer import import_package
from laser_policy.web import WebSettings, create_app
from laser_policy.web.access import Scope
from laser_policy.web.accounts import Accounts, NewUser, make_engine
from laser_policy.web.auth import Principal, Role
from laser_policy.web.data import WebData, provider_for
from laser_policy.web.services import ledger as svc

ROLES = ("taskforce", "admin", "dept", "city", "firm")
BUDGET_KEYS = ("committed_wan", "paid_wan", "pending_wan")


def _ledger_rows(data: WebData) -> list[dict[str, Any]]:
    """Synthetic ledger rows for every fixture firm: provincial-only ones, shared ones and
    some whose paying city is unknown (its share goes to 市州未明)."""
    rows = []
    for n, ent in enumerate(data.enterprises.itertuples(index=False)):
        for k, incentive in enumerate(svc.incentive_ids((load_policy(),))):
            amount = round(10 + 7.3 * n + 3.1 * k, 2)
            city_share = 0.0 if incentive == "innovation_source" else round(amount * 0.4, 2)
            rows.append({
                "uscc": str(ent.uscc), "name": str(ent.name), "incentive": incentive,
                "role": "developer" if incentive == "first_set" else "", "item": f"I-{k}",
                "period": 2025 if incentive == "service_platform" else 0, "year": 2025,
                "ref": f"I-{k}", "tier": None, "amount_wan": amount,
                "province_wan": round(amount - city_share, 2), "city_wan": city_share,
                "payer_city": None if (incentive == "innovation_source" or n % 9 == 4)
                else str(ent.city),
                "clause": "（合成）第十八条", "explanation": "合成示例 / synthetic",
                "steps": [], "rules_version": "test",
            })
    return rows


def _fill_ledger(url: str, data: WebData) -> None:
    run = PreparedRun("test", "1" * 64, None, "duckdb", "test", {}, _ledger_rows(data),
                      datetime.now(UTC))
    ids = record_run(url, run, "taskforce").inserted_ids
    review(url, ids[::2], "taskforce")
    approve(url, ids[::4], "admin")
    pay(url, ids[::8], "admin")
    reject(url, [i for n, i in enumerate(ids) if n % 7 == 3 and n % 2], "taskforce", "测试")


def _principal(name: str, data: WebData) -> Principal:
    if name == "city":
        return Principal(0, name, Role.CITY, city=CITY)
    if name == "firm":
        return Principal(0, name, Role.ENTERPRISE, uscc=own_enterprise(data))
    roles = {"taskforce": Role.TASKFORCE, "admin": Role.ADMIN, "dept": Role.DEPARTMENT}
    return Principal(0, name, roles[name])


def _expected_budget(url: str, scope: Scope) -> dict[str, dict[str, float]]:
    frame = scope.filter_ledger(ledger_frame(url))
    long = payer_shares(frame[frame["status"] != "rejected"])
    out: dict[str, dict[str, float]] = {}
    for payer, part in long.groupby("payer"):
        key = "province" if payer == PROVINCE_ZH else str(payer)
        if not scope.sees_payer(key):
            continue
        status = part["status"]
        out[str(payer)] = {
            "committed_wan": float(part["payer_wan"][status.isin(["approved", "paid"])].sum()),
            "paid_wan": float(part["payer_wan"][status == "paid"].sum()),
            "pending_wan": float(part["payer_wan"][status.isin(["computed", "reviewed"])].sum()),
        }
    return out


@contextmanager
def _statements() -> Iterator[list[str]]:
    """Every SQL statement any engine of this process runs inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@contextmanager
def _clients(app: FastAPI, names: tuple[str, ...]) -> Iterator[dict[str, TestClient]]:
    made = {}
    try:
        for name in names:
            made[name] = TestClient(app)
            made[name].__enter__()
            login(made[name], name)
        yield made
    finally:
        for client in made.values():
            client.__exit__(None, None, None)


def test_budget_summed_by_the_database_equals_the_ledger_for_every_role(
    tmp_path: Path, package_dir: Path, web_data: WebData, db_url: str
) -> None:
    app = make_app(tmp_path, package_dir, web_data, database_url=db_url, login_burst=10_000)
    _fill_ledger(db_url, web_data)
    with _clients(app, ROLES) as clients:
        for name, client in clients.items():
            scope = Scope(_principal(name, web_data))
            expected = _expected_budget(db_url, scope)
            body = client.get("/api/incentives/budget").json()
            got = {p["payer"]: {k: p[k] for k in BUDGET_KEYS} for p in body["payers"]}
            assert set(got) == set(expected), name
            assert any(expected.values()), name
            for payer, line in expected.items():
                for key in BUDGET_KEYS:
                    assert got[payer][key] == pytest.approx(line[key], abs=0.01), (name, payer)
            for key in BUDGET_KEYS:
                assert body["totals"][key] == pytest.approx(
                    sum(line[key] for line in expected.values()), abs=0.02)
            # 省级 first, like ledger.budget.sort_payers
            if scope.sees_payer("province"):
                assert body["payers"][0]["payer"] == PROVINCE_ZH


def test_ledger_page_never_reads_the_whole_ledger(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    app = make_app(tmp_path, package_dir, web_data, login_burst=10_000)
    _fill_ledger(app.state.lp.settings.database_url, web_data)
    with _clients(app, ("taskforce", "city")) as clients:
        for client in clients.values():
            client.get("/incentives")  # warm: snapshot, policy
            with _statements() as seen:
                for url in ("/incentives", "/incentives?status=reviewed&page=2&per_page=5",
                            "/api/incentives", "/api/incentives/budget"):
                    assert client.get(url).status_code == 200
            reads = [s for s in seen if re.search(r"\bFROM entitlements\b", s)]
            assert reads
            for statement in reads:
                # a page (LIMIT), or an aggregate: count, sum, distinct, group by
                assert re.search(r"\bLIMIT\b|count\(|sum\(|\bDISTINCT\b|GROUP BY", statement), (
                    statement)


def test_enterprise_pages_read_no_data_table_per_request(
    tmp_path: Path, package_dir: Path, web_data: WebData
) -> None:
    """The snapshot and everything derived from it are computed once; a request reads
    only the session (and the import-batch probe)."""
    app = make_app(tmp_path, package_dir, web_data, login_burst=10_000)
    firm = str(web_data.enterprises["uscc"].iloc[3])
    urls = ("/enterprises", "/api/enterprises?q=%E6%AD%A6&page=1", f"/enterprises/{firm}",
            f"/api/enterprises/{firm}", "/chain", "/api/chain")
    with _clients(app, ("taskforce",)) as clients:
        client = clients["taskforce"]
        for url in urls:
            assert client.get(url).status_code == 200
        computed = app.state.lp._cache.computed
        with _statements() as seen:
            for url in urls:
                assert client.get(url).status_code == 200
    assert app.state.lp._cache.computed == computed  # nothing computed again
    data_tables = ("enterprises", "financials", "qualifications", "transactions", "entitlements")
    for statement in seen:
        assert not any(re.search(rf"\bFROM {t}\b", statement) for t in data_tables), statement


# --- two workers on one database -------------------------------------------------


def _worker(url: str) -> FastAPI:
    """One server process's app (its own provider and caches) over the store at ``url``."""
    settings = WebSettings.development(database_url=url, login_burst=10_000,
                                       login_ip_burst=10_000)
    return create_app(settings, data=provider_for(None, url, make_engine(url)))


CACHED_JSON: tuple[Callable[[str], str], ...] = (
    lambda firm: "/api/enterprises?page_size=200",
    lambda firm: f"/api/enterprises/{firm}",
    lambda firm: "/api/chain",
    lambda firm: "/api/overview",
    lambda firm: "/api/measures",
)


def _answers(client: TestClient, firm: str) -> list[Any]:
    out = []
    for make in CACHED_JSON:
        response = client.get(make(firm))
        assert response.status_code == 200, make(firm)
        out.append(response.json())
    return out


def test_an_import_through_one_worker_is_seen_by_the_other(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    import_package(write_fixture_package(tmp_path / "one", n=20), url, user="test")
    accounts = Accounts(make_engine(url))
    accounts.create_user(NewUser("taskforce", "correct-horse-battery", Role.TASKFORCE))
    accounts.create_user(NewUser("dept", "correct-horse-battery", Role.DEPARTMENT,
                                 DEPARTMENT_UNIT, unit=DEPARTMENT_UNIT))
    workers = [_worker(url), _worker(url)]
    second = write_fixture_package(tmp_path / "two", n=35, seed=5)
    new_firm = str(pd.read_csv(second / "enterprises.csv", dtype=str)["uscc"].iloc[-1])
    with _clients(workers[0], ("taskforce", "dept")) as a, \
            _clients(workers[1], ("taskforce",)) as b:
        old_firm = a["taskforce"].get("/api/enterprises").json()["items"][0]["uscc"]
        for client in (a["taskforce"], b["taskforce"]):
            _answers(client, old_firm)  # every cache warm, in both workers
            assert client.get(f"/api/enterprises/{new_firm}").status_code == 404
        import_package(second, url, user="test")  # e.g. `laser-policy import`, or worker a
        # a progress report through worker a: worker b's measures must show it
        measure = next(m for m in load_policy().measures if DEPARTMENT_UNIT in m.units)
        period = a["dept"].get("/api/measures").json()["period"]
        sent = a["dept"].post(
            "/api/measures/reports", headers={"X-CSRF-Token": csrf_of(a["dept"])},
            json={"measure": str(measure.number), "period": period, "status": "in_progress",
                  "narrative": "速度测试（示例）"},
        )
        assert sent.status_code == 200, sent.text
        with _clients(_worker(url), ("taskforce",)) as fresh:
            expected = _answers(fresh["taskforce"], new_firm)
        for client in (a["taskforce"], b["taskforce"]):
            got = _answers(client, new_firm)
            assert got == expected
        listing = expected[0]
        assert listing["total"] == 35
        row = next(m for m in expected[4]["measures"] if m["number"] == measure.number)
        assert any(r["narrative"] == "速度测试（示例）" for r in row["reports"])


def test_cached_ledger_answers_follow_every_change_made_elsewhere(
    tmp_path: Path, package_dir: Path, web_data: WebData, db_url: str
) -> None:
    """Ledger pages are answered from a per-process cache keyed by ``ledger_version``:
    a computation or a transition made by another process shows at the next request."""
    app = make_app(tmp_path, package_dir, web_data, database_url=db_url, login_burst=10_000)
    _fill_ledger(db_url, web_data)
    with _clients(app, ("taskforce", "city")) as clients:
        tf = clients["taskforce"]

        def check() -> None:
            frame = ledger_frame(db_url)
            for name, client in clients.items():
                scope = Scope(_principal(name, web_data))
                mine = scope.filter_ledger(frame)
                body = client.get("/api/incentives", params={"per_page": 500}).json()
                assert [i["id"] for i in body["items"]] == sorted(mine["id"])
                assert [i["status"] for i in body["items"]] == list(
                    mine.sort_values("id")["status"])
                assert body["counts"] == {s: int((mine["status"] == s).sum())
                                          for s in svc.STATUSES}
                budget = client.get("/api/incentives/budget").json()
                expected = _expected_budget(db_url, scope)
                assert {p["payer"]: p["pending_wan"] for p in budget["payers"]} == {
                    k: pytest.approx(v["pending_wan"], abs=0.01) for k, v in expected.items()}

        check()
        computed = ledger_frame(db_url)
        computed = computed[computed["status"] == "computed"]["id"].tolist()
        review(db_url, computed[:3], "taskforce")  # as `laser-policy incentives review` does
        check()
        reviewed = ledger_frame(db_url)
        reviewed = reviewed[reviewed["status"] == "reviewed"]["id"].tolist()
        reject(db_url, reviewed[:1], "admin", "重复（测试）")
        check()
        more = [{**r, "item": "EXTRA", "ref": "EXTRA"} for r in _ledger_rows(web_data)[:5]]
        record_run(db_url, PreparedRun("test", "2" * 64, None, "duckdb", "test", {}, more,
                                       datetime.now(UTC)), "taskforce")
        check()
        assert tf.get("/incentives").status_code == 200
