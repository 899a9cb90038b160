"""One content fingerprint: the same data gives the same digest from CSV, xlsx, Parquet and
the database, and a ledger run recorded from the web replays."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from laser_policy.io import read_package
from laser_policy.io.fingerprint import content_fingerprint, package_sha256
from laser_policy.ledger.models import RUNS
from laser_policy.ledger.replay import replay
from laser_policy.ledger.service import ENGINE_TABLES
from laser_policy.policy.model import load_policy
from laser_policy.sample import write_sample
from laser_policy.store.db import make_engine
from laser_policy.store.exporter import export_package, read_tables
from laser_policy.store.importer import import_package
from laser_policy.web.data import load_database, load_package
from laser_policy.web.services.ledger import compute_into_ledger


@pytest.fixture(scope="module")
def sample_pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fingerprint") / "pkg"
    write_sample(out, enterprises=80, transactions=300, seed=5)
    return out


def _all_tables(path: Path) -> dict[str, object]:
    pkg = read_package(path)
    tables = dict(pkg.tables)
    if "transactions" in pkg:
        tables["transactions"] = pkg.get("transactions")
    return tables


def _as_parquet(src: Path, out: Path) -> Path:
    out.mkdir()
    for name, frame in read_package(src).tables.items():
        frame.to_parquet(out / f"{name}.parquet", index=False)
    return out


def test_the_same_data_has_one_fingerprint_in_every_format_and_the_store(
        db_url: str, sample_pkg: Path, tmp_path: Path) -> None:
    import_package(sample_pkg, db_url)
    csv = export_package(tmp_path / "csv", db_url).path
    xlsx = export_package(tmp_path / "book.xlsx", db_url).path  # Chinese headers
    parquet = _as_parquet(sample_pkg, tmp_path / "parquet")
    stored = read_tables(db_url)
    expected = content_fingerprint(_all_tables(sample_pkg))
    assert content_fingerprint(stored) == expected
    assert content_fingerprint(_all_tables(csv)) == expected
    assert content_fingerprint(_all_tables(xlsx)) == expected
    engine = content_fingerprint(_all_tables(sample_pkg), ENGINE_TABLES)
    assert content_fingerprint(_all_tables(parquet), ENGINE_TABLES) == engine
    assert content_fingerprint(load_database(db_url).extra, ENGINE_TABLES) == engine
    assert content_fingerprint(load_package(xlsx).extra, ENGINE_TABLES) == engine
    assert package_sha256(csv) != package_sha256(sample_pkg)  # the bytes do differ
    changed = dict(stored, financials=stored["financials"].assign(
        revenue_wan=stored["financials"]["revenue_wan"] + 1))
    assert content_fingerprint(changed) != expected


def test_a_run_recorded_from_the_web_on_the_database_replays_on_its_export(
        db_url: str, sample_pkg: Path, tmp_path: Path) -> None:
    import_package(sample_pkg, db_url)
    run = compute_into_ledger(load_database(db_url), db_url, "计算员（示例）", load_policy())
    assert run["computed"] > 0
    exported = export_package(tmp_path / "exported", db_url).path
    for data in (exported, sample_pkg):
        result = replay(run["run_id"], data, db_url)
        assert result.identical, result.summary_zh()


def test_a_run_recorded_from_the_web_on_files_replays(db_url: str, sample_pkg: Path) -> None:
    run = compute_into_ledger(load_package(sample_pkg), db_url, "计算员（示例）", load_policy())
    result = replay(run["run_id"], sample_pkg, db_url)
    assert result.identical, result.summary_zh()


def test_a_run_recorded_with_the_old_file_fingerprint_still_replays(
        db_url: str, sample_pkg: Path) -> None:
    run = compute_into_ledger(load_package(sample_pkg), db_url, "计算员（示例）", load_policy())
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:  # as the CLI recorded runs before: the files' SHA-256
            conn.execute(sa.update(RUNS).where(RUNS.c.id == run["run_id"])
                         .values(input_hash=package_sha256(sample_pkg)))
    finally:
        engine.dispose()
    assert replay(run["run_id"], sample_pkg, db_url).identical
