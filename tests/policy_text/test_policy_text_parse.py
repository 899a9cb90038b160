"""Parsing: the two texts of 鄂政办发〔2024〕35号, and small documents of each form."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from laser_policy.errors import DocumentError
from laser_policy.policy.parse import ParsedDocument, extract_units, parse_document, split_units

DATA = Path(__file__).parent / "data"
OFFICIAL = DATA / "hubei-laser-2024-official.txt"
REPRINT = DATA / "hubei-laser-2024-reprint-traditional.txt"


# --------------------------------------------------------------------------- the shared texts


@pytest.mark.parametrize("which", ["official", "reprint"])
def test_both_texts_give_the_23_measures_with_the_printed_units(
    which: str, request: pytest.FixtureRequest, expected: dict[str, Any]
) -> None:
    doc: ParsedDocument = request.getfixturevalue(which)
    assert [(c.number, c.title) for c in doc.chapters] == [tuple(c) for c in expected["chapters"]]
    got = [[m.number, m.chapter, m.title, m.lead_units, m.responsible_units] for m in doc.measures]
    assert got == expected["measures"]


def test_document_number_and_title(
    official: ParsedDocument, reprint: ParsedDocument, expected: dict[str, Any]
) -> None:
    assert official.doc_number == expected["doc_number"]
    assert reprint.doc_number is None  # the reprint does not print it
    assert official.title == reprint.title == expected["title"]
    assert reprint.date == "2024年7月22日"


def test_measure_text_is_clean_simplified_and_without_annotation(
    official: ParsedDocument, reprint: ParsedDocument
) -> None:
    m17 = official.measures[16]
    assert m17.text.startswith("强化技术创新及产业化支持。帮助企业")
    assert m17.text.endswith("单个项目不超过1000万元。")  # page furniture inside is gone
    assert "牵头单位" not in m17.text
    assert "湖北省经济和信息化厅" not in m17.text
    r1 = reprint.measures[0]
    assert r1.text.startswith("发挥各类研发机构作用。鼓励激光企业加大研发投入，")
    assert "(ye)" not in r1.text
    assert "業" not in r1.text


def test_unchanged_measures_have_the_same_text_in_both(
    official: ParsedDocument, reprint: ParsedDocument
) -> None:
    changed = {17, 19, 21, 22, 23}
    for a, b in zip(official.measures, reprint.measures, strict=True):
        if a.number not in changed:
            assert a.text == b.text, a.number


def test_targets_of_the_general_requirements(official: ParsedDocument) -> None:
    general = official.chapters[0]
    assert [t.name for t in general.targets] == ["产业规模目标", "创新能力目标", "企业培育目标"]
    assert "2026年达到500亿元" in general.targets[0].text


def test_parsing_both_texts_takes_well_under_a_second() -> None:
    start = time.perf_counter()
    parse_document(OFFICIAL)
    parse_document(REPRINT)
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- forms

PAREN_HALF_WIDTH = """关于支持示例产业发展的若干措施
(示例发〔2025〕1号)
各有关单位:
为推动示例产业发展,制定本措施。
一、强化创新
(一)支持研发。对研发投入给予补助。(牵头单位:省科技厅;责任单位:省财政厅,各市、州人民政府)
(二)支持平台。建设公共平台。(责任单位:省经信厅、省发改委)
二、优化服务
(三)优化审批。压缩审批时限。〔牵头单位：省政务办；配合单位：省发改委及省住建厅〕
"""

DOT_NUMBERING = """示例市促进示例产业发展的实施方案
一、主要任务
1．加强协同。推进协同发展。（牵头单位：市经信局；协同单位：市科技局，市、州、县人民政府）
2.强化保障。
（1）资金保障。安排专项资金。
（2）人才保障。引进人才。
（牵头单位：市财政局；责任单位：市人社局、市教育局）
二、保障措施
3.加强督导。定期督导检查。（责任单位：市政府督查室）
"""

ARABIC_PARENS_NO_CHAPTERS = """关于做好示例工作的通知
各县（市、区）人民政府：
现就有关事项通知如下：
(1)加强组织领导。各地要高度重视。(牵头单位:县政府办;责任单位:各乡镇,县直各部门)
(2)抓好贯彻落实。确保取得实效。
"""

ARTICLES = """示例资金管理办法
第一章 总则
第一条 为了规范示例资金管理，制定本办法。
第二条 本办法适用于示例资金。
第二章 附则
第三条 本办法自发布之日起施行。
"""


def _units(doc: ParsedDocument) -> list[tuple[int, int, str, list[str], list[str]]]:
    return [(m.number, m.chapter, m.title, m.lead_units, m.responsible_units) for m in doc.measures]


def test_paren_numbering_with_half_width_punctuation_and_bracket_kinds() -> None:
    doc = parse_document(PAREN_HALF_WIDTH)
    assert doc.doc_number == "示例发〔2025〕1号"
    assert doc.title == "关于支持示例产业发展的若干措施"
    assert [(c.number, c.title) for c in doc.chapters] == [(1, "强化创新"), (2, "优化服务")]
    assert _units(doc) == [
        (1, 1, "支持研发", ["省科技厅"], ["省财政厅", "各市、州人民政府"]),
        (2, 1, "支持平台", [], ["省经信厅", "省发改委"]),
        (3, 2, "优化审批", ["省政务办"], ["省发改委", "省住建厅"]),
    ]
    assert doc.measures[0].text == "支持研发。对研发投入给予补助。"
    assert doc.preamble.startswith("各有关单位：")


def test_dot_numbering_keeps_sub_items_inside_the_measure() -> None:
    doc = parse_document(DOT_NUMBERING)
    assert _units(doc) == [
        (1, 1, "加强协同", ["市经信局"], ["市科技局", "市、州、县人民政府"]),
        (2, 1, "强化保障", ["市财政局"], ["市人社局", "市教育局"]),
        (3, 2, "加强督导", [], ["市政府督查室"]),
    ]
    assert "（1）资金保障。安排专项资金。" in doc.measures[1].text
    assert "（2）人才保障" in doc.measures[1].text


def test_arabic_parens_without_chapters() -> None:
    doc = parse_document(ARABIC_PARENS_NO_CHAPTERS)
    assert doc.chapters == []
    assert _units(doc) == [
        (1, 0, "加强组织领导", ["县政府办"], ["各乡镇", "县直各部门"]),
        (2, 0, "抓好贯彻落实", [], []),
    ]
    assert doc.preamble.startswith("各县（市、区）人民政府：")


def test_chapters_and_articles() -> None:
    doc = parse_document(ARTICLES)
    assert [(c.number, c.title) for c in doc.chapters] == [(1, "总则"), (2, "附则")]
    assert [(m.number, m.chapter) for m in doc.measures] == [(1, 1), (2, 1), (3, 2)]
    assert doc.measures[2].text == "本办法自发布之日起施行。"


def test_numbering_is_continuous_when_the_document_restarts_it_per_chapter() -> None:
    text = "示例方案\n一、甲\n1.任务一。内容。\n2.任务二。内容。\n二、乙\n1.任务三。内容。\n"
    doc = parse_document(text)
    assert [(m.number, m.chapter, m.title) for m in doc.measures] == [
        (1, 1, "任务一"),
        (2, 1, "任务二"),
        (3, 2, "任务三"),
    ]


def test_traditional_input_gives_simplified_output() -> None:
    doc = parse_document(
        "關於示例的意見\n一、總體要求\n（一）強化協調聯動。整合各方力量。（牽頭單位：省經信廳；責任單位：各市、州人民政府）\n"
    )
    assert doc.title == "关于示例的意见"
    assert doc.chapters[0].title == "总体要求"
    assert _units(doc) == [(1, 1, "强化协调联动", ["省经信厅"], ["各市、州人民政府"])]


@pytest.mark.parametrize(
    ("annotation", "lead", "responsible"),
    [
        (
            "（牵头单位：省科技厅；责任单位：省发改委、省教育厅）",
            ["省科技厅"],
            ["省发改委", "省教育厅"],
        ),
        ("（责任单位：省经信厅）", [], ["省经信厅"]),
        ("（牵头单位：省商务厅、省科技厅、省经信厅）", ["省商务厅", "省科技厅", "省经信厅"], []),
        ("〔牵头单位：省科技厅；配合单位：省财政厅〕", ["省科技厅"], ["省财政厅"]),
        ("(牵头单位:省科技厅;协同单位:省财政厅,省商务厅)", ["省科技厅"], ["省财政厅", "省商务厅"]),
        (
            "（牵头单位：省经信厅；责任单位：省商务厅，有关市、州人民政府）",
            ["省经信厅"],
            ["省商务厅", "有关市、州人民政府"],
        ),
        (
            "（责任单位：省发改委及省财政厅，各市、州人民政府）",
            [],
            ["省发改委", "省财政厅", "各市、州人民政府"],
        ),
        (
            "（责任单位：省直有关部门，市、州、县人民政府）",
            [],
            ["省直有关部门", "市、州、县人民政府"],
        ),
        (
            "（省科技厅牵头，省发改委、省教育厅按职责分工负责）",
            ["省科技厅"],
            ["省发改委", "省教育厅"],
        ),
    ],
    ids=[
        "both",
        "only-responsible",
        "only-lead",
        "lenticular-brackets",
        "half-width",
        "comma-and-names-with-dunhao",
        "ji",
        "shi-zhou-xian",
        "prose",
    ],
)
def test_unit_annotation_forms(annotation: str, lead: list[str], responsible: list[str]) -> None:
    text, got_lead, got_responsible = extract_units(f"加强协调。推进工作。{annotation}")
    assert (text, got_lead, got_responsible) == ("加强协调。推进工作。", lead, responsible)


def test_split_units_keeps_names_containing_dunhao() -> None:
    assert split_units("省经信厅、各市、州人民政府，有关市、州人民政府、市、州、县人民政府") == [
        "省经信厅",
        "各市、州人民政府",
        "有关市、州人民政府",
        "市、州、县人民政府",
    ]


# --------------------------------------------------------------------------- not a policy


@pytest.mark.parametrize(
    "text",
    ["这是一段普通的文字。没有任何编号，也没有措施。", "Hello world.\nJust some English text.\n"],
    ids=["prose", "english"],
)
def test_text_without_numbered_measures_is_not_a_policy_document(text: str) -> None:
    with pytest.raises(DocumentError, match="不像政策文件"):
        parse_document(text, name="note.txt")
