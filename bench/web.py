"""Web benchmark: overview and enterprise pages at 10,000 enterprises, 50 concurrent users.

Serves the app with uvicorn on 127.0.0.1 (a child process, one worker) over a
synthetic package, logs in 50 sessions, then each virtual user requests pages in a
loop for a bounded number of requests. Prints p50/p95 latency and requests per
second per page, and the ratio of each page's p50 to a trivial authenticated JSON
endpoint (``/api/me``), the baseline.

    python bench/web.py                      # 10,000 enterprises, 50 users
    python bench/web.py --enterprises 2000 --users 20 --requests 400
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import re
import socket
import statistics
import tempfile
import time
from pathlib import Path

import httpx

PASSWORD = "bench-password-123"
ROLES = (("taskforce", "taskforce"), ("city", "city"), ("firm", "enterprise"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db_url: str, data: str, port: int) -> None:
    import uvicorn

    from laser_policy.web import WebSettings, create_app

    settings = WebSettings.development(
        database_url=db_url, data_path=Path(data), login_burst=100_000,
        login_ip_burst=100_000
    )
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def _prepare(folder: Path, enterprises: int) -> tuple[str, Path, list[str]]:
    from laser_policy.sample import write_sample
    from laser_policy.web.accounts import Accounts, NewUser, make_engine
    from laser_policy.web.auth import Role
    from laser_policy.web.data import load_package

    data = folder / "data"
    write_sample(data, enterprises=enterprises, transactions=0, seed=3)
    snapshot = load_package(data)
    wuhan = snapshot.enterprises[snapshot.enterprises["city"] == "武汉市"]
    db_url = f"sqlite:///{folder / 'bench.db'}"
    accounts = Accounts(make_engine(db_url))
    accounts.ensure_schema()
    for username, role in ROLES:
        accounts.create_user(
            NewUser(
                username,
                PASSWORD,
                Role(role),
                city="武汉市" if role == "city" else None,
                uscc=str(wuhan.iloc[0]["uscc"]) if role == "enterprise" else None,
            )
        )
    biggest = snapshot.enterprises["uscc"].head(200).tolist()
    return db_url, data, biggest


async def _login(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if match is None:
        raise RuntimeError("no CSRF token on the login page")
    response = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)}
    )
    if response.status_code != 303:
        raise RuntimeError(f"login failed for {username}: {response.status_code}")


async def _run(base: str, users: int, requests: int, uscc: list[str]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {
        "/api/me": [],
        "overview": [],
        "enterprise": [],
        "enterprises": [],
        "/api/overview": [],
    }
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(users)]
    try:
        # the task force sees all enterprises; a few city sessions exercise scoping
        for i, c in enumerate(clients):
            await _login(c, "city" if i % 10 == 9 else "taskforce")
        per_user = max(1, requests // users)
        kinds = list(timings)

        async def user(i: int, client: httpx.AsyncClient) -> None:
            for k in range(per_user):
                kind = kinds[(i + k) % len(kinds)]
                path = {
                    "overview": "/",
                    "enterprises": "/enterprises",
                    "enterprise": f"/enterprises/{uscc[(i * 7 + k) % len(uscc)]}",
                }.get(kind, kind)
                t0 = time.perf_counter()
                response = await client.get(path)
                elapsed = time.perf_counter() - t0
                if response.status_code not in (200, 404):
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")
                timings[kind].append(elapsed)

        start = time.perf_counter()
        await asyncio.gather(*(user(i, c) for i, c in enumerate(clients)))
        timings["_wall"] = [time.perf_counter() - start]
    finally:
        for c in clients:
            await c.aclose()
    return timings


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db_url, data, uscc = _prepare(Path(tmp), args.enterprises)
        print(f"prepared {args.enterprises} enterprises in {time.perf_counter() - t0:.1f} s")
        port = _port()
        server = mp.get_context("spawn").Process(target=_serve, args=(db_url, str(data), port))
        server.start()
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start")
                time.sleep(0.3)
            # warm-up: load the data and the per-scope overview once
            asyncio.run(_run(base, 2, 10, uscc))
            timings = asyncio.run(_run(base, args.users, args.requests, uscc))
        finally:
            server.terminate()
            server.join(timeout=10)
    wall = timings.pop("_wall")[0]
    total = sum(len(v) for v in timings.values())
    baseline = statistics.median(timings["/api/me"])
    print(
        f"{args.users} concurrent users, {total} requests in {wall:.1f} s: "
        f"{total / wall:.0f} requests/s"
    )
    print(f"{'page':<14}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p50/baseline':>14}")
    for kind, values in timings.items():
        p50 = statistics.median(values)
        print(
            f"{kind:<14}{len(values):>6}{p50 * 1000:>10.1f}{_pct(values, 0.95) * 1000:>10.1f}"
            f"{p50 / baseline:>14.2f}"
        )


if __name__ == "__main__":
    main()
