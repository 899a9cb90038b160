"""The monitoring report opens with correct Chinese text, headings, figures and charts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.io import read_package
from laser_policy.monitoring.kpis import monitor
from laser_policy.policy.model import load_policy
from laser_policy.sample import write_sample

HEADINGS = ["一、总体情况", "二、目标完成情况", "三、各项措施推进情况", "四、重大项目",
            "五、奖补兑现", "六、存在问题", "七、下一步建议", "八、政策效果评估",
            "九、基金投放与融资担保"]


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


# --- the 公文 layout (GB/T 9704-2012), issue 15 -------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def docx_file(pkg: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gongwen") / "r.docx"
    result = CliRunner().invoke(cli, ["report", str(pkg), "--year", "2025", "--format", "docx",
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def pdf_file(pkg: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("soffice") is None and not __import__("os").environ.get("CI"):
        pytest.skip("LibreOffice not installed (scripts/bootstrap.sh installs it)")
    out = tmp_path_factory.mktemp("gongwen") / "r.pdf"
    result = CliRunner().invoke(cli, ["report", str(pkg), "--year", "2025", "--format", "pdf",
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _fonts(element: Any) -> dict[str, str]:
    rfonts = element.find(f"{W}rPr/{W}rFonts")
    assert rfonts is not None
    return {k.removeprefix(W): v for k, v in rfonts.attrib.items()}


def test_docx_page_is_a4_with_the_standard_margins_and_a_22_line_grid(docx_file: Path) -> None:
    from docx import Document

    doc = Document(str(docx_file))
    for s in doc.sections:
        got = [round(x.mm, 1) for x in (s.page_width, s.page_height, s.top_margin,
                                        s.bottom_margin, s.left_margin, s.right_margin)]
        assert got == [210, 297, 37, 35, 28, 26]
        grid = s._sectPr.find(f"{W}docGrid")
        assert grid.get(f"{W}type") == "lines"
        assert 22 * int(grid.get(f"{W}linePitch")) / 20 <= 225 / 25.4 * 72  # 22 lines fit
        assert 23 * int(grid.get(f"{W}linePitch")) / 20 > 225 / 25.4 * 72  # and no more


def test_docx_styles_name_the_office_fonts_for_every_script_in_black(docx_file: Path) -> None:
    from docx import Document

    doc = Document(str(docx_file))
    want = {"Title": ("方正小标宋简体", 22), "Normal": ("仿宋_GB2312", 16),
            "Heading 1": ("黑体", 16), "Heading 2": ("楷体_GB2312", 16),
            "Subtitle": ("楷体_GB2312", 16),
            "Table Text": ("仿宋_GB2312", 12), "Table Heading": ("黑体", 12)}
    for name, (font, size) in want.items():
        style = doc.styles[name]
        fonts = _fonts(style.element)
        assert fonts == {"ascii": font, "hAnsi": font, "eastAsia": font, "cs": font}, name
        assert style.font.size.pt == size, name
        assert str(style.font.color.rgb) == "000000", name
        assert style.font.color.theme_color is None, name
        assert not style.font.bold, name
    # a line of body text holds 28 characters of 3号 in the 156 mm line
    spacing = doc.styles["Normal"].element.find(f"{W}rPr/{W}spacing")
    pitch = 16 + int(spacing.get(f"{W}val")) / 20
    assert 28 * pitch <= 156 / 25.4 * 72 < 29 * pitch
    defaults = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault")
    assert _fonts(defaults)["eastAsia"] == "仿宋_GB2312"
    # every paragraph uses these styles (no Word default left in Noto Sans or blue)
    used = {p.style.name for p in doc.paragraphs}
    assert used <= {*want, "Figure", "Report Note"}, used
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title.text.endswith("实施情况监测评估报告")
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == HEADINGS


def test_docx_page_numbers_are_dashed_page_fields_on_the_outer_side(docx_file: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document(str(docx_file))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        (p,) = footer.paragraphs
        assert p.alignment == align
        assert p.text == "— 1 —"  # the PAGE field's cached value between the dashes
        instr = "".join(t.text for t in p._p.iter(f"{W}instrText"))
        assert instr.strip() == "PAGE"
        assert [f.get(f"{W}fldCharType") for f in p._p.iter(f"{W}fldChar")] == [
            "begin", "separate", "end"]
        for run in p.runs:
            assert _fonts(run._element)["eastAsia"] == "宋体"
            assert run.font.size.pt == 14


def test_docx_tables_fit_the_page_and_give_the_reason_its_width(docx_file: Path) -> None:
    from docx import Document

    doc = Document(str(docx_file))
    kpi = doc.tables[0]
    header = [c.text for c in kpi.rows[0].cells]
    assert header == ["指标", "目标", "实际", "单位", "状态", "依据", "说明"]
    for table in doc.tables:
        widths = [int(g.get(f"{W}w")) / 1440 * 25.4 for g in table._tbl.tblGrid]
        assert sum(widths) == pytest.approx(156, abs=0.5)
        assert min(widths) > 2.5 * 12 / 72 * 25.4  # no column squeezed to two characters
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
        for row in table.rows[1:]:
            for cell in row.cells:
                assert cell.paragraphs[0].style.name == "Table Text"
    widths = [int(g.get(f"{W}w")) for g in kpi._tbl.tblGrid]
    assert widths[-1] == max(widths)  # 说明 gets the width
    assert widths[-1] / 1440 * 72 >= 8 * 12  # at least 8 characters of 小四 a line
    status = header.index("状态")
    longest = max(len(r.cells[status].text) for r in kpi.rows[1:])
    assert widths[status] / 1440 * 72 >= longest * 12  # short columns do not wrap


def test_pdf_embeds_the_free_fonts_in_place_of_the_office_ones(pdf_file: Path) -> None:
    import subprocess

    if shutil.which("pdffonts") is None and not __import__("os").environ.get("CI"):
        pytest.skip("pdffonts not installed (poppler-utils; scripts/bootstrap.sh installs it)")
    lines = subprocess.run(["pdffonts", str(pdf_file)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    fonts = {line.split()[0].split("+", 1)[-1]: line.split()[-5] for line in lines}
    assert all(emb == "yes" for emb in fonts.values()), fonts
    names = " ".join(fonts)
    assert any(n.startswith("NotoSerifCJK") and "Regular" in n for n in fonts), fonts  # 仿宋
    assert any(n.startswith("NotoSerifCJK") and "Bold" in n for n in fonts), fonts  # 小标宋
    assert "NotoSansCJK" in names  # 黑体
    assert "UKai" in names  # 楷体
    assert "DejaVu" not in names  # nothing fell back to a font without Chinese


def test_the_fontconfig_file_maps_each_office_font_to_its_free_one(tmp_path: Path) -> None:
    import os
    import subprocess

    from laser_policy.reports.fonts import FACES, fontconfig_file

    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig not installed")
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(tmp_path))}
    for face in FACES:
        got = subprocess.run(["fc-match", "-f", "%{family[0]}|%{weight}", face.office],
                             capture_output=True, text=True, check=True, env=env).stdout
        family, weight = got.split("|")
        assert family == face.free, face
        assert (int(weight) >= 200) == (face.weight == "bold"), face


def test_a_table_added_by_another_section_is_laid_out_like_the_rest() -> None:
    from docx import Document

    from laser_policy.reports import layout
    from laser_policy.reports.tables import lay_out_all

    doc = Document()
    layout.styles(doc)
    table = doc.add_table(rows=2, cols=3)  # as a section written elsewhere would
    for cell, text in zip(table.rows[0].cells, ["奖补项目", "效果", "说明"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["营收跨档奖励", "+3.2%", "事件研究" * 20],
                          strict=True):
        cell.text = text
    lay_out_all(doc)
    widths = [int(g.get(f"{W}w")) / 1440 * 25.4 for g in table._tbl.tblGrid]
    assert sum(widths) == pytest.approx(156, abs=0.5)
    assert widths[-1] == max(widths)
    assert table.rows[1].cells[0].paragraphs[0].style.name == "Table Text"
    assert table.rows[0].cells[0].paragraphs[0].style.name == "Table Heading"
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
