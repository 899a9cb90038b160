"""The chain map and segment proposals from names and postings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from tests.chain.fixtures import ENTERPRISES, L1, L2, uscc

from laser_policy.chain.mapping import chain_map, infer_segment, keyword_hits, propose_segments
from laser_policy.chain.source import open_chain_data
from laser_policy.contracts.cities import PACKAGED_REGION as REGION


def test_keywords_prefer_the_longest_term() -> None:
    hits = keyword_hits("SLM成形金属3D打印")
    assert "EQP-AM" in hits
    assert "CMP-SLM" not in hits
    assert infer_segment("采购高功率激光切割头") == "CMP-HEAD"
    assert infer_segment("办公用品") is None


def test_the_map_counts_local_firms_revenue_and_growth(tmp_path: Path, package: Path) -> None:
    import shutil

    shutil.copytree(package, tmp_path / "p")
    pd.DataFrame({"uscc": [L1, L1, L2, L2], "year": [2024, 2025, 2024, 2025],
                  "revenue_wan": [900, 1000, 900, 1000],
                  "laser_revenue_wan": [100, 150, 200, 200]}).to_csv(
        tmp_path / "p" / "financials.csv", index=False)
    data = open_chain_data(tmp_path / "p", region=REGION, need_transactions=False)
    m = chain_map(data).set_index("segment")
    fiber = m.loc["LSR-FIBER"]
    assert fiber["local_firms"] == 2
    assert fiber["year"] == 2025
    assert fiber["laser_revenue_wan"] == 350.0
    assert abs(fiber["growth"] - (350 / 300 - 1)) < 1e-12
    assert fiber["text_strength"] == "长板"
    assert set(fiber["cities"].split("；")) == {"武汉市 1", "宜昌市 1"}
    assert m.loc["CMP-HEAD"]["clause"] == "六、九"


def test_firms_without_segments_get_proposals_with_reasons(tmp_path: Path) -> None:
    e = pd.concat([ENTERPRISES, pd.DataFrame([{
        "uscc": uscc(50), "name": "武汉某某激光雷达科技有限公司（示例）", "province": "湖北省",
        "city": "武汉市", "segments": None, "is_laser": "是"}])])
    e.to_csv(tmp_path / "enterprises.csv", index=False)
    pd.DataFrame([{"id": "O9", "uscc": uscc(50), "title": "车载激光雷达",
                   "text": "半固态激光雷达模组", "segment": None, "city": "武汉"}]).to_csv(
        tmp_path / "offers.csv", index=False)
    p = propose_segments(open_chain_data(tmp_path, region=REGION, need_transactions=False))
    mine = p[p["uscc"] == uscc(50)]
    assert mine.iloc[0]["segment"] == "APP-LIDAR"
    assert "企业名称含" in mine.iloc[0]["reason_zh"]
    assert "供给O9" in mine.iloc[0]["reason_zh"]
    assert "待人工确认" in mine.iloc[0]["reason_zh"]
