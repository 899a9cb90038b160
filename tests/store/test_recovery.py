"""Leftovers of killed imports go at the next open of the store; older stores stay readable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from store_packages import bulk_files, current_files, enterprises, execute, write_package

from laser_policy.store import bulk
from laser_policy.store.db import make_engine
from laser_policy.store.exporter import read_tables
from laser_policy.store.importer import import_package


def _package(folder: Path, amount: float, years: tuple[int, ...] = (2024, 2025)) -> Path:
    ents = enterprises(2)
    tx = [{"buyer_uscc": ents[0]["uscc"], "supplier_name": "粤企（示例）",
           "supplier_province": "广东省", "segment": "CMP-CHIP", "year": y, "amount_wan": amount}
          for y in years]
    return write_package(folder, {"enterprises": ents, "transactions": tx})


def _leftovers(root: Path) -> list[Path]:
    """What the import of an older version left after a kill: staging and trash folders."""
    made = []
    for name in (".staging-0123456789ab", ".trash-0123456789ab"):
        target = root / name / "transactions" / "year=2024" / "part-0.parquet"
        target.parent.mkdir(parents=True)
        pq.write_table(pa.table({"x": [1]}), target)
        made.append(root / name)
    return made


def _root(url: str) -> Path:
    root = bulk.bulk_root(url)
    assert root is not None
    return root


def test_staging_and_trash_folders_go_at_the_next_open(db_url: str, tmp_path: Path) -> None:
    import_package(_package(tmp_path / "v1", 5.0), db_url)
    stale = _leftovers(_root(db_url))
    assert all(p.exists() for p in stale)
    tables = read_tables(db_url)  # any read opens the folder, and recovers first
    assert not any(p.exists() for p in stale)
    assert sorted(tables["transactions"]["amount_wan"]) == [5.0, 5.0]


def test_staging_and_trash_folders_go_after_a_successful_run(db_url: str,
                                                             tmp_path: Path) -> None:
    import_package(_package(tmp_path / "v1", 5.0), db_url)
    stale = _leftovers(_root(db_url))
    result = import_package(_package(tmp_path / "v2", 6.0), db_url)
    assert result.changed
    assert not any(p.exists() for p in stale)
    assert len(bulk_files(db_url)) == 2


def test_garbage_waits_while_a_reader_holds_the_folder(db_url: str, tmp_path: Path) -> None:
    import_package(_package(tmp_path / "v1", 5.0), db_url)
    root = _root(db_url)
    stray = bulk.partition_path(root, 2024, "feedfacefeedface")
    with bulk.opened(db_url) as files:
        stray.write_bytes(files[2024].read_bytes())
        engine = make_engine(db_url)
        try:
            with engine.connect() as conn:
                assert bulk.collect_garbage(conn, root) == []  # a reader is in: skipped
        finally:
            engine.dispose()
        assert stray.exists()
    with bulk.opened(db_url):
        pass
    assert not stray.exists()


def test_a_store_written_before_versions_is_read_and_replaced(db_url: str,
                                                              tmp_path: Path) -> None:
    import_package(_package(tmp_path / "v1", 5.0), db_url)
    root = _root(db_url)
    for year, data in current_files(db_url).items():  # back to the layout of before
        for old in (root / "transactions" / f"year={year}").glob("*.parquet"):
            old.unlink()
        bulk.partition_path(root, year).write_bytes(data)
    execute(db_url, "DELETE FROM bulk_partitions")
    legacy: Any = read_tables(db_url)["transactions"]
    assert sorted(legacy["amount_wan"]) == [5.0, 5.0]
    result = import_package(_package(tmp_path / "v2", 6.0, (2024,)), db_url)
    assert {p.year: p.action for p in result.partitions} == {2024: "replace"}
    assert not bulk.partition_path(root, 2024).exists()  # the replaced legacy file went
    assert bulk.partition_path(root, 2025).exists()  # the untouched legacy year stays
    stored = read_tables(db_url)["transactions"]
    assert sorted(zip(stored["year"], stored["amount_wan"], strict=True)) == [
        (2024, 6.0), (2025, 5.0)]
