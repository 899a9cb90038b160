"""Firm names that look like formulas stay inert text in ``export`` and come back unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_packages import enterprises, financials, write_package

from formula_names import NAMES, csv_cells, escaped, formulas, text_cells
from laser_policy.cli.store import export
from laser_policy.store.exporter import read_tables
from laser_policy.store.importer import import_package


def _package(folder: Path) -> Path:
    ents = enterprises(len(NAMES))
    for ent, name in zip(ents, NAMES, strict=True):
        ent["name"] = name
    return write_package(folder, {"enterprises": ents,
                                  "financials": financials([e["uscc"] for e in ents],
                                                           range(2024, 2026))})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_keeps_formula_names_inert_and_import_reads_them_back(
        db_factory: Callable[[], str], tmp_path: Path, fmt: str) -> None:
    first, second = db_factory(), db_factory()
    import_package(_package(tmp_path / "in"), first)
    stored = read_tables(first)
    assert sorted(stored["enterprises"]["name"]) == sorted(NAMES)
    out = tmp_path / ("out.xlsx" if fmt == "xlsx" else "out")
    result = CliRunner().invoke(export, [str(out), "--db", first, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        assert formulas(out) == []
        assert set(NAMES) <= text_cells(out)
    else:
        cells = csv_cells((out / "enterprises.csv").read_text(encoding="utf-8-sig"))
        assert {escaped(n) for n in NAMES} <= set(cells)
        assert not set(NAMES) & set(cells)
        numbers = csv_cells((out / "financials.csv").read_text(encoding="utf-8-sig"))
        assert "3" in numbers
        assert not any(c.startswith("'") for c in numbers)
    import_package(out, second)
    again = read_tables(second)
    for name, frame in stored.items():
        assert again[name].equals(frame), name
