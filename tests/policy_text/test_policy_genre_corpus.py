"""The parser on the fourteen documents of the genre (texts with hand-read gold files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.policy_text.genre import genre_dir

from laser_policy.policy.evaluate import render_scores, score_corpus, score_document
from laser_policy.policy.parse import ParsedDocument, parse_document

GENRE = genre_dir()
pytestmark = pytest.mark.skipif(GENRE is None, reason="genre corpus ../shared/policy/genre absent")
NAMES = sorted(p.name.removesuffix(".gold.json") for p in (GENRE or Path()).glob("*.gold.json"))


def _doc(name: str) -> ParsedDocument:
    assert GENRE is not None
    return parse_document(GENRE / f"{name}.txt")


@pytest.mark.parametrize("name", NAMES)
def test_measure_count_and_units_per_document(name: str) -> None:
    assert GENRE is not None
    gold = json.loads((GENRE / f"{name}.gold.json").read_text("utf-8"))
    score = score_document(GENRE / f"{name}.txt", gold)
    assert score.parsed_measures == score.gold_measures, render_scores([score], misses=True)
    assert score.exact == score.certain, render_scores([score], misses=True)


def test_corpus_score_is_at_least_95_percent() -> None:
    assert GENRE is not None
    scores = score_corpus(GENRE)
    certain = sum(s.certain for s in scores)
    exact = sum(s.exact for s in scores)
    assert len(scores) == 14
    assert exact >= 0.95 * certain, render_scores(scores, misses=True)


def test_document_numbers_and_titles() -> None:
    assert GENRE is not None
    scores = score_corpus(GENRE)
    assert all(s.number_ok for s in scores), render_scores(scores)
    # 16's title is the file name in a sharing-site banner
    assert all(s.title_ok for s in scores), render_scores(scores)


def test_numbers_as_printed_and_paths() -> None:
    doc = _doc("13_shijiazhuang_shouru")
    first = doc.measures[0]
    assert first.numbering == "1."
    heads = [p.split("，")[0][:6] for p in first.path]
    assert heads == ["二、主要任务", "（一）实施扩", "1.完善政策"]
    assert first.chapter == 2
    assert _doc("03_guowuyuan_zimaoqu_2018").measures[52].numbering == "（五十三）"
    assert _doc("18_guobanfa_duchajili_2018").measures[29].numbering == "三十、"


def test_deadline_is_its_own_field_not_part_of_a_unit() -> None:
    m = _doc("10_guangdong_tourongzi_2025").measures[0]
    assert m.deadline == "第一版政府投资领域目录于2025年6月前完成"
    assert all("完成" not in u for u in m.lead_units + m.responsible_units)
    assert any("不再列出" in n for n in m.notes)


def test_first_listed_convention_is_noted_as_a_guess() -> None:
    m = _doc("01_guowuyuan_zongbaoqu_2019").measures[1]
    assert m.lead_units == ["海关总署"]
    assert m.confidence == "medium"
    assert any("列第一位" in n for n in m.notes)


def test_cut_off_measure_is_low_confidence_and_its_open_note_is_not_text() -> None:
    m = _doc("08_hanzhong_fangguanfu_2023").measures[1]
    assert m.confidence == "low"
    assert not m.text.endswith("[市行政")
    assert "市行政" not in m.text[-10:]


def test_mojibake_heading_is_repaired() -> None:
    m = _doc("11_minhang_yingshang_2024_trad").measures[0]
    assert m.numbering == "（一）"
    assert m.title == "完善市场准入机制行动"


def test_annex_table_rows_are_the_measures() -> None:
    doc = _doc("19_guobanfa_tuiguang_qingdan_2018")
    assert [m.numbering for m in doc.measures] == [str(n) for n in [*range(1, 15), 21, 22, 23]]
    assert doc.measures[0].title == "知识产权民事、刑事、行政案件“三合一”审判"
    assert doc.measures[0].path[0].startswith("一、知识产权保护方面")
