"""The monitoring report opens with correct Chinese text, headings, figures and charts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.io import read_package
from laser_policy.monitoring.kpis import monitor
from laser_policy.policy.model import load_policy
from laser_policy.sample import write_sample

HEADINGS = ["一、总体情况", "二、目标完成情况", "三、各项措施推进情况", "四、重大项目",
            "五、奖补兑现", "六、存在问题", "七、下一步建议"]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rep") / "pkg"
    write_sample(out, enterprises=120, transactions=500, seed=5)
    return out


def _scale_2025(pkg: Path) -> float:
    rows = monitor(read_package(pkg), load_policy())
    row = rows[(rows["kpi"] == "industry_scale") & (rows["year"] == 2025)].iloc[0]
    return float(row["actual"])


def test_docx_has_every_section_the_figures_the_stamp_and_two_charts(pkg: Path,
                                                                    tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "r.docx"
    result = CliRunner().invoke(cli, ["report", str(pkg), "--year", "2025", "--quarter", "3",
                                      "--format", "docx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for h in HEADINGS:
        assert h in text
    assert "2025年第3季度" in text
    assert "示例数据" in text
    assert load_policy().version in text
    assert f"{_scale_2025(pkg):.1f}亿元" in text
    assert "全省激光产业规模" in cells
    assert "发挥各类研发机构作用" in cells
    assert len(doc.inline_shapes) == 2


@pytest.mark.skipif(shutil.which("soffice") is None and not __import__("os").environ.get("CI"),
                    reason="LibreOffice not installed (scripts/bootstrap.sh installs it)")
def test_pdf_text_has_the_headings_and_the_figures(pkg: Path, tmp_path: Path) -> None:
    import pypdf

    out = tmp_path / "r.pdf"
    result = CliRunner().invoke(cli, ["report", str(pkg), "--year", "2025", "--format", "pdf",
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(str(out))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for h in HEADINGS:
        assert h in text
    assert f"{_scale_2025(pkg):.1f}亿元" in text
    assert "鄂政办发〔2024〕35号" in text
    fonts = {str(f.get("/BaseFont")) for page in reader.pages
             for f in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
             for f in [f.get_object()]}
    assert any("CJK" in f for f in fonts), fonts
