"""A demo-sized sample package and an app over it (one user per role)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from tests.web.conftest import logged_in, make_app

from laser_policy.sample import write_sample
from laser_policy.web.data import load_package


@pytest.fixture(scope="session")
def demo_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """As ``laser-policy sample OUT --enterprises 300`` (few transactions: not needed here)."""
    out = tmp_path_factory.mktemp("eval-sample") / "pkg"
    write_sample(out, enterprises=300, transactions=200)
    return out


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory, demo_sample: Path) -> FastAPI:
    return make_app(tmp_path_factory.mktemp("eval-app"), demo_sample, load_package(demo_sample),
                    login_burst=10_000)


@pytest.fixture(scope="session")
def clients(demo_app: FastAPI) -> Iterator[dict[str, object]]:
    with logged_in(demo_app, ("admin", "taskforce", "dept", "city", "firm")) as made:
        yield dict(made)
