"""Targets declare how their actual is computed (targets.yaml ``actual:``); the ladder
counts 营收过50/100/200亿元的企业数 count laser firms of the region only (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from laser_policy.contracts.uscc import make_uscc
from laser_policy.io import read_package
from laser_policy.monitoring.kinds import KINDS
from laser_policy.monitoring.kpis import monitor
from laser_policy.policy.model import load_policy
from laser_policy.sample import write_sample


@pytest.fixture(scope="module")
def demo_pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's data (default sample: same enterprises and financials as ``demo``)."""
    out = tmp_path_factory.mktemp("demo") / "pkg"
    write_sample(out, transactions=10)
    return out


def _actual(frame: pd.DataFrame, kpi: str, year: int) -> float:
    return float(frame[(frame["kpi"] == kpi) & (frame["year"] == year)]["actual"].iloc[0])


def test_the_demo_counts_five_laser_firms_over_50yi_not_the_auto_parts_firm(
    demo_pkg: Path,
) -> None:
    # before issue 12 the 77亿 auto-parts firm (is_laser = false) made 6
    ent = pd.read_csv(demo_pkg / "enterprises.csv", encoding="utf-8-sig")
    fin = pd.read_csv(demo_pkg / "financials.csv", encoding="utf-8-sig")
    big = fin[(fin["year"] == 2026) & (fin["revenue_wan"] >= 500_000)].merge(ent, on="uscc")
    assert len(big) == 6
    assert (~big["is_laser"].astype(bool)).sum() == 1
    frame = monitor(read_package(demo_pkg), load_policy())
    assert _actual(frame, "firms_revenue_over_50yi", 2026) == 5
    assert _actual(frame, "firms_revenue_over_100yi", 2026) == 2
    assert _actual(frame, "firms_revenue_over_200yi", 2026) == 1


def _package(tmp_path: Path, rows: list[tuple[str, str, str, float]]) -> Path:
    """enterprises + financials of 2026: (uscc, province, is_laser, revenue 亿元)."""
    pkg = tmp_path / "p"
    pkg.mkdir()
    pd.DataFrame(
        {"uscc": [r[0] for r in rows], "name": [f"企业{i}（示例）" for i in range(len(rows))],
         "province": [r[1] for r in rows], "city": ["武汉市" if r[1] == "湖北省" else "长沙市"
                                                     for r in rows],
         "is_laser": [r[2] for r in rows]}
    ).to_csv(pkg / "enterprises.csv", index=False)
    pd.DataFrame(
        {"uscc": [r[0] for r in rows], "year": [2026] * len(rows),
         "revenue_wan": [r[3] * 10_000 for r in rows],
         "laser_revenue_wan": [r[3] * 10_000 for r in rows]}
    ).to_csv(pkg / "financials.csv", index=False)
    return pkg


def test_a_non_laser_firm_and_a_firm_of_another_province_are_not_counted(
    tmp_path: Path,
) -> None:
    pkg = _package(tmp_path, [
        (make_uscc("91420100MA4K0001"), "湖北省", "是", 60.0),   # counted
        (make_uscc("91420100MA4K0002"), "湖北省", "否", 77.0),   # not a laser firm
        (make_uscc("91430100MA4K0003"), "湖南省", "是", 90.0),   # not in the region
        (make_uscc("91420100MA4K0004"), "湖北省", "是", 49.99),  # below the threshold
    ])
    frame = monitor(read_package(pkg), load_policy())
    assert _actual(frame, "firms_revenue_over_50yi", 2026) == 1
    assert _actual(frame, "industry_scale", 2026) == pytest.approx(60.0 + 49.99)


def test_every_packaged_target_declares_its_actual() -> None:
    model = load_policy()
    without = {t.id for t in model.targets if t.actual is None}
    assert without == set()
    assert {t.actual.kind for t in model.targets if t.actual} <= set(KINDS)
    ladder = model.target("firms_revenue_over_50yi").actual
    assert ladder is not None
    assert ladder.laser_only
    assert ladder.in_region


def test_targets_whose_table_the_package_lacks_say_no_data(demo_pkg: Path) -> None:
    pkg = read_package(demo_pkg)
    del pkg.tables["related_output"], pkg.tables["attracted_firms"]
    frame = monitor(pkg, load_policy())
    for kpi in ("related_industries_scale", "attracted_firms"):
        rows = frame[frame["kpi"] == kpi]
        assert (rows["status"] == "no_data").all()
        assert rows["actual"].isna().all()
