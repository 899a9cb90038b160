"""The engine reads the package's Arrow tables: no pandas copy, the same entitlements."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from laser_policy.io import read_package
from laser_policy.io.package import TableFrames
from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.rules.inputs import SCHEMAS, as_inputs, from_arrow, prepare
from laser_policy.sample import write_sample

TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("arrow-inputs") / "pkg"
    write_sample(out, enterprises=200, transactions=100, seed=5)
    return out


def test_compute_reads_arrow_and_converts_no_table_to_pandas(sample: Path) -> None:
    pkg = read_package(sample, tables=TABLES)
    assert isinstance(pkg.tables, TableFrames)
    due = compute_entitlements(pkg.tables, load_policy(), with_steps=False)
    assert len(due) > 0
    assert pkg.tables.converted() == []  # the engine never asked for a pandas frame
    # the same package typed from pandas (the old path) gives the same bytes
    frames = {name: read_package(sample, tables=TABLES).tables[name] for name in TABLES}
    old = compute_entitlements(frames, load_policy(), with_steps=False)
    assert due.to_csv(index=False) == old.to_csv(index=False)


def test_arrow_inputs_equal_prepared_frames(sample: Path) -> None:
    pkg = read_package(sample, tables=TABLES)
    typed = from_arrow(pkg.arrow)
    prepared = prepare({name: pkg.tables[name] for name in TABLES})
    for name in SCHEMAS:
        assert typed.arrow()[name].equals(prepared.arrow()[name]), name
        left, right = typed.frames[name], prepared.frames[name]
        if "is_laser" in left:  # the reader types it bool (default applied), prepare nullable
            left = left.astype({"is_laser": "boolean"})
        pd.testing.assert_frame_equal(left, right)


def test_tables_are_converted_one_by_one_on_first_access(sample: Path) -> None:
    pkg = read_package(sample, tables=TABLES)
    assert isinstance(pkg.tables, TableFrames)
    assert set(pkg.tables) >= {"enterprises", "financials"}
    assert pkg.tables.converted() == []
    first = pkg.tables["enterprises"]
    assert pkg.tables.converted() == ["enterprises"]
    assert pkg.tables["enterprises"] is first  # converted once
    assert len(first) == pkg.row_counts["enterprises"]


def test_a_frame_replaced_by_hand_is_what_the_engine_reads(sample: Path) -> None:
    pkg = read_package(sample, tables=TABLES)
    assert isinstance(pkg.tables, TableFrames)
    pkg.tables["financials"] = pkg.tables["financials"].iloc[0:0]
    assert pkg.tables.untouched_arrow() is None
    inputs = as_inputs(pkg.tables)
    assert inputs.arrow()["financials"].num_rows == 0
