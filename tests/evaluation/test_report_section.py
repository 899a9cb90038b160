"""The monitoring report's section 八、政策效果评估 (``laser-policy report``)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.evaluation import evaluate, percent
from laser_policy.evaluation.report_section import HEADER
from laser_policy.io import read_package
from laser_policy.policy.model import load_policy


def _report(pkg: Path, out: Path, year: int) -> tuple[str, list[list[str]]]:
    from docx import Document

    result = CliRunner().invoke(cli, ["report", str(pkg), "--year", str(year), "--format",
                                      "docx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    evaluation = [t for t in doc.tables
                  if [c.text.replace("\n", "") for c in t.rows[0].cells] == HEADER]
    rows = [[c.text for c in r.cells] for t in evaluation for r in t.rows[1:]]
    return text, rows


def test_the_report_evaluates_every_incentive(demo_sample: Path, tmp_path: Path) -> None:
    text, rows = _report(demo_sample, tmp_path / "r.docx", 2026)
    assert "八、政策效果评估" in text
    assert [r[0] for r in rows] == ["营收跨档奖励（第十八条）", "首台套首批次奖补（第十九条）",
                                    "公共服务平台奖补（第十七条）",
                                    "原始创新策源地项目支持（第十七条）"]
    first_set = evaluate(read_package(demo_sample).tables, "first_set", model=load_policy())
    row = rows[1]
    assert row[1] == f"{first_set.treated:,}/{first_set.controls:,}"
    assert row[2] == "2019–2026"
    assert row[3] == f"{percent(first_set.att):+.1f}%（证据薄弱）"
    assert "获得首台套首批次奖补（第十九条）的企业此后营业收入平均" in text
    assert "95%置信区间" in text
    assert "证据薄弱" in text
    assert "评估所依据的假设" in text
    assert "平行趋势" in text


def test_a_year_with_too_little_history_says_why(demo_sample: Path, tmp_path: Path) -> None:
    text, rows = _report(demo_sample, tmp_path / "r.docx", 2020)
    assert "八、政策效果评估" in text
    assert rows == []
    assert "本期无法开展效果评估：financials 表的「营业收入」只有2个年度（2019–2020）" in text
