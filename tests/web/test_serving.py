"""Serving: /healthz, gzip, cache headers of static files, caches across workers,
``serve --workers 2`` as real processes with a graceful exit."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, login
from tests.web.fixture_package import write_fixture_package

from laser_policy import __version__
from laser_policy.store.importer import import_package
from laser_policy.web import WebSettings, create_app
from laser_policy.web.accounts import Accounts, NewUser, make_engine
from laser_policy.web.auth import Role
from laser_policy.web.state import AppState

SRC = Path(__file__).resolve().parents[2] / "src"


def test_healthz_needs_no_login_and_shows_no_data(app: FastAPI) -> None:
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_healthz_says_503_when_the_database_is_gone(tmp_path: Path) -> None:
    app = create_app(WebSettings.development(database_url=f"sqlite:///{tmp_path / 'h.db'}"))
    state: AppState = app.state.lp
    # a real engine on a port where no database listens
    state.accounts.engine = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable",
                               "version": __version__}
    assert "127.0.0.1" not in response.text


def test_pages_and_json_are_gzipped(client_for: Callable[[str], TestClient]) -> None:
    client = client_for("taskforce")
    for path in ("/enterprises", "/api/enterprises"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["content-encoding"] == "gzip", path
    plain = client.get("/api/enterprises", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers


def test_static_files_carry_a_version_and_long_cache_headers(
    client_for: Callable[[str], TestClient],
) -> None:
    client = client_for("taskforce")
    page = client.get("/").text
    match = re.search(r'/static/app\.css\?v=([0-9a-f]+)"', page)
    assert match, "the page links the stylesheet without a version"
    versioned = client.get(f"/static/app.css?v={match.group(1)}")
    assert versioned.status_code == 200
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    # an unversioned (or stale) URL revalidates with its ETag
    plain = client.get("/static/app.css?v=stale")
    assert plain.headers["cache-control"] == "no-cache"
    again = client.get("/static/app.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304
    js = client.get(f"/static/vendor/echarts.min.js?v={match.group(1)}",
                    headers={"Accept-Encoding": "gzip"})
    assert js.headers["content-encoding"] == "gzip"


def test_a_change_through_one_worker_is_seen_by_the_other_at_once(tmp_path: Path) -> None:
    """Two app instances on one database (two workers): each caches its snapshot and
    the computations on it; an import is seen by both at their next request."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    import_package(write_fixture_package(tmp_path / "one", n=20), url, user="test")
    first = create_app(WebSettings.development(database_url=url))
    second = create_app(WebSettings.development(database_url=url))
    Accounts(make_engine(url)).create_user(NewUser("tf", PASSWORD, Role.TASKFORCE))
    with TestClient(first) as a, TestClient(second) as b:
        login(a, "tf")
        login(b, "tf")
        for client in (a, b):
            assert client.get("/api/enterprises").json()["total"] == 20
            assert client.get("/api/overview").json()["kpis"]["enterprises"] == 20
        import_package(write_fixture_package(tmp_path / "two", n=30), url, user="test")
        for client in (a, b):
            assert client.get("/api/enterprises").json()["total"] == 30
            assert client.get("/api/overview").json()["kpis"]["enterprises"] == 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"resource_tracker" not in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to count processes")
def test_serve_with_two_workers_answers_and_exits_gracefully(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASER_POLICY_")}
    env["PYTHONPATH"] = str(SRC)
    proc = subprocess.Popen(
        [sys.executable, "-m", "laser_policy", "serve", "--db", str(tmp_path / "w.db"),
         "--port", str(port), "--workers", "2", "--graceful-timeout", "5"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        pids: set[int] = set()
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                if response.status_code == 200 and len(_children(proc.pid)) == 2:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, "serve exited early"
            time.sleep(0.5)
        else:
            pytest.fail("serve --workers 2 did not answer /healthz")
        assert response.json()["database"] == "ok"
        workers = _children(proc.pid)
        assert len(workers) == 2
        # both workers answer: many short connections are spread over the two processes
        for _ in range(20):
            assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        pids = set(workers)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    log = out.decode(errors="replace")
    assert proc.returncode == 0, log
    assert log.count("Finished server process") == 2, log
    assert all(not Path(f"/proc/{pid}").exists() for pid in pids)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)


def test_measure_flags_are_cached_until_a_report_changes(tmp_path: Path) -> None:
    """The flags (contradiction checks run the engine) are computed once per snapshot and
    set of reports: a repeated page costs no computation, a new report is seen at once."""
    from tests.web.conftest import DEPARTMENT_UNIT, csrf_of

    from laser_policy.policy.model import load_policy

    url = f"sqlite:///{tmp_path / 'm.db'}"
    import_package(write_fixture_package(tmp_path / "pkg", n=20), url, user="test")
    app = create_app(WebSettings.development(database_url=url))
    state: AppState = app.state.lp
    Accounts(make_engine(url)).create_user(
        NewUser("dept", PASSWORD, Role.DEPARTMENT, DEPARTMENT_UNIT, unit=DEPARTMENT_UNIT))
    own = next(m for m in load_policy().measures if DEPARTMENT_UNIT in m.lead_units)
    with TestClient(app) as client:
        login(client, "dept")

        def flag() -> dict[str, object]:
            row = next(m for m in client.get("/api/measures").json()["measures"]
                       if m["number"] == own.number)
            return next(f for f in row["flags"] if f["unit"] == DEPARTMENT_UNIT)

        before = flag()
        computed = state._cache.computed
        assert flag() == before
        assert state._cache.computed == computed  # served from the cache
        period = client.get("/api/measures").json()["period"]
        response = client.post(
            "/api/measures/reports", headers={"X-CSRF-Token": csrf_of(client)},
            json={"measure": str(own.number), "period": period, "status": "blocked",
                  "narrative": "资金未到位（示例）"})
        assert response.status_code == 200, response.text
        flag()
        assert state._cache.computed > computed  # the new report made it compute again
        row = next(m for m in client.get("/api/measures").json()["measures"]
                   if m["number"] == own.number)
        assert any(r["status"] == "blocked" for r in row["reports"])
