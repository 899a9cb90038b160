"""Diffing: the real changes between the official text and the reprint, and nothing else."""

from __future__ import annotations

import random
from pathlib import Path

import opencc
import pytest

from laser_policy.policy.diff import Change, diff_documents
from laser_policy.policy.parse import ParsedDocument
from laser_policy.policy.text import load_paragraphs

DATA = Path(__file__).parent / "data"
OFFICIAL = DATA / "hubei-laser-2024-official.txt"
REPRINT = DATA / "hubei-laser-2024-reprint-traditional.txt"

#: the real differences, found by diffing the two texts character by character after
#: folding script, width and whitespace: (measure, section starts with, old, new)
REAL_CHANGES: list[tuple[int | None, str, str, str]] = [
    (None, "序言", "推进新型工业化的决策部署", "推进新型工业化决策部署"),
    (
        None,
        "一、总体要求",
        "党的二十大和习近平总书记视察湖北",
        "党的二十大精神和习近平总书记考察湖北",
    ),
    (17, "（十七）", "带动相关市州加大资金投入", "带动相关市、区加大资金投入"),
    (
        19,
        "（十九）",
        "助推武汉光谷激光科技园二期、帝尔激光三期等重大项目加快建设",
        "助推重大项目加快建设",
    ),
    (21, "（二十一）", "整合省直部门和地方的力量", "整合各地各有关部门的力量"),
    (22, "（二十二）", "“三十三条”、“两新”政策", "“三十三条”“两新”政策"),
    (
        23,
        "（二十三）",
        "相关地方和省直部门完善政企常态对接沟通机制",
        "各地各有关部门要完善政企常态对接沟通机制",
    ),
]


@pytest.fixture(scope="module")
def changes(official: ParsedDocument, reprint: ParsedDocument) -> list[Change]:
    return diff_documents(official, reprint)


def test_the_real_changes_are_found_and_nothing_else(changes: list[Change]) -> None:
    assert len(changes) == len(REAL_CHANGES)
    for change, (measure, section, old, new) in zip(changes, REAL_CHANGES, strict=True):
        assert change.measure == measure
        assert change.section.startswith(section)
        assert change.kind == "changed"
        assert change.old is not None
        assert old in change.old
        assert change.new is not None
        assert new in change.new


def test_no_unchanged_measure_is_reported(changes: list[Change]) -> None:
    assert {c.measure for c in changes if c.measure is not None} == {17, 19, 21, 22, 23}


def test_changes_are_small_spans_not_whole_measures(
    changes: list[Change], official: ParsedDocument
) -> None:
    texts = {m.number: m.text for m in official.measures}
    for change in changes:
        assert change.old is not None
        assert len(change.old) <= 40
        if change.measure is not None:
            assert len(change.old) < len(texts[change.measure]) / 3


def test_missing_document_number_in_a_reprint_is_not_a_change(changes: list[Change]) -> None:
    assert not [c for c in changes if c.section in {"文号", "成文日期", "标题"}]


# --------------------------------------------------------------------------- variants


def _rewrap(text: str, width: int, seed: int) -> str:
    """The same paragraphs hard-wrapped at another width, with stray spaces and blank lines."""
    rng = random.Random(seed)
    out: list[str] = []
    for paragraph in text.splitlines():
        for start in range(0, len(paragraph), width):
            chunk = paragraph[start : start + width]
            out.append("".join(c + (" " if rng.random() < 0.05 else "") for c in chunk))
            out.append("")
    return "\r\n".join(out)


def test_identical_texts_have_no_changes(official: ParsedDocument) -> None:
    assert diff_documents(OFFICIAL, OFFICIAL) == []
    assert diff_documents(official, official) == []


def test_script_only_variant_has_no_changes() -> None:
    traditional = opencc.OpenCC("s2t").convert(OFFICIAL.read_text("utf-8"))
    assert diff_documents(OFFICIAL, traditional) == []


@pytest.mark.parametrize("width", [18, 25, 33, 40])
def test_whitespace_and_line_break_only_variant_has_no_changes(width: int) -> None:
    paragraphs = "\n".join(load_paragraphs(OFFICIAL))
    assert diff_documents(OFFICIAL, _rewrap(paragraphs, width, seed=width)) == []


def test_punctuation_width_only_variant_has_no_changes() -> None:
    half = OFFICIAL.read_text("utf-8").translate(
        str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "％": "%", "？": "?"})
    )
    assert diff_documents(OFFICIAL, half) == []


def test_page_furniture_only_variant_has_no_changes(reprint: ParsedDocument) -> None:
    lines = REPRINT.read_text("utf-8").splitlines()
    lines.insert(20, "- 3 -")
    lines.insert(21, "湖北省人民政府办公厅发布")
    assert diff_documents(reprint, "\n".join(lines)) == []


# --------------------------------------------------------------------------- own documents

BASE = """关于示例的意见
一、主要任务
（一）加强协同。推进协同发展，形成合力。（牵头单位：省经信厅；责任单位：省科技厅）
（二）强化保障。安排专项资金。（牵头单位：省财政厅）
（三）抓好落实。定期督导检查。（责任单位：省政府办公厅）
"""


def test_added_and_removed_measures_do_not_shift_the_others() -> None:
    new = BASE.replace(
        "（二）强化保障。安排专项资金。（牵头单位：省财政厅）\n",
        "（二）优化服务。提高审批效率。\n（三）强化保障。安排专项资金。（牵头单位：省财政厅）\n",
    ).replace("（三）抓好落实", "（四）抓好落实")
    assert [(c.measure, c.kind) for c in diff_documents(BASE, new)] == [(2, "added")]
    assert [(c.measure, c.kind) for c in diff_documents(new, BASE)] == [(2, "removed")]


def test_unit_changes_are_reported_per_role() -> None:
    new = BASE.replace("责任单位：省科技厅", "责任单位：省科技厅、省商务厅")
    assert [c.to_dict() for c in diff_documents(BASE, new)] == [
        {
            "measure": 1,
            "section": "（一）加强协同：责任单位",
            "kind": "changed",
            "old": "省科技厅",
            "new": "省科技厅、省商务厅",
        }
    ]


def test_a_changed_clause_is_reported_not_the_sentence() -> None:
    new = BASE.replace("推进协同发展，形成合力。", "推进区域协同发展，形成合力。")
    assert [(c.old, c.new) for c in diff_documents(BASE, new)] == [
        ("推进协同发展", "推进区域协同发展")
    ]


def test_an_added_sentence_is_reported_as_added() -> None:
    new = BASE.replace("定期督导检查。", "定期督导检查。年底前报送进展。")
    assert [(c.measure, c.kind, c.old, c.new) for c in diff_documents(BASE, new)] == [
        (3, "added", None, "年底前报送进展。")
    ]
