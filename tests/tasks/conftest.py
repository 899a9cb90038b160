"""Fixtures for the 督办 tests: the policy model, fixed schedule settings and a synthetic
sample package (written once; tests edit copies of it). All data is synthetic."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tasks_helpers import Editor, read_csv, write_csv

from laser_policy.io import Package, read_package
from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.sample import write_sample
from laser_policy.tasks.schedule import ScheduleSettings

SEED = 3


@pytest.fixture(scope="session")
def model() -> PolicyModel:
    return load_policy()


@pytest.fixture
def settings() -> ScheduleSettings:
    """Explicit settings, so the tests do not depend on the environment."""
    return ScheduleSettings(due_days=15, warn_days=7, frequency="Q")


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tasks_sample") / "pkg"
    write_sample(out, enterprises=80, transactions=200, seed=SEED)
    return out


@pytest.fixture(scope="session")
def ground_truth(sample_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((sample_dir / "_ground_truth.json").read_text("utf-8"))
    return data




@pytest.fixture
def edited_sample(sample_dir: Path, tmp_path: Path) -> Editor:
    """A copy of the sample package changed by ``edit(tables)``, read and validated."""

    count = itertools.count()

    def make(edit: Callable[[dict[str, pd.DataFrame]], None]) -> Package:
        folder = tmp_path / f"edited{next(count)}"
        shutil.copytree(sample_dir, folder)
        names = [p.stem for p in folder.glob("*.csv")]
        tables = {n: read_csv(folder, n) for n in names}
        edit(tables)
        for n, frame in tables.items():
            write_csv(folder, n, frame)
        return read_package(folder)

    return make
