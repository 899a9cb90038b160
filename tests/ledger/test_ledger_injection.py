"""Firm names that look like formulas stay inert text in the incentive and ledger exports.

``incentives compute --format csv|xlsx``, ``incentives list --format csv`` and
``export-approved`` (issue 17): an Excel user opening the file sees the name, and
no cell runs as a formula.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from formula_names import csv_cells, escaped, formulas, poison, text_cells
from laser_policy.cli import cli
from laser_policy.ledger.service import approve, prepare_run, record_run, review
from laser_policy.policy.model import load_policy


@pytest.fixture(scope="module")
def poisoned(sample_package: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, set[str]]:
    """The sample package with formula-like names on the firms that are owed money."""
    folder = tmp_path_factory.mktemp("poisoned") / "pkg"
    shutil.copytree(sample_package, folder)
    names = set(poison(folder).values())
    return folder, names


def _owed(names: set[str], cells: set[str]) -> set[str]:
    """The poisoned names that appear (a firm not owed money is in no export)."""
    found = names & cells
    assert found, "no poisoned firm is in the export"
    return found


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_incentives_compute_writes_formula_names_as_text(
        poisoned: tuple[Path, set[str]], tmp_path: Path, fmt: str) -> None:
    folder, names = poisoned
    out = tmp_path / f"due.{fmt}"
    result = CliRunner().invoke(cli, ["incentives", "compute", str(folder), "--format", fmt,
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        assert formulas(out) == []
        assert len(_owed(names, text_cells(out))) >= 3
    else:
        cells = set(csv_cells(out.read_text(encoding="utf-8-sig")))
        unescaped = {c[1:] for c in cells if c.startswith("'")}
        assert len(_owed(names, unescaped)) >= 3
        assert not names & cells
        assert "200.0" in cells  # numbers are not escaped


def test_ledger_list_csv_and_the_approved_workbook_keep_names_inert(
        db_url: str, poisoned: tuple[Path, set[str]], tmp_path: Path) -> None:
    folder, names = poisoned
    run = record_run(db_url, prepare_run(folder, model=load_policy()), "计算员（示例）")
    listed = CliRunner().invoke(cli, ["incentives", "list", "--db", db_url, "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    cells = set(csv_cells(listed.output))
    owed = {n for n in names if escaped(n) in cells}
    assert len(owed) >= 3
    assert not names & cells
    review(db_url, run.inserted_ids, "张审核（示例）")
    approve(db_url, run.inserted_ids, "李批准（示例）")
    out = tmp_path / "approved.xlsx"
    result = CliRunner().invoke(cli, ["incentives", "export-approved", str(out), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert formulas(out) == []
    assert owed <= text_cells(out)
