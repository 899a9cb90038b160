"""The genre's forms one by one, on small texts written here (not the corpus)."""

from __future__ import annotations

import pytest

from laser_policy.policy.parse import extract_units, parse_document, split_units
from laser_policy.policy.text import normalise_text

# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("annotation", "lead", "responsible"),
    [
        ("（牵头单位：市科委，配合单位：各区县市）", ["市科委"], ["各区县市"]),
        ("（区政务服务局牵头，区发改局、区级相关部门配合）", ["区政务服务局"],
         ["区发改局", "区级相关部门"]),
        ("（市委编办牵头负责）", ["市委编办"], []),
        ("（人力资源社会保障部、财政部按职责分工负责）", [], ["人力资源社会保障部", "财政部"]),
        ("（国家发展改革委会同有关部门负责）", ["国家发展改革委"], ["有关部门"]),
        ("（国家发展改革委、财政部会同有关部门负责）", ["国家发展改革委", "财政部"], ["有关部门"]),
        ("（交通运输部、财政部负责）", [], ["交通运输部", "财政部"]),
        ("（负责部门：药监局、海关总署，适用范围：重庆自贸试验区）", [], ["药监局", "海关总署"]),
        ("[市委编办牵头,市级有关部门及各县区政府按职责分工负责]", ["市委编办"],
         ["市级有关部门", "各县区政府"]),
        ("(责任单位:市工业和信息化局、市财政局,各区人民政府)", [],
         ["市工业和信息化局", "市财政局", "各区人民政府"]),
        ("（市人社局牵头，市发改委、财政局、商务局负责）", ["市人社局"],
         ["市发改委", "财政局", "商务局"]),
        ("（责任单位：市行政审批局市司法局）", [], ["市行政审批局", "市司法局"]),
        ("（海关总署、商务部等有关部门负责）", [], ["海关总署", "商务部", "有关部门"]),
        ("（区发改局牵头，区财政局、区水务局等部门，各街道办事处配合）", ["区发改局"],
         ["区财政局", "区水务局", "各街道办事处"]),
        ("（牵头单位：市住建局；责任单位：各区、县级市人民政府）", ["市住建局"],
         ["各区、县级市人民政府"]),
        (("〔责任单位：省发展改革委、商务厅按职责分工负责。具体任务均涉及相关市（州）人民政府，"
          "不再做分工，下同。〕"), [], ["省发展改革委", "商务厅"]),
        (("（省发展改革委牵头，各地级以上市人民政府按职责分工负责，以下各项均需各市按职责分工负责，"
          "不再列出；完成时限：2025年6月底前）"), ["省发展改革委"], ["各地级以上市人民政府"]),
    ],
)
def test_unit_forms(annotation: str, lead: list[str], responsible: list[str]) -> None:
    text, got_lead, got_responsible = extract_units(f"推进工作。{annotation}")
    assert (text, got_lead, got_responsible) == ("推进工作。", lead, responsible)


def test_a_shared_prefix_printed_once_is_left_as_printed() -> None:
    assert split_units("市发改委、财政局、商务局") == ["市发改委", "财政局", "商务局"]


def test_brackets_in_running_text_are_not_units() -> None:
    text = (
        "对成效明显的省（区、市）给予支持，外国（地区）企业可以登记，职业院校（含技工院校）开展培训。"
    )
    assert extract_units(text) == (text, [], [])


def _doc(body: str) -> list[tuple[str, list[str], list[str], str | None]]:
    doc = parse_document("示例市工作方案\n" + body)
    return [(m.numbering, m.lead_units, m.responsible_units, m.deadline) for m in doc.measures]


def test_the_first_listed_convention_applies_from_where_it_is_stated() -> None:
    body = (
        "一、主要任务\n"
        "1.甲任务。推进甲。（市财政局、市税务局负责，排在第一位的部门为牵头部门，下同）\n"
        "2.乙任务。推进乙。（市商务局、市财政局负责）\n"
        "3.丙任务。推进丙。（市商务局、市财政局按职责分工负责）\n"
    )
    assert _doc(body) == [
        ("1.", ["市财政局"], ["市税务局"], None),
        ("2.", ["市商务局"], ["市财政局"], None),
        ("3.", [], ["市商务局", "市财政局"], None),
    ]


def test_deadlines_are_their_own_field() -> None:
    body = (
        "一、主要任务\n"
        "1.甲任务。推进甲。（市财政局负责，2024年底前完成）\n"
        "2.乙任务。推进乙。（牵头单位：市商务局；完成时限：6月底完成）\n"
        "3.丙任务。推进丙。（市科技局，长期坚持）\n"
    )
    assert _doc(body) == [
        ("1.", [], ["市财政局"], "2024年底前完成"),
        ("2.", ["市商务局"], [], "6月底完成"),
        ("3.", [], ["市科技局"], "长期坚持"),
    ]


def test_several_unit_groups_after_sentences_of_one_measure() -> None:
    body = (
        "一、优化环境\n"
        "（一）完善准入。推广场景应用（区市场局、区行政服务中心）。减少跑动（区市场局、区大数据中心）。"
        "提升便利度（区市场局）。\n"
    )
    assert _doc(body) == [("（一）", [], ["区市场局", "区行政服务中心", "区大数据中心"], None)]


# --------------------------------------------------------------------------- structure


def test_nested_numbering_running_on_across_groups() -> None:
    body = (
        "一、总体目标\n到2025年实现目标。\n"
        "二、主要任务\n（一）甲方面\n1.任务一。内容。（市甲局负责）\n2.任务二。内容。（市乙局负责）\n"
        "（二）乙方面\n3.任务三。内容。（市丙局负责）\n"
        "三、保障措施\n各地要加强领导。\n"
    )
    doc = parse_document("示例方案\n" + body)
    assert [(m.numbering, m.chapter, m.title) for m in doc.measures] == [
        ("1.", 2, "任务一"), ("2.", 2, "任务二"), ("3.", 2, "任务三"),
    ]
    assert doc.measures[2].path == ("二、主要任务", "（二）乙方面", "3.任务三")


def test_principles_are_not_measures() -> None:
    body = (
        "一、基本原则\n（一）坚持改革。深化改革。\n（二）坚持开放。扩大开放。\n"
        "二、主要任务\n（一）甲任务。推进甲。（市甲局负责）\n（二）乙任务。推进乙。（市乙局负责）\n"
    )
    assert [n for n, *_ in _doc(body)] == ["（一）", "（二）"]
    assert parse_document("示例方案\n" + body).measures[0].chapter == 2


def test_chapter_style_items_that_are_the_measures() -> None:
    body = (
        "一、对成效好的地方给予支持。（财政部负责）\n二、对进展快的地方优先安排。（商务部负责）\n"
    )
    doc = parse_document("示例通知\n各省人民政府：\n" + body)
    assert doc.chapters == []
    assert [(m.numbering, m.chapter, m.responsible_units) for m in doc.measures] == [
        ("一、", 0, ["财政部"]), ("二、", 0, ["商务部"]),
    ]


def test_headings_inline_in_running_text_and_page_markers() -> None:
    text = (
        "示例市实施方案\n"
        "1、为推动发展，制定本方案。一、加强要素支持（一）强化财税保障。落实减税降费政策，"
        "依规加大减税降费力度，对小微企业及个体工商\n"
        "2、户提供担保，延续执行至2027年底，并加大力度，持续优化服务，确保政策落地见效，"
        "切实减轻企业负担，增强市场主体活力，推动经济平稳健康发展。"
        "（市税务局、市财政局，列第一位的为牵头单位，下同）（二）加强基金支持。发挥基金作用，"
        "引导社会资本投向民间投资项目，支持企业做大做强。（市财政局、市金融办）\n"
    )
    doc = parse_document(text)
    assert [(m.numbering, m.lead_units, m.responsible_units) for m in doc.measures] == [
        ("（一）", ["市税务局"], ["市财政局"]),
        ("（二）", ["市财政局"], ["市金融办"]),
    ]
    assert "个体工商户提供担保" in doc.measures[0].text


@pytest.mark.parametrize("layout", ["lines", "tabs", "pipes"])
def test_annex_table_rows(layout: str) -> None:  # one cell per line, tab- or |-separated
    rows = [
        ["序号", "任务", "牵头单位", "责任单位", "完成时限"],
        ["1", "建设甲平台", "市经信局", "市财政局、市科技局", "2024年底前"],
        ["2", "培育乙企业", "市科技局", "各区、县级市人民政府", "长期坚持"],
    ]
    join = {"lines": "\n".join, "tabs": "\t".join, "pipes": lambda r: "| " + " | ".join(r) + " |"}
    table = "\n".join(join[layout](r) for r in rows)
    text = f"示例市重点任务分工方案\n一、总体要求\n按照部署推进。\n附件\n{table}\n"
    doc = parse_document(text)
    assert [(m.numbering, m.title, m.lead_units, m.responsible_units, m.deadline)
            for m in doc.measures] == [
        ("1", "建设甲平台", ["市经信局"], ["市财政局", "市科技局"], "2024年底前"),
        ("2", "培育乙企业", ["市科技局"], ["各区、县级市人民政府"], "长期坚持"),
    ]


# --------------------------------------------------------------------------- noise


def test_one_byte_shifted_gbk_is_repaired() -> None:
    from laser_policy.policy.ingest.noise import repair_mojibake

    garbled = "\u3000（一）完善市場準入機制行動。".encode("gbk")[1:].decode("gbk", errors="replace")
    assert repair_mojibake(garbled).startswith("（一）完善市場準入機制行動")


def test_sharing_banner_and_information_table_are_furniture() -> None:
    text = (
        "《示例方案.docx》由会员分享，可在线阅读，更多相关请在某某办公上搜索。\n"
        "索引号：\n000014349/2019-00003\n发文机关：\n国务院\n"
        "示例方案\n一、任务\n（一）甲。推进。（市甲局负责）\n"
    )
    paragraphs = normalise_text(text)
    assert paragraphs[:2] == ["示例方案", "示例方案"]  # the banner's file name, then the title
    assert not any("索引号" in p or "会员分享" in p or "000014349" in p for p in paragraphs)


def test_labelled_lines_without_brackets() -> None:
    body = (
        "一、主要预期目标\n"
        "1.地区生产总值增长6%左右。\n"
        "牵头单位：区发改局\n"
        "责任单位：区经济开发区，全区经济运行各专班\n"
        "2.固定资产投资增长15%左右。\n"
        "牵头单位：区发改局\n"
        "责任单位：各街道、区直各部门\n"
    )
    doc = parse_document("示例区重点工作任务分解方案\n" + body)
    assert [(m.title, m.lead_units, m.responsible_units) for m in doc.measures] == [
        ("地区生产总值增长6%左右", ["区发改局"], ["区经济开发区", "全区经济运行各专班"]),
        ("固定资产投资增长15%左右", ["区发改局"], ["各街道", "区直各部门"]),
    ]
    assert "牵头单位" not in doc.measures[0].text


def test_units_named_in_a_heading_hold_for_its_items() -> None:
    body = (
        "一、强化科技创新（区科技局牵头）\n"
        "（一）加强平台建设。建设研究院。\n"
        "（二）支持企业研发。给予补助。（区财政局负责）\n"
    )
    doc = parse_document("示例区若干政策举措\n" + body)
    assert doc.chapters[0].title == "强化科技创新"
    assert [(m.lead_units, m.responsible_units, m.confidence) for m in doc.measures] == [
        (["区科技局"], [], "medium"),
        ([], ["区财政局"], "high"),
    ]


def test_a_cross_reference_in_running_text_is_not_a_heading() -> None:
    long = "按照本方案第（二）项规定的条件，经审核符合要求的企业，可以申请补助，" * 6
    body = (
        f"一、主要任务\n（一）甲任务。{long}（市甲局负责）\n（二）乙任务。推进乙。（市乙局负责）\n"
    )
    doc = parse_document("示例方案\n" + body)
    got = [(m.numbering, m.title) for m in doc.measures]
    assert got == [("（一）", "甲任务"), ("（二）", "乙任务")]


def test_dun_numbering_after_a_heading_is_not_a_page_marker() -> None:
    body = (
        "一、主要任务\n"
        "1、甲任务。推进甲。（市甲局负责）\n"
        "2、乙任务。推进乙。（市乙局负责）\n"
    )
    assert [(n, r) for n, _, r, _ in _doc(body)] == [("1、", ["市甲局"]), ("2、", ["市乙局"])]


def test_a_notice_with_its_own_items_then_the_plan_it_issues() -> None:
    text = (
        "区政府办公室关于印发重点工作分工方案的通知\n"
        "各街道办事处：\n现将方案印发给你们，并通知如下：\n"
        "一、各责任单位要高度重视，制订工作方案。\n"
        "二、区督查室要加强督办。\n"
        "区人民政府办公室\n2023年1月3日\n"
        "2023年重点工作分工方案\n"
        "一、主要预期目标\n"
        "1.地区生产总值增长7%以上。\n牵头领导：常务副区长\n主要责任单位：区发展和改革局\n"
        "2.工业投资增长12%以上。\n责任单位：区科技和经信局\n"
    )
    doc = parse_document(text)
    assert doc.title == "2023年重点工作分工方案"
    assert [(m.numbering, m.chapter, m.responsible_units) for m in doc.measures] == [
        ("1.", 1, ["区发展和改革局"]), ("2.", 1, ["区科技和经信局"]),
    ]
    assert [c.title for c in doc.chapters] == ["主要预期目标"]
    assert any("常务副区长" in n for n in doc.measures[0].notes)
