"""Benchmark: ``laser-policy import`` of N enterprises x 8 years, SQLite and PostgreSQL.

Compares with a plain ``pandas.read_csv`` + ``DataFrame.to_sql`` of the same CSV
files into an empty database of the same back-end (no validation, no keys, no
upsert, no audit), in the same run, as ratios (to_sql time / ours: above 1 is
faster than to_sql):

- whole process: ``python -m laser_policy import PKG --db URL`` as a subprocess
  against a subprocess doing the read_csv + to_sql (interpreter start included);
- in-process: ``import_package`` against the same baseline function, split into
  reading + validating the package (``io.read_package``) and the store's own part
  (typing, staging, upsert, audit, commit) so the floor is visible;
- re-import of the unchanged package (every row compared, nothing written).

The input is synthetic (names end with （示例）) and generated here with valid
credit codes.

    python bench/import_bench.py                      # 100,000 enterprises
    python bench/import_bench.py --enterprises 20000 --backend sqlite
    python bench/import_bench.py --pg-url postgresql+psycopg://user@host/db

PostgreSQL: ``--pg-url`` (databases are created next to it), else a throwaway
local cluster if the server binaries are installed, else it is skipped.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from laser_policy.store.importer import import_package
from laser_policy.store.pgtemp import TempPostgres, create_database, drop_database, find_bindir

_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CITIES = ["武汉市", "黄石市", "宜昌市", "襄阳市", "鄂州市", "孝感市", "荆州市", "黄冈市"]


def make_uscc(n: int) -> str:
    """A valid GB 32100-2015 code (GB 11714 organisation code inside), distinct per n."""
    body = f"{n:08d}"
    c = 11 - sum(int(d) * w for d, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    head = "91420100" + body + ("X" if c == 10 else "0" if c == 11 else str(c))
    c = 31 - sum(_CHARSET.index(ch) * w for ch, w in zip(head, _WEIGHTS, strict=True)) % 31
    return head + _CHARSET[0 if c == 31 else c]


def generate(folder: Path, n: int, years: int, seed: int = 1) -> int:
    """Write enterprises.csv and financials.csv; returns the number of rows."""
    rng = np.random.default_rng(seed)
    codes = [make_uscc(i) for i in range(n)]
    pd.DataFrame({
        "uscc": codes, "name": [f"示例激光企业{i}（示例）" for i in range(n)],
        "province": "湖北省", "city": rng.choice(CITIES, n), "segments": "LSR-FIBER;EQP-CUT",
        "is_laser": True,
    }).to_csv(folder / "enterprises.csv", index=False, encoding="utf-8-sig")
    revenue = np.round(rng.lognormal(8, 1.5, n * years), 2)
    pd.DataFrame({
        "uscc": np.repeat(codes, years), "year": np.tile(np.arange(2019, 2019 + years), n),
        "revenue_wan": revenue, "laser_revenue_wan": np.round(revenue * 0.6, 2),
        "rd_expense_wan": np.round(revenue * 0.05, 2),
        "invention_patents": rng.integers(0, 50, n * years),
        "has_rd_institution": rng.random(n * years) < 0.3,
        "above_scale": rng.random(n * years) < 0.5,
    }).to_csv(folder / "financials.csv", index=False, encoding="utf-8-sig")
    return n + n * years


def baseline(folder: Path, url: str) -> None:
    engine = sa.create_engine(url)
    try:
        for name in ("enterprises", "financials"):
            df = pd.read_csv(folder / f"{name}.csv", encoding="utf-8-sig")
            df.to_sql(name, engine, if_exists="append", index=False)
    finally:
        engine.dispose()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


_BASELINE_CHILD = (
    "import sys, pandas as pd, sqlalchemy as sa\n"
    "engine = sa.create_engine(sys.argv[2])\n"
    "for name in ('enterprises', 'financials'):\n"
    "    pd.read_csv(f'{sys.argv[1]}/{name}.csv', encoding='utf-8-sig')"
    ".to_sql(name, engine, if_exists='append', index=False)\n"
    "engine.dispose()\n"
)


def _child(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def store_part(folder: Path, url: str) -> tuple[float, float]:
    """In-process: (reading + validating the package, the store's part of the import)."""
    from laser_policy.io import read_package

    t_read = timed(lambda: read_package(folder))
    return t_read, timed(lambda: import_package(folder, url, user="bench")) - t_read


def _line(backend: str, what: str, seconds: float, rows: int, note: str = "") -> None:
    print(f"{backend:<11} {what:<34}{seconds:8.2f} s {rows / seconds:>12,.0f} rows/s  {note}")


def run(backend: str, new_db: Callable[[], str], folder: Path, rows: int) -> None:
    t_proc = _child(["-m", "laser_policy", "import", str(folder), "--db", new_db(),
                     "--user", "bench"])
    t_base_proc = _child(["-c", _BASELINE_CHILD, str(folder), new_db()])
    ours = new_db()
    t_ours = timed(lambda: import_package(folder, ours, user="bench"))
    t_again = timed(lambda: import_package(folder, ours, user="bench"))
    t_base = timed(lambda: baseline(folder, new_db()))
    t_read, t_store = store_part(folder, new_db())
    _line(backend, "import, whole process", t_proc, rows)
    _line(backend, "pandas to_sql, whole process", t_base_proc, rows)
    _line(backend, "import, in-process", t_ours, rows)
    _line(backend, "  of which read + validate (io)", t_read, rows, "(separate run)")
    _line(backend, "  of which the store's part", t_store, rows, "(separate run)")
    _line(backend, "re-import (unchanged, writes nothing)", t_again, rows)
    _line(backend, "pandas to_sql, in-process", t_base, rows)
    print(f"{backend:<11} ratios (to_sql time / ours; >1 = faster than to_sql): "
          f"whole process {t_base_proc / t_proc:.2f}x, in-process {t_base / t_ours:.2f}x, "
          f"store's part alone {t_base / t_store:.2f}x, re-import {t_base / t_again:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", help="an admin URL of a PostgreSQL server (CREATE DATABASE)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lp-bench-") as tmp:
        work = Path(tmp)
        pkg = work / "package"
        pkg.mkdir()
        rows = generate(pkg, args.enterprises, args.years)
        print(f"synthetic package: {args.enterprises:,} enterprises x {args.years} years "
              f"= {rows:,} rows ({os.cpu_count()} CPUs)")
        if args.backend in ("sqlite", "both"):
            counter = iter(range(1000))
            run("sqlite", lambda: f"sqlite:///{work}/db{next(counter)}.db", pkg, rows)
        if args.backend in ("postgresql", "both"):
            run_postgres(args.pg_url, pkg, rows)


def run_postgres(admin: str | None, pkg: Path, rows: int) -> None:
    server = None
    if admin is None:
        bindir = find_bindir()
        if bindir is None:
            print("postgresql  skipped: no --pg-url and no PostgreSQL server binaries")
            return
        server = TempPostgres(bindir)
        admin = server.start()
    created: list[str] = []

    def new_db() -> str:
        created.append(create_database(admin))
        return created[-1]

    try:
        run("postgresql", new_db, pkg, rows)
    finally:
        for url in created:
            drop_database(admin, str(sa.engine.make_url(url).database))
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
