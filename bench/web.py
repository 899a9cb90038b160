"""Web benchmark: every page and its JSON twin under ``serve --workers 2``, load from ``wrk``.

For each size (default 2,000 and 10,000 enterprises, 50,000 transactions) a demo
database is built (``build_demo``: synthetic data, ledger and progress reports), the
server is started as a real ``laser-policy serve --workers 2`` process on 127.0.0.1,
the task force logs in once, and ``wrk`` (an external load generator, 50 connections)
hits each URL for ``--seconds`` with that session cookie. Prints p50/p95 (ms) and
requests/s per URL, the sizes side by side, the ratio of each p50 to ``/api/me``
(the baseline: an authenticated JSON endpoint that computes nothing) and the load
average of the machine before and after (the machine is shared: absolute figures are
noisy, the ratios less so).

``--inprocess N`` (default 15; 0 = off) also times each URL inside one process with
FastAPI's ``TestClient``, sequentially (no load, no network): median wall time and
median process CPU time of N requests after a warm-up — the cost of one request,
far less noisy than the figures under load on a shared machine.

``--before SRC`` measures a second source tree (e.g. a checkout of the previous
commit: ``git worktree add /tmp/before HEAD~3``, then ``--before /tmp/before/src``)
in the same run on the same databases, and prints each page's p95 before/after.
A tree whose ``serve`` has no ``--workers`` runs its single worker.

wrk is not a Python package: ``apt-get install wrk`` (Debian). Without it the bench
says so and exits.

    python bench/web.py                                  # 2,000 and 10,000 enterprises
    python bench/web.py --sizes 2000 --seconds 5
    python bench/web.py --sizes 2000 --before /tmp/before/src
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

SRC = Path(__file__).resolve().parents[1] / "src"
CONNECTIONS = 50
#: wrk prints this line from its ``done`` hook: p50 p95 (µs), requests, errors, duration (µs)
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LP %d %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration))
end
"""


@dataclass(frozen=True)
class Result:
    p50_ms: float
    p95_ms: float
    rps: float
    errors: int


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(folder: Path, enterprises: int, transactions: int) -> tuple[Path, str, str, str]:
    """A demo database; returns its path, the task force's password, a firm and a run."""
    sys.path.insert(0, str(SRC))
    from laser_policy.cli.web import build_demo
    from laser_policy.web.data import load_database

    _, db_file, created = build_demo(folder, enterprises, transactions, seed=3, force=True)
    password = next(pw for acc, pw in created if acc.role == "taskforce")
    snapshot = load_database(f"sqlite:///{db_file}")
    firm = str(snapshot.enterprises["uscc"].iloc[len(snapshot.enterprises) // 2])
    return db_file, password, firm, ""


def _urls() -> list[str]:
    """URL templates (``{firm}``: an enterprise of the middle of the list)."""
    pages = ["/", "/enterprises", "/enterprises/{firm}", "/policy", "/measures", "/projects",
             "/chain", "/incentives", "/data"]
    api = ["/api/overview", "/api/enterprises", "/api/enterprises/{firm}", "/api/policy",
           "/api/measures", "/api/projects", "/api/chain", "/api/incentives", "/api/data"]
    # the baseline first, then each page beside its JSON twin
    out = ["/api/me", "/healthz"]
    for page, twin in zip(pages, api, strict=True):
        out += [page, twin]
    out += ["/enterprises?page=3&q=%E6%AD%A6", "/api/enterprises?page=2&page_size=50"]
    return out


def _serve(src: Path, db_file: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASER_POLICY_")}
    env["PYTHONPATH"] = str(src)
    env["LASER_POLICY_LOGIN_BURST"] = "1000"
    env["LASER_POLICY_LOGIN_IP_BURST"] = "100000"  # every client logs in from 127.0.0.1
    help_text = subprocess.run(
        [sys.executable, "-m", "laser_policy", "serve", "--help"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    cmd = [sys.executable, "-m", "laser_policy", "serve", "--db", str(db_file),
           "--port", str(port)]
    if "--workers" in help_text:
        cmd += ["--workers", str(workers)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _login(base: str, password: str) -> str:
    with httpx.Client(base_url=base, timeout=60) as client:
        page = client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        if match is None:
            raise RuntimeError("no CSRF token on the login page")
        response = client.post("/login", data={"username": "taskforce", "password": password,
                                               "csrf_token": match.group(1)})
        if response.status_code != 303:
            raise RuntimeError(f"login failed: HTTP {response.status_code}")
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def _wrk(url: str, cookie: str, seconds: int, script: Path) -> Result:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s",
         "-H", f"Cookie: {cookie}", "-H", "Accept-Encoding: gzip", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("LP "))
    p50, p95, n, errors, duration = (int(v) for v in line.split()[1:])
    return Result(p50 / 1000, p95 / 1000, n / (duration / 1e6), errors)


def _measure(src: Path, db_file: Path, password: str, firm: str, seconds: int,
             script: Path, workers: int) -> dict[str, Result]:
    urls = {u: u.replace("{firm}", firm) for u in _urls()}
    port = _port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(src, db_file, port, workers)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.5)
        cookie = _login(base, password)
        # warm-up: every worker loads the data and computes what it caches
        for url in urls.values():
            for _ in range(workers * 3):
                httpx.get(base + url, headers={"Cookie": cookie}, timeout=300)
        results = {}
        for url, real in urls.items():
            results[url] = _wrk(base + real, cookie, seconds, script)
            print(f"  {url:<44}{results[url].p50_ms:>9.1f}{results[url].p95_ms:>9.1f}"
                  f"{results[url].rps:>8.0f}", flush=True)
        return results
    finally:
        server.terminate()
        server.wait(timeout=60)


@dataclass(frozen=True)
class InProcess:
    wall_ms: float
    cpu_ms: float


def _probe(db_file: str, password: str, firm: str, n: int) -> None:
    """In this process (its ``PYTHONPATH`` names the tree): each URL ``n`` times in a row
    through ``TestClient``; prints one JSON object url → [median wall ms, median CPU ms]."""
    import statistics

    from fastapi.testclient import TestClient

    from laser_policy.web import WebSettings, create_app

    settings = WebSettings.development(database_url=f"sqlite:///{db_file}")
    out: dict[str, list[float]] = {}
    with TestClient(create_app(settings)) as client:
        page = client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        if match is None:
            raise RuntimeError("no CSRF token on the login page")
        client.post("/login", data={"username": "taskforce", "password": password,
                                     "csrf_token": match.group(1)})
        for url in _urls():
            real = url.replace("{firm}", firm)
            for _ in range(3):  # warm: the snapshot and what is cached on it
                client.get(real)
            walls, cpus = [], []
            for _ in range(n):
                w0, c0 = time.perf_counter(), time.process_time()
                response = client.get(real)
                walls.append(time.perf_counter() - w0)
                cpus.append(time.process_time() - c0)
                if response.status_code != 200:
                    raise RuntimeError(f"{real}: HTTP {response.status_code}")
            out[url] = [statistics.median(walls) * 1000, statistics.median(cpus) * 1000]
    print(json.dumps(out))


def _inprocess(src: Path, db_file: Path, password: str, firm: str, n: int
               ) -> dict[str, InProcess]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASER_POLICY_")}
    env["PYTHONPATH"] = f"{src}{os.pathsep}{Path(__file__).resolve().parent}"
    env["LASER_POLICY_LOGIN_BURST"] = "1000"
    env["LASER_POLICY_LOGIN_IP_BURST"] = "100000"
    code = "import sys, web; web._probe(*sys.argv[1:4], int(sys.argv[4]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_file), password, firm, str(n)],
        env=env, capture_output=True, text=True, check=True,
    )
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    return {url: InProcess(*values) for url, values in raw.items()}


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument("--transactions", type=int, default=50_000)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per URL")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--before", type=Path, default=None,
                        help="a second source tree (its src/) measured in the same run")
    parser.add_argument("--inprocess", type=int, default=15,
                        help="requests per URL timed in-process (TestClient); 0 = off")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: install it with `apt-get install wrk` (Debian); skipped")
        return
    trees = [("after", SRC)] + ([("before", args.before)] if args.before else [])
    table: dict[tuple[str, int], dict[str, Result]] = {}
    inproc: dict[tuple[str, int], dict[str, InProcess]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "lp.lua"
        script.write_text(LUA)
        for size in args.sizes:
            t0 = time.perf_counter()
            db_file, password, firm, _ = _prepare(Path(tmp) / str(size), size, args.transactions)
            print(f"{size} enterprises, {args.transactions} transactions: demo built in "
                  f"{time.perf_counter() - t0:.0f} s")
            for name, src in trees:
                print(f"[{name}] {size} enterprises, load average {_load()}"
                      f"\n  {'url':<44}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}", flush=True)
                table[(name, size)] = _measure(
                    src, db_file, password, firm, args.seconds, script, args.workers)
                print(f"  load average after: {_load()}")
                if args.inprocess:
                    inproc[(name, size)] = _inprocess(src, db_file, password, firm,
                                                      args.inprocess)
                    print(f"  in-process ({args.inprocess} sequential requests per URL) "
                          f"done, load average {_load()}", flush=True)
        _summary(table, args.sizes, [n for n, _ in trees], args.workers)
        if inproc:
            _summary_inprocess(inproc, args.sizes, [n for n, _ in trees], args.inprocess)


def _summary(table: dict[tuple[str, int], dict[str, Result]], sizes: list[int],
             trees: list[str], workers: int) -> None:
    print(f"\nsummary: wrk {CONNECTIONS} connections, serve --workers {workers}, "
          f"logged in as the task force; load average now {_load()}")
    head = "".join(f"{f'p50/p95 @{s}':>20}{'x /api/me':>10}" for s in sizes)
    if "before" in trees:
        head += "".join(f"{f'p95 before/after @{s}':>24}" for s in sizes)
    print(f"{'url':<44}{head}")
    for url in _urls():
        line = f"{url:<44}"
        for s in sizes:
            r = table[("after", s)][url]
            base = table[("after", s)]["/api/me"].p50_ms or 1.0
            line += f"{f'{r.p50_ms:.0f}/{r.p95_ms:.0f}':>20}{r.p50_ms / base:>10.1f}"
        if "before" in trees:
            for s in sizes:
                b, a = table[("before", s)][url], table[("after", s)][url]
                line += f"{b.p95_ms / max(a.p95_ms, 0.001):>24.1f}"
        errors = sum(table[(t, s)][url].errors for t in trees for s in sizes)
        print(line + (f"  ({errors} errors)" if errors else ""))


def _summary_inprocess(table: dict[tuple[str, int], dict[str, InProcess]], sizes: list[int],
                       trees: list[str], n: int) -> None:
    print(f"\nin-process, TestClient, sequential: median of {n} requests per URL, "
          f"wall ms / process CPU ms; load average now {_load()}")
    head = "".join(f"{f'{t} @{s}':>20}" for s in sizes for t in trees)
    if "before" in trees:
        head += "".join(f"{f'CPU before/after @{s}':>22}" for s in sizes)
    print(f"{'url':<44}{head}")
    for url in _urls():
        line = f"{url:<44}"
        for s in sizes:
            for t in trees:
                r = table[(t, s)][url]
                line += f"{f'{r.wall_ms:.1f} / {r.cpu_ms:.1f}':>20}"
        if "before" in trees:
            for s in sizes:
                b, a = table[("before", s)][url], table[("after", s)][url]
                line += f"{b.cpu_ms / max(a.cpu_ms, 0.001):>22.1f}"
        print(line)


if __name__ == "__main__":
    main()
