"""``db backup`` / ``db restore`` on SQLite and PostgreSQL: what comes back is what went in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.sample import write_sample
from laser_policy.store.exporter import read_tables
from laser_policy.store.importer import import_package


def _frames(url: str) -> dict[str, pd.DataFrame]:
    frames = read_tables(url)
    return {name: f.sort_values(list(f.columns)).reset_index(drop=True)
            for name, f in frames.items() if name in ("enterprises", "financials", "transactions")}


def test_backup_then_restore_into_a_fresh_database(db_factory: Callable[[], str],
                                                    tmp_path: Path) -> None:
    source, target = db_factory(), db_factory()
    package = tmp_path / "pkg"
    write_sample(package, enterprises=60, transactions=300, seed=5)
    import_package(package, source, user="test")
    before = _frames(source)
    assert len(before["transactions"]) > 0
    runner = CliRunner()
    out = tmp_path / "backup"
    done = runner.invoke(cli, ["db", "backup", "--db", source, str(out)])
    assert done.exit_code == 0, done.output
    assert (out / "manifest.json").is_file()
    # a second backup into the same folder is refused
    again = runner.invoke(cli, ["db", "backup", "--db", source, str(out)])
    assert again.exit_code != 0
    restored = runner.invoke(cli, ["db", "restore", "--db", target, str(out)])
    assert restored.exit_code == 0, restored.output
    after = _frames(target)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, check_dtype=False)
    # the target now holds data: restoring over it needs --force, and then replaces changes
    engine = sa.create_engine(target)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM financials"))
    engine.dispose()
    refused = runner.invoke(cli, ["db", "restore", "--db", target, str(out)])
    assert refused.exit_code != 0
    assert "--force" in str(refused.exception)
    forced = runner.invoke(cli, ["db", "restore", "--db", target, "--force", str(out)])
    assert forced.exit_code == 0, forced.output
    pd.testing.assert_frame_equal(_frames(target)["financials"], before["financials"],
                                  check_dtype=False)
