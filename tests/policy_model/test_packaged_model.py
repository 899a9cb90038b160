"""The packaged model of 鄂政办发〔2024〕35号: complete, cited and faithful to the text."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from laser_policy.errors import NotFoundError, PolicyModelError
from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.policy.numerals import to_numeral


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_packaged_model_loads_and_is_cached(model: PolicyModel) -> None:
    assert load_policy() is model
    assert model.doc_number == "鄂政办发〔2024〕35号"
    assert model.issuer == "湖北省人民政府办公厅"
    assert model.effective == dt.date(2024, 7, 22)
    assert model.version.startswith("hubei-laser-2024/2024-07-22+")


def test_seven_chapters_and_twenty_three_measures(model: PolicyModel) -> None:
    assert [c.number for c in model.chapters] == list(range(1, 8))
    assert [m.number for m in model.measures] == list(range(1, 24))
    assert model.measure("十八").title == "强化对企业引培及金融支持"
    assert model.measure(19) is model.measure("（十九）")


def test_every_measure_is_transcribed_from_the_document(
    model: PolicyModel, flat_document: str
) -> None:
    for c in model.chapters:
        assert f"{c.numeral}、{c.title}" in flat_document
    for m in model.measures:
        assert f"（{m.numeral}）{m.title}。" in flat_document, m.number
        assert flat(m.text) in flat_document, m.number
        after = flat_document.split(flat(m.text), 1)[1]
        if m.units:
            clause = after[: after.index("）") + 1]
            assert clause.startswith("（牵头单位：")
            for name in m.units:
                assert name in clause, (m.number, name)
            named = re.split("[、，；]", clause[len("（牵头单位：") : -1].replace("责任单位：", ""))
            assert len(named) >= len(m.units)
        else:
            assert not after.startswith("（牵头单位")


def test_every_unit_is_registered_once_and_every_registered_unit_is_named(
    model: PolicyModel,
) -> None:
    named = {name for m in model.measures for name in m.units}
    assert named == {u.name for u in model.units}
    assert model.unit("各市、州人民政府").collective
    assert model.unit("有关市、州人民政府").collective
    assert model.unit("湖北证监局").kind == "other_body"
    assert model.unit("hb-miit").name == "省经信厅"
    assert {m.number for m in model.measures_of("省经信厅", lead_only=True)} >= {18, 19}


def test_every_target_and_parameter_cites_an_existing_clause(model: PolicyModel) -> None:
    clauses = {m.numeral for m in model.measures} | {c.clause for c in model.chapters}
    for t in model.targets:
        assert t.clause in clauses, t.id
    for p in model.parameters.values():
        assert p.clause in clauses, p.name
        assert model.doc_number in p.reference
        assert f"（{p.clause}）" in p.reference
    for s in model.chain.segments:
        assert set(s.clauses) <= clauses, s.code


def _spellings(value: float, unit: str) -> set[str]:
    """How the text may write a value."""
    if unit == "currency-CNY-yi":
        out = {f"{value:g}亿元"}
        if value % 10000 == 0:
            out.add(("" if value == 10000 else f"{value / 10000:g}") + "万亿元")
        return out
    if unit == "currency-CNY-wan":
        return {f"{value:g}万元", f"{value / 10000:g}亿元"}
    if unit == "/1":
        return {f"{value * 100:g}％"} | ({"全覆盖"} if value == 1 else set())
    return {f"{value:g}家", f"{value:g}项"}


def test_every_target_quote_is_in_its_clause_and_holds_its_numbers(
    model: PolicyModel, flat_document: str
) -> None:
    for t in model.targets:
        assert flat(t.quote) in flat(model.clause(t.clause).text), t.id
        assert flat(t.quote) in flat_document
        for value in t.values.values():
            if value is None:
                assert t.comparison in ("batch", "increase")
                continue
            assert any(s in flat(t.quote) for s in _spellings(value, t.unit)), (t.id, value)


def test_every_number_stated_by_the_text_appears_in_its_clause(model: PolicyModel) -> None:
    """A parameter without a note is the text's own number; with a note, a documented reading."""
    for p in model.parameters.values():
        if p.note is not None or p.unit not in ("currency-CNY-wan", "/1", "count"):
            continue
        text = flat(model.measure(p.clause).text)
        for _, value in p.values:
            for v in value if isinstance(value, tuple) else (value,):
                assert isinstance(v, int | float)
                assert any(s in text for s in _spellings(v, p.unit)), (p.name, v)


def test_the_figures_of_the_text(model: PolicyModel) -> None:
    assert dict(model.target("industry_scale").values) == {2024: 280, 2025: 380, 2026: 500}
    assert model.target("invention_patents_growth").values[2026] == pytest.approx(0.15)
    assert model.target("little_giants").comparison == "batch"
    assert not model.target("little_giants").quantified
    y = 2025
    assert model.parameter("revenue_milestone.amounts_wan").at(y) == [200, 500, 1000]
    assert model.parameter("revenue_milestone.thresholds_wan").at(y) == [500000, 1000000, 2000000]
    assert model.parameter("revenue_milestone.province_share").at(y) == 0.5
    assert model.parameter("first_set.rate").at(y) == 0.15
    assert model.parameter("first_set.cap_wan").at(y) == 1000
    assert model.parameter("service_platform.cap_wan").at(y) == 500
    assert model.parameter("innovation_source.rate").at(y) == 0.1
    assert model.parameter("innovation_source.cap_wan").at(y) == 1000
    fund = model.target("special_fund_projects")
    assert set(fund.values.values()) == {
        model.parameter("special_fund.projects_per_channel_per_year").at(y)
    }


def test_chain_taxonomy_matches_the_shared_codes(model: PolicyModel) -> None:
    codes = [s.code for s in model.chain.segments]
    assert len(codes) == 21
    assert {s.code for s in model.chain.stages} == {"MAT", "CMP", "LSR", "EQP", "APP"}
    weak = {s.code for s in model.chain.segments if s.strength == "weak"}
    assert weak == {"MAT-CRYSTAL", "MAT-NLO", "MAT-SEMI", "CMP-MIRROR", "CMP-SLM", "CMP-HEAD"}
    assert model.chain.segment("激光雷达").code == "APP-LIDAR"
    for s in model.chain.segments:
        text = flat(model.measure(s.clause).text)
        assert any(word in text for word in (s.name_zh, *s.keywords)), s.code


def test_projects_and_their_overlaps(model: PolicyModel) -> None:
    park = model.project("casic-optics-valley-laser-park-phase2")
    assert park.clauses == ("十四", "十九")
    assert model.project("drlaser-phase3").related == ("drlaser-base-phase2",)
    for p in model.projects:
        for clause, mention in p.mentions.items():
            assert mention in model.measure(clause).text


def test_a_year_means_the_value_in_force_on_31_december(model: PolicyModel) -> None:
    p = model.parameter("first_set.rate")
    assert p.at(2024) == p.at(dt.date(2024, 12, 31)) == 0.15
    with pytest.raises(NotFoundError, match=r"first_set\.rate"):
        p.at(2023)
    with pytest.raises(NotFoundError, match="2024-07-21"):
        p.at(dt.date(2024, 7, 21))


def test_typed_accessors(model: PolicyModel) -> None:
    assert model.parameter("revenue_milestone.amounts_wan").numbers_at(2025) == [200, 500, 1000]
    assert model.parameter("revenue_milestone.threshold_inclusive").bool_at(2025) is True
    assert model.parameter("revenue_milestone.window_end_year").int_at(2025) == 2026
    assert model.parameter("first_set.catalog_levels").strings_at(2025) == [
        "national",
        "provincial",
    ]
    with pytest.raises(PolicyModelError, match=r"first_set\.rate"):
        model.parameter("first_set.rate").strings_at(2025)


def test_lists_handed_out_are_copies(model: PolicyModel) -> None:
    amounts = model.parameter("revenue_milestone.amounts_wan").at(2025)
    assert isinstance(amounts, list)
    amounts.append(1)
    assert model.parameter("revenue_milestone.amounts_wan").at(2025) == [200, 500, 1000]


def test_parameters_at_flattens_every_parameter(model: PolicyModel) -> None:
    values = model.parameters_at(2025)
    assert set(values) == set(model.parameters)
    assert values["revenue_milestone.pre_window_crossings"] == "count_as_reached"


def test_unknown_parameter_is_not_found(model: PolicyModel) -> None:
    with pytest.raises(NotFoundError, match="no_such"):
        model.parameter("no_such.parameter")


def test_clause_labels(model: PolicyModel) -> None:
    assert model.clause_label("十八") == "（十八）强化对企业引培及金融支持"
    assert model.clause_label("第一部分") == "一、总体要求"
    assert to_numeral(23) == "二十三"
