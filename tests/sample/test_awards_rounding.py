"""The sample ledger pays to the cent what the engine computes (no odd cent left due)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from laser_policy.io.package import read_package
from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.sample import write_sample


@pytest.mark.parametrize("seed", [1, 7, 11])
def test_items_paid_in_the_sample_ledger_are_not_due_again(tmp_path: Path, seed: int) -> None:
    out = tmp_path / "pkg"
    write_sample(out, enterprises=400, transactions=4_000, seed=seed)
    tables = read_package(out).tables
    awards = tables["awards"]
    paid = awards[awards["ref"].notna() & (awards["incentive"] != "revenue_milestone")]
    assert len(paid) > 0, "the sample should pay some items in its first year"
    due = compute_entitlements(tables, load_policy())
    keys = ["uscc", "incentive", "year", "ref"]
    again = due.merge(paid[keys].astype({"year": "int64"}), on=keys, how="inner")
    assert again.empty, again[[*keys, "amount_wan"]].to_string()
    assert (due["amount_wan"] >= 0.01).all()
    assert pd.Series(due["amount_wan"]).notna().all()
