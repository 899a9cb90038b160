"""Fixtures shared by every test folder: fresh databases on SQLite and PostgreSQL.

``db_url`` (and ``db_factory`` for tests that need several databases) is
parametrised over both back-ends. PostgreSQL comes from ``LASER_POLICY_TEST_PG_URL``
(a server where the user may CREATE DATABASE) or else from a throwaway cluster
started for the test session (one per xdist worker) from the installed server
binaries. Without either, the PostgreSQL cases are skipped; in CI (``CI=true``)
they fail instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

PG_ENV = "LASER_POLICY_TEST_PG_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL database from which test databases are created."""
    from laser_policy.store.pgtemp import TempPostgres, find_bindir

    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    bindir = find_bindir()
    if bindir is None:
        reason = (f"没有可用的PostgreSQL / no PostgreSQL: set {PG_ENV} or install the "
                  "postgresql server package (initdb not found)")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    server = TempPostgres(bindir)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def db_factory(request: pytest.FixtureRequest, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], str]]:
    """Call it for a fresh, empty database URL of the parametrised back-end."""
    counter = itertools.count()
    monkeypatch.setenv("LASER_POLICY_BULK_DIR", str(tmp_path / "bulk"))
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path / f'db{next(counter)}.db'}"
        return
    from laser_policy.store.pgtemp import create_database, drop_database

    admin = request.getfixturevalue("pg_admin_url")
    created: list[str] = []

    def new() -> str:
        created.append(create_database(admin))
        return created[-1]

    yield new
    for url in created:
        drop_database(admin, str(make_url(url).database))


@pytest.fixture
def db_url(db_factory: Callable[[], str]) -> str:
    """A fresh, empty database (SQLite file or PostgreSQL database)."""
    return db_factory()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per test module (Playwright, Debian's binary: tests/chromium.py)."""
    from playwright.sync_api import sync_playwright
    from tests.chromium import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where screenshots go: ``$LASER_POLICY_SCREENSHOTS`` (default ``out/screenshots``)."""
    folder = Path(os.environ.get("LASER_POLICY_SCREENSHOTS", "out/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
