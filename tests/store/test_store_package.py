"""The store offers the same package as the files: the web shows the same figures for both."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from laser_policy.io import read_package
from laser_policy.monitoring.kpis import monitor
from laser_policy.policy.model import load_policy
from laser_policy.sample import write_sample
from laser_policy.store.importer import import_package
from laser_policy.web.data import load_database, load_package


@pytest.fixture(scope="module")
def sample_pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("storepkg") / "pkg"
    write_sample(out, enterprises=120, transactions=600, seed=11)
    return out


def _local_rate(frame: pd.DataFrame) -> pd.Series:
    rows = frame[frame["kpi"] == "local_supply_rate"].set_index("year")
    return rows["actual"].dropna()


def test_the_web_on_the_database_shows_the_local_supporting_rate(db_url: str,
                                                                  sample_pkg: Path) -> None:
    import_package(sample_pkg, db_url)
    expected = _local_rate(monitor(read_package(sample_pkg), load_policy()))
    assert len(expected) > 0
    from_files = _local_rate(monitor(load_package(sample_pkg).package(), load_policy()))
    from_store = _local_rate(monitor(load_database(db_url).package(), load_policy()))
    pd.testing.assert_series_equal(from_files, expected)
    pd.testing.assert_series_equal(from_store, expected)


def test_local_supply_rate_does_not_read_the_source_path_again(sample_pkg: Path,
                                                              tmp_path: Path) -> None:
    pkg = read_package(sample_pkg)
    expected = _local_rate(monitor(pkg, load_policy()))
    moved = tmp_path / "gone"
    pkg.source = moved  # the files are no longer where the package says it came from
    got = _local_rate(monitor(pkg, load_policy()))
    pd.testing.assert_series_equal(got, expected)
