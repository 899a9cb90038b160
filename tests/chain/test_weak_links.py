"""Weak links are ranked by the stated rule, each with its evidence."""

from __future__ import annotations

from pathlib import Path

from laser_policy.chain.source import open_chain_data
from laser_policy.chain.taxonomy import segments
from laser_policy.chain.weak_links import WEAK_COLUMNS, WeakLinkRule, weak_links
from laser_policy.contracts.cities import PACKAGED_REGION as REGION


def test_low_local_supply_makes_a_weak_link(package: Path) -> None:
    w = weak_links(open_chain_data(package, region=REGION))
    assert tuple(w.columns) == WEAK_COLUMNS
    weak = w[w["weak"]]
    # 激光晶体 13 % local, 加工头 16 % local; 光纤激光器 94 % local is not weak
    assert list(weak["segment"]) == ["MAT-CRYSTAL", "CMP-HEAD"]
    assert list(w["rank"]) == list(range(1, len(w) + 1))
    fiber = w[w["segment"] == "LSR-FIBER"].iloc[0]
    assert not fiber["weak"]
    assert fiber["local_firms"] == 2  # L1 and L2 list it (L2 by its Chinese name)


def test_every_taxonomy_segment_is_listed_with_the_texts_verdict(package: Path) -> None:
    w = weak_links(open_chain_data(package, region=REGION))
    assert {s.code for s in segments()} <= set(w["segment"])
    crystal = w[w["segment"] == "MAT-CRYSTAL"].iloc[0]
    assert crystal["text_names_weak"]
    assert crystal["text_strength"] == "短板"
    assert "本地配套率13.3%" in crystal["reason_zh"]
    assert "第六条" in crystal["reason_zh"]
    nodata = w[w["segment"] == "APP-MED"].iloc[0]
    assert not nodata["weak"]
    assert "不足以判断" in nodata["reason_zh"]
    assert crystal["buyers"] == 2


def test_evidence_adds_up(package: Path) -> None:
    w = weak_links(open_chain_data(package, region=REGION))
    assert w["demand_share"].sum() == 1.0 or abs(w["demand_share"].sum() - 1.0) < 1e-9
    assert abs(w["outside_share"].fillna(0).sum() - 1.0) < 1e-9
    head = w[w["segment"] == "CMP-HEAD"].iloc[0]
    assert head["outside_wan"] == 420.0
    assert head["purchases_wan"] == 500.0


def test_the_rule_is_a_parameter(package: Path) -> None:
    data = open_chain_data(package, region=REGION)
    strict = weak_links(data, WeakLinkRule(max_local_rate=0.15, max_local_firms=0))
    assert list(strict.loc[strict["weak"], "segment"]) == ["MAT-CRYSTAL"]
    lax = weak_links(data, WeakLinkRule(max_local_rate=0.95))
    assert "LSR-FIBER" in set(lax.loc[lax["weak"], "segment"])
    assert "低于95%" in WeakLinkRule(max_local_rate=0.95).statement_zh()


def test_a_tiny_segment_is_not_judged(package: Path) -> None:
    w = weak_links(open_chain_data(package, region=REGION), WeakLinkRule(min_demand_share=0.2))
    assert list(w.loc[w["weak"], "segment"]) == ["MAT-CRYSTAL"]  # 加工头 holds 17.5 %


def test_a_segment_bought_by_too_few_firms_is_not_judged(package: Path) -> None:
    w = weak_links(open_chain_data(package, region=REGION), WeakLinkRule(min_buyers=3))
    assert not w["weak"].any()  # each segment has two Hubei laser buyers
    assert "本地需求不足以判断" in w.iloc[0]["reason_zh"]
