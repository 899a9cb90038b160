"""The packaged model's provisions: funds, mechanisms, named things, task items, figures and
chain items of 鄂政办发〔2024〕35号, each quoted from the official text."""

from __future__ import annotations

import re

import pytest

from laser_policy.policy.model import PolicyModel
from laser_policy.policy.structure import flat


def all_quotes(model: PolicyModel) -> list[tuple[str, str, str]]:
    """(where, clause, quote) of every quote in the model."""
    out = [(f"targets:{t.id}", t.clause, t.quote) for t in model.targets]
    out += [(f"funds:{f.id}", f.clause, f.quote) for f in model.funds]
    out += [(f"mechanisms:{m.id}", m.clause, m.quote) for m in model.mechanisms]
    out += [(f"named:{n.id}", n.clause, n.quote) for n in model.named]
    out += [(f"tasks:{t.id}", t.clause, t.quote) for t in model.tasks]
    out += [(f"figures:{f.id}", f.clause, f.quote) for f in model.figures]
    out += [
        (f"chain:{s.code}:{i.name_zh}", i.clause, i.quote)
        for s in model.chain.segments
        for i in s.items
    ]
    out += [
        (f"projects:{p.id}", clause, mention)
        for p in model.projects
        for clause, mention in p.mentions.items()
    ]
    return out


def test_every_quote_of_the_packaged_model_occurs_in_the_official_text(
    model: PolicyModel, flat_document: str
) -> None:
    quotes = all_quotes(model)
    assert len(quotes) > 120
    document = flat(flat_document)
    missing = [(where, q) for where, _, q in quotes if flat(q) not in document]
    assert missing == []


def test_every_quote_occurs_in_the_text_of_its_clause(model: PolicyModel) -> None:
    missing = []
    for where, clause, quote in all_quotes(model):
        target = model.clause(clause)
        if flat(quote) not in flat(target.text):
            missing.append((where, clause))
    assert missing == []


def test_the_three_funds_of_eighteen_with_their_sizes_and_purposes(model: PolicyModel) -> None:
    sizes = {f.name_zh: (f.size.value if f.size else None) for f in model.funds}
    assert sizes == {
        "省政府投资引导基金": None,
        "省“楚天凤鸣”科创天使基金": 500,
        "光谷激光产业发展基金": 100,
    }
    assert all(f.clause == "十八" for f in model.funds)
    assert all(f.size is None or f.size.unit == "currency-CNY-yi" for f in model.funds)
    assert list(model.fund_purposes.values()) == ["并购重组", "技术创新", "成果转化", "应用示范"]
    assert all(set(f.purposes) == set(model.fund_purposes) for f in model.funds)
    assert model.fund("chutian_fengming").size is not None


def test_guarantees_and_the_major_project_top_up_say_the_text_has_no_number(
    model: PolicyModel,
) -> None:
    by_id = {m.id: m for m in model.mechanisms}
    guarantee, top_up = by_id["financing_guarantee"], by_id["major_project_subsidy"]
    assert (guarantee.kind, guarantee.clause) == ("guarantee", "十八")
    assert "中小微企业" in guarantee.beneficiaries
    assert (top_up.kind, top_up.clause, top_up.quantified) == ("subsidy", "十八", False)
    assert top_up.note is not None
    assert "无数字" in top_up.note.zh
    assert "No number in the text" in top_up.note.en
    assert "适当补助" in top_up.quote


def test_numbers_with_no_home_now_have_one(model: PolicyModel) -> None:
    figures = {f.id: f for f in model.figures}
    assert figures["scale_doubles_in_three_years"].of_id == "industry_scale"
    assert "三年翻番" in figures["scale_doubles_in_three_years"].quote
    assert "规模倍增" in figures["scale_multiplies"].quote
    assert "国内市场占有率第一" in figures["fibre_laser_market_rank"].quote
    assert figures["hundred_yi_class_firm"].value == 100
    assert figures["hundred_yi_class_firm"].clause == "十四"
    assert {
        figures["chutian_fengming_size"].value,
        figures["optics_valley_laser_fund_size"].value,
    } == {
        500,
        100,
    }
    assert not any(f.judged for f in model.figures)


NAMED_IN_THE_ISSUE = [
    "华工科技中央研究院",
    "逸飞激光工程技术研究院",
    "航天三江激光产业技术研究院",
    "激光国家级标准验证点",
    "激光中试平台",
    "海外服务驿站",
    "省政府投资引导基金",
    "科技副总",
    "湖北科创供应链平台",
    "武汉光谷国际绿色激光产业基地",
    "降成本“三十三条”",
]


def test_the_named_things_of_the_text(model: PolicyModel) -> None:
    names = {n.name_zh: n for n in model.named}
    assert len(names) >= 49
    for name in NAMED_IN_THE_ISSUE:
        assert name in names, name
    assert names["华工科技中央研究院"].status == "to_build"
    assert names["激光国家级标准验证点"].status == "to_attract"
    assert set(names["华中科技大学"].clauses) == {"一", "七"}
    kinds = {n.kind for n in model.named}
    assert {"institution", "platform", "fund", "programme", "place", "policy"} <= kinds
    # units and major projects have their own files
    unit_names = {u.name for u in model.units} | {u.full_name for u in model.units}
    assert not unit_names & set(names)


EIGHT_ITEMS = {
    "机械部件": "九",
    "数控系统": "九",
    "船舶制造激光设备": "九",
    "激光雷达芯片": "十二",
    "3D打印材料": "十三",
    "CAD软件": "十三",
    "特种激光材料": "第一部分",
    "系统集成": "第一部分",
}


def test_the_eight_chain_items_with_no_segment_are_placed_with_their_clause(
    model: PolicyModel,
) -> None:
    placed = {i.name_zh: (s.code, i.clause) for s in model.chain.segments for i in s.items}
    for name, clause in EIGHT_ITEMS.items():
        assert name in placed, name
        assert placed[name][1] == clause
    assert placed["激光雷达芯片"][0] == "APP-LIDAR"
    assert placed["3D打印材料"][0] == placed["CAD软件"][0] == "EQP-AM"


def test_laser_doping_and_ablation_is_a_long_board_item_as_five_says(model: PolicyModel) -> None:
    micro = model.chain.segment("EQP-MICRO")
    assert micro.strength == "new"  # 九's TGV and semiconductor equipment
    item = next(i for i in micro.items if "掺杂" in i.name_zh)
    assert (item.strength, item.strength_zh, item.clause) == ("strong", "长板", "五")
    assert "太阳能电池片激光掺杂和消融设备等中高端优势产品" in item.quote


def test_the_service_platform_rate_is_flagged_as_an_assumption(model: PolicyModel) -> None:
    rate = model.parameter("service_platform.rate")
    assert rate.at(2025) == 0.1  # the figure is unchanged
    assert rate.assumption is True
    assert rate.note is not None
    assert "未给比例" in rate.note.zh
    assert "gives no rate" in rate.note.en
    # figures the text states are not assumptions
    for name in ("first_set.rate", "service_platform.cap_wan", "revenue_milestone.amounts_wan"):
        assert model.parameter(name).assumption is False


def test_the_tasks_with_figures(model: PolicyModel) -> None:
    tasks = {t.id: t for t in model.tasks}
    assert len(tasks) >= 20
    institutes = tasks["rd_institutes_built"]
    assert (institutes.clause, institutes.deliverable, institutes.count) == ("一", "count", 3)
    assert "逸飞激光工程技术研究院" in institutes.items
    assert tasks["standard_verification_point"].deliverable == "milestone"
    assert tasks["public_service_platforms"].count == 4
    assert {
        "pilot_platforms",
        "overseas_service_stations",
        "matchmaking_events",
        "tech_vice_presidents",
        "standards_drafted",
        "famous_brands",
        "leader_training",
    } <= set(tasks)
    assert model.tasks_of("十六") == tuple(t for t in model.tasks if t.clause == "十六")


@pytest.mark.parametrize(
    "task_id", ["rd_institutes_built", "matchmaking_events", "leader_training"]
)
def test_a_task_has_its_measures_units(model: PolicyModel, task_id: str) -> None:
    task = model.task(task_id)
    measure = model.measure(task.clause)
    assert (task.lead_units, task.responsible_units) == (
        measure.lead_units,
        measure.responsible_units,
    )


def test_a_task_may_narrow_its_measures_units(model: PolicyModel) -> None:
    task = model.task("talent_measures_by_city")
    assert task.responsible_units == ("各市、州人民政府",)
    assert set(task.units) <= set(model.measure("二十").units)


def test_due_dates_the_text_does_not_give_are_the_plan_end_flagged(model: PolicyModel) -> None:
    end = f"{model.period[1]}-12-31"
    for t in model.tasks:
        assert t.due.isoformat() == end
    assumed = {t.id for t in model.tasks if t.due_assumed}
    assert "hundred_yi_leader" not in assumed  # 第一部分: 到2026年 … 1家营收过100亿元
    assert "rd_institutes_built" in assumed


def test_task_items_name_things_in_their_quote(model: PolicyModel) -> None:
    for t in model.tasks:
        for item in t.items:
            assert flat(item) in flat(t.quote), (t.id, item)
        assert re.fullmatch(r"[a-z][a-z0-9_]*", t.id)
