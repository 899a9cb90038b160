"""The corpus scorer itself, on a tiny corpus written here."""

from __future__ import annotations

import json
from pathlib import Path

from laser_policy.policy.evaluate import render_scores, score_corpus

TEXT = """关于做好示例工作的意见
一、主要任务
（一）加强协同。各地要协同推进。（牵头单位：省经信厅；责任单位：省财政厅）
（二）强化保障。各地要强化保障。（牵头单位：省科技厅）
"""


def test_scores_exact_units_and_counts(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    gold = {
        "doc_number": None,
        "title": "关于做好示例工作的意见",
        "measures": [
            {"number": "（一）", "title": "加强协同", "lead_units": ["省经信厅"],
             "responsible_units": ["省财政厅"]},
            {"number": "（二）", "title": "强化保障", "lead_units": ["省财政厅"],
             "responsible_units": []},
            {"number": "（三）", "title": "x", "lead_units": [], "responsible_units": [],
             "uncertain": True},
        ],
    }
    (tmp_path / "a.gold.json").write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    [score] = score_corpus(tmp_path)
    assert (score.gold_measures, score.parsed_measures, score.certain, score.exact) == (3, 2, 2, 1)
    assert not score.count_ok
    assert "（二）" in score.misses[0]
    assert "TOTAL" in render_scores([score])
