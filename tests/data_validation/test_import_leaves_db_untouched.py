"""Every broken file of ``test_broken_files`` is refused by ``import`` and changes nothing,
on SQLite and on PostgreSQL (the ``db_url`` fixture runs each test on both)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from laser_policy.errors import DataValidationError
from laser_policy.store.db import make_engine
from laser_policy.store.importer import import_package
from laser_policy.store.schema import metadata

from .test_broken_files import CASES


def _snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: the database's whole content."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
            return {
                t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
                for t in metadata().sorted_tables if t.name in names
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "tables", [pytest.param(case[1], id=case[0]) for case in CASES],
)
def test_a_broken_package_is_refused_and_the_database_stays_exactly_as_it_was(
    db_url: str, tmp_path: Path, package: Callable[..., Path],
    tables: dict[str, pd.DataFrame | bytes],
) -> None:
    good = package()
    import_package(good, db_url, user="导入员")
    before = _snapshot(db_url)
    assert before["enterprises"]
    good.rename(tmp_path / "imported")  # the fixture writes the broken copy where it was
    package_dir = package(**tables)
    with pytest.raises(DataValidationError):
        import_package(package_dir, db_url, user="导入员")
    assert _snapshot(db_url) == before
