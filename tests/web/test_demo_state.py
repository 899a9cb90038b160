"""The demo is a realistic mid-year state: progress reports of every kind and a ledger
with rows in every state, all synthetic; the printed accounts have a header."""

from __future__ import annotations

import html
import re
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.web.conftest import form_token

from laser_policy.cli.web import build_demo, demo
from laser_policy.ledger.transitions import STATUS_ZH
from laser_policy.sample.demo_state import MARK
from laser_policy.web import WebSettings, create_app

ENTERPRISES = 60


def _client(app: object, username: str, password: str) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    token = form_token(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    return client


def test_demo_has_reports_of_every_kind_and_a_ledger_in_every_state(tmp_path: Path) -> None:
    _data, db_file, accounts = build_demo(tmp_path, 300, 3000, 1)
    url = f"sqlite:///{db_file}"
    app = create_app(WebSettings.development(database_url=url, synthetic=True))
    password = {a.username: pw for a, pw in accounts}["taskforce"]
    with _client(app, "taskforce", password) as client:
        ledger = client.get("/api/incentives").json()
        assert set(STATUS_ZH) <= {s for s, n in ledger["counts"].items() if n > 0}, ledger["counts"]
        rejected = client.get("/api/incentives", params={"status": "rejected"}).json()["items"]
        assert rejected
        assert all(r["rejected_reason"].endswith(MARK) for r in rejected)
        measures = client.get("/api/measures").json()
        counts = measures["counts"]
        assert counts["green"] > counts["red"] > 0, counts
        assert counts["amber"] > 0, counts
        reasons = [f["reason"] for m in measures["measures"] for f in m["flags"]]
        assert any(r.startswith("迟报") for r in reasons)       # late
        assert any(r.startswith("逾期未报") for r in reasons)   # not reported
        assert any("受阻" in r for r in reasons)               # blocked
        reports = [r for m in measures["measures"] for r in m["reports"]]
        assert reports
        assert all(r["narrative"].endswith(MARK) for r in reports)
        done = [m for m in measures["measures"]
                if any(r["status"] == "done" for r in m["reports"]) and m["colour"] == "red"]
        assert done, "no report of done contradicted by the data"


def test_demo_prints_the_accounts_under_a_header(tmp_path: Path) -> None:
    result = CliRunner().invoke(demo, ["--dir", str(tmp_path), "--enterprises",
                                       str(ENTERPRISES), "--transactions", "0", "--no-serve"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "demo accounts" in line)
    header = lines[at + 1].split()
    assert header[:2] == ["角色", "role"]
    assert "password" in header
    assert lines[at + 2].split()[0] == "admin"


def test_what_if_picks_a_parameter_and_explanations_fold(tmp_path: Path) -> None:
    _data, db_file, accounts = build_demo(tmp_path, ENTERPRISES, 500, 2)
    url = f"sqlite:///{db_file}"
    app = create_app(WebSettings.development(database_url=url, synthetic=True))
    password = {a.username: pw for a, pw in accounts}["taskforce"]
    with _client(app, "taskforce", password) as client:
        policy = client.get("/api/policy").json()
        page = client.get("/incentives").text
        # a list of the model's parameters, each with its current value, unit and clause
        assert '<select name="wi_name" id="wi-name"' in page
        share = next(p for p in policy["parameters"]
                     if p["name"] == "revenue_milestone.province_share")
        option = re.search(r'<option value="revenue_milestone.province_share"[^>]*>([^<]+)<',
                           page)
        assert option, "the parameter is not offered"
        text = option.group(1)
        assert str(share["value"]) in text
        assert share["clause"] in text
        long = [e["explanation"] for e in
                client.get("/api/incentives", params={"per_page": 200}).json()["items"]
                if len(e["explanation"]) > 60]
        assert long, "no long explanation in the demo ledger"
        assert '<details class="explain"><summary>' in page
        assert html.escape(long[0], quote=False) in page or long[0] in page
