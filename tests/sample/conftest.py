"""One small sample package per test session (generation takes about a second)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from laser_policy.sample import GROUND_TRUTH, write_sample

SMALL = {"enterprises": 300, "transactions": 30_000, "seed": 7}


@pytest.fixture(scope="session")
def small() -> dict[str, int]:
    """The sizes and seed of the session's package."""
    return dict(SMALL)


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "pkg"
    write_sample(out, chunk_rows=4_000, **SMALL)
    return out


@pytest.fixture(scope="session")
def truth(package: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((package / GROUND_TRUTH).read_text(encoding="utf-8"))
    return data
