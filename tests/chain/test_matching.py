"""整零对接: jieba with the laser dictionary, BM25, boosts, reasons, and the reverse direction."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.chain.fixtures import B1, B2, L3

from laser_policy.chain.matching import Matcher, MatchWeights, Query, build_matcher, tokenize
from laser_policy.chain.source import open_chain_data
from laser_policy.contracts.cities import PACKAGED_REGION as REGION
from laser_policy.errors import UsageError


def test_the_laser_dictionary_keeps_terms_whole() -> None:
    tokens = tokenize("采购万瓦级光纤激光器及激光切割头、非线性光学晶体")
    for term in ("光纤激光器", "激光切割头", "非线性光学晶体"):
        assert term in tokens
    assert "采购" not in tokens  # a stop word


def test_a_demand_finds_the_local_supplier_that_makes_it(package: Path) -> None:
    m = build_matcher(open_chain_data(package, region=REGION), "offers")
    hits = m.search(Query("需要万瓦级高功率激光切割头"), top=3)
    assert hits[0].id == "O2"
    assert hits[0].uscc == L3
    assert "激光切割头" in hits[0].shared_terms
    assert "CMP-HEAD" in hits[0].reason_zh
    assert "历史供货80万元" in hits[0].reason_zh


def test_only_hubei_suppliers_are_offered(package: Path) -> None:
    m = build_matcher(open_chain_data(package, region=REGION), "offers")
    hits = m.search(Query("LBO非线性光学晶体"), top=10)
    assert "O4" not in {h.id for h in hits}  # the Suzhou firm's offer


def test_strict_filters_by_segment_and_city(package: Path) -> None:
    m = build_matcher(open_chain_data(package, region=REGION), "offers")
    loose = m.search(Query("激光", segment="LSR-FIBER"), top=10)
    assert loose[0].segment == "LSR-FIBER"
    assert len(loose) > 1
    strict = m.search(Query("激光", segment="光纤激光器", strict=True), top=10)
    assert [h.id for h in strict] == ["O1"]
    wuhan = m.search(Query("激光", city="武汉", strict=True), top=10)
    assert {h.city for h in wuhan} == {"武汉市"}


def test_the_reverse_finds_the_buyers_who_need_an_offer(package: Path) -> None:
    m = build_matcher(open_chain_data(package, region=REGION), "demands")
    hits = m.search(Query("供应12kW光纤激光器"), top=2)
    assert hits[0].uscc == B2
    assert "历史采购" in hits[0].reason_zh
    assert {h.uscc for h in hits} == {B1, B2}


def test_history_breaks_a_tie_between_equal_texts() -> None:
    offers = pd.DataFrame({
        "id": ["A", "B"], "uscc": ["U1", "U2"], "title": ["光纤激光器"] * 2,
        "text": ["连续光纤激光器"] * 2, "segment": ["LSR-FIBER"] * 2, "city": ["武汉市"] * 2,
    })
    m = Matcher(offers, {("U2", "LSR-FIBER"): 1000.0}, region=REGION)
    assert [h.id for h in m.search(Query("光纤激光器"))] == ["B", "A"]
    m0 = Matcher(offers, {("U2", "LSR-FIBER"): 1000.0}, MatchWeights(history=0.0),
                 region=REGION)
    assert [h.id for h in m0.search(Query("光纤激光器"))] == ["A", "B"]


def test_nothing_relevant_gives_no_hits(package: Path) -> None:
    m = build_matcher(open_chain_data(package, region=REGION), "offers")
    assert m.search(Query("办公桌椅")) == []


def test_bad_queries_are_usage_errors(package: Path) -> None:
    m = build_matcher(open_chain_data(package, region=REGION), "offers")
    with pytest.raises(UsageError):
        m.search(Query("激光", segment="NOPE"))
    with pytest.raises(UsageError):
        m.search(Query("激光"), top=0)
