"""``kill -9`` of ``laser-policy import`` at every step leaves the old store or the new one.

The import runs as a real subprocess (``python -m laser_policy import``), is made to stop
at a named pause point (``store.faults``) and is killed with SIGKILL there. Then the
store is opened again: the database and the Parquet files must hold the same state, the
old one (killed before the commit) or the new one (after it), every transaction's buyer
must be a known enterprise, no staging folder or stray file may remain, and export and
re-import must work. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from store_packages import bulk_files, enterprises, financials, write_package

from laser_policy.store import bulk
from laser_policy.store.exporter import export_package, read_tables
from laser_policy.store.faults import MARKER_ENV, PAUSE_ENV
from laser_policy.store.importer import import_package

OLD_YEARS, NEW_YEARS = (2023, 2024), (2023, 2024, 2025)
#: (point, state the store must show after a kill there)
POINTS = [("staged", "old"), ("before-move-2024", "old"), ("after-move-2024", "old"),
          ("before-move-2025", "old"), ("after-move-2025", "old"), ("before-commit", "old"),
          ("after-commit", "new"), ("after-cleanup", "new")]


def _tx(buyers: list[str], years: tuple[int, ...], amount: float) -> list[dict[str, Any]]:
    return [{"buyer_uscc": b, "supplier_name": f"供应商{i}（示例）", "supplier_province": "广东省",
             "segment": "LSR-FIBER", "year": y, "amount_wan": amount + i}
            for y in years for i, b in enumerate(buyers * 50)]


def _packages(tmp: Path) -> tuple[Path, Path]:
    old_firms, new_firms = enterprises(3), enterprises(4, start=3, name="新企业")
    old_codes = [e["uscc"] for e in old_firms]
    new_codes = [e["uscc"] for e in new_firms]
    v1 = write_package(tmp / "v1", {
        "enterprises": old_firms, "financials": financials(old_codes, range(2022, 2025)),
        "transactions": _tx(old_codes, OLD_YEARS, 10.0)})
    # v2: new firms, 2023 the same, 2024 restated with the new firms as buyers, 2025 new
    v2 = write_package(tmp / "v2", {
        "enterprises": old_firms + new_firms,
        "financials": financials(old_codes + new_codes, range(2022, 2025), 2000.0),
        "transactions": _tx(old_codes, (2023,), 10.0) + _tx(new_codes, (2024, 2025), 20.0)})
    return v1, v2


def _state(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table the store offers (read through the store: recovery included), sorted."""
    return {name: sorted(map(tuple, df.astype(object).itertuples(index=False, name=None)),
                         key=repr)
            for name, df in read_tables(url).items()}


def _killed_import(pkg: Path, url: str, point: str, tmp: Path) -> None:
    marker = tmp / f"paused-{point}"
    env = {**os.environ, PAUSE_ENV: point, MARKER_ENV: str(marker)}
    proc = subprocess.Popen([sys.executable, "-m", "laser_policy", "import", str(pkg),
                             "--db", url], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"import ended before {point}: {proc.returncode}\n{out!r}\n{err!r}")
            if time.monotonic() > deadline:
                pytest.fail(f"import never reached {point}")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize(("point", "expected"), POINTS, ids=[p for p, _ in POINTS])
def test_a_kill_at_each_step_leaves_the_old_or_the_new_store(
        db_factory: Callable[[], str], tmp_path: Path, point: str, expected: str) -> None:
    v1, v2 = _packages(tmp_path)
    reference = db_factory()
    import_package(v1, reference)
    old = _state(reference)
    import_package(v2, reference)
    new = _state(reference)
    assert old != new

    url = db_factory()
    import_package(v1, url)
    _killed_import(v2, url, point, tmp_path)

    state = _state(url)
    assert state == (old if expected == "old" else new)
    known = {row[0] for row in state["enterprises"]}
    buyers = {row[0] for row in state["transactions"]}
    assert buyers <= known
    root = bulk.bulk_root(url)
    assert root is not None
    assert not [*root.glob(".staging-*"), *root.glob(".trash-*")]
    years = OLD_YEARS if expected == "old" else NEW_YEARS
    assert len(bulk_files(url)) == len(years)  # only the current files remain

    out = export_package(tmp_path / "export", url)
    assert out.rows["transactions"] == len(state["transactions"])
    import_package(v2, url)
    assert _state(url) == new
    copy = db_factory()
    import_package(tmp_path / "export", copy)
    assert _state(copy) == state
