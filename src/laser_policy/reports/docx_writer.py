"""Lay the report's content out as a Word document (python-docx), and convert it to PDF.

PDF conversion uses LibreOffice (``soffice --headless --convert-to pdf``), which
the platform's setup installs from Debian; fonts come from ``fonts-noto-cjk``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from laser_policy.errors import LaserPolicyError
from laser_policy.evaluation.report_section import HEADING as EVALUATION_HEADING
from laser_policy.evaluation.report_section import write_section as write_evaluation
from laser_policy.reports.charts import city_chart, scale_chart
from laser_policy.reports.content import ReportContent

FONT = "Noto Sans CJK SC"
INCENTIVE_ZH = {"revenue_milestone": "营收跨档奖励", "first_set": "首台（套）首批次补助",
                "service_platform": "公共服务平台补贴", "innovation_source": "原始创新策源地补助"}


def _fmt(v: Any, digits: int = 1) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return str(v)


def _kpi_value(v: Any, unit: str) -> str:
    if v is None or pd.isna(v):
        return "—"
    if unit == "比例":
        return f"{float(v):.1%}"
    if unit == "亿元":
        return f"{float(v):,.1f}"
    return f"{float(v):,.0f}"


def _table(doc: Any, header: list[str], rows: list[list[str]],
           widths_cm: list[float] | None = None) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = widths_cm is None
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    if widths_cm:
        for row_ in table.rows:
            for cell, w in zip(row_.cells, widths_cm, strict=True):
                cell.width = Cm(w)


def _set_font(doc: Any) -> None:
    from docx.oxml.ns import qn

    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        s = doc.styles[name]
        s.font.name = FONT
        s.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def write_docx(content: ReportContent, out: Path) -> Path:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    _set_font(doc)
    doc.add_heading(content.title, level=0)
    doc.add_paragraph(f"监测期：{content.period_zh}")
    if content.synthetic:
        doc.add_paragraph("【示例数据】本报告使用合成的示例数据，不代表真实企业情况。"
                          "Synthetic sample data.")
    for line in content.stamp:
        doc.add_paragraph(line)

    doc.add_heading("一、总体情况", level=1)
    for p in content.overview:
        doc.add_paragraph(p)

    doc.add_heading("二、目标完成情况", level=1)
    rows = [[r["label"], _kpi_value(r["target"], r["unit"]), _kpi_value(r["actual"], r["unit"]),
             r["unit"], r["status_zh"], r["clause"], r["reason"]]
            for _, r in content.kpi_year.iterrows()]
    _table(doc, ["指标", "目标", "实际", "单位", "状态", "依据", "说明"], rows,
           [3.2, 1.6, 1.6, 1.2, 1.6, 1.6, 6.2])
    doc.add_paragraph(f"判定规则：{content.rule_zh}")
    with tempfile.TemporaryDirectory() as tmp:
        scale = content.kpi_rows[content.kpi_rows["kpi"] == "industry_scale"]
        doc.add_picture(str(scale_chart(scale, Path(tmp) / "scale.png")), width=Cm(15))
        for g in content.growth:
            if g["implied_growth"] is not None:
                hist = ("" if g["historical_cagr"] is None
                        else f"，此前年均增速{g['historical_cagr']:.1%}")
                doc.add_paragraph(
                    f"{g['year']}年目标{g['target']:.0f}亿元，较{g['from_year']}年"
                    f"（{g['from_value']:.1f}亿元）需增长{g['implied_growth']:.1%}{hist}。")
        if content.breakdown.get("by_city"):
            doc.add_picture(str(city_chart(content.breakdown["by_city"],
                                           Path(tmp) / "city.png")), width=Cm(15))

    doc.add_heading("三、各项措施推进情况", level=1)
    _table(doc, ["条款", "措施", "牵头单位", "责任单位"],
           [[m["number"], m["title"], m["lead"], m["responsible"]] for m in content.measures])

    doc.add_heading("四、重大项目", level=1)
    if content.projects.empty:
        doc.add_paragraph("数据中暂无重大项目。")
    else:
        _table(doc, ["项目", "年度", "计划投资（万元）", "已完成投资（万元）", "阶段"],
               [[str(p.get("name")), _fmt(p.get("year")), _fmt(p.get("investment_wan"), 0),
                 _fmt(p.get("completed_investment_wan"), 0), _fmt(p.get("stage"))]
                for _, p in content.projects.iterrows()])

    doc.add_heading("五、奖补兑现", level=1)
    if content.payments.empty:
        doc.add_paragraph("截至本期没有尚待兑现的奖补。")
    else:
        _table(doc, ["奖补项目", "条款", "笔数", "应付（万元）", "省级（万元）", "市州（万元）"],
               [[INCENTIVE_ZH.get(str(r["incentive"]), str(r["incentive"])), str(r["clause"]),
                 str(r["count"]), _fmt(r["amount_wan"], 2), _fmt(r["province_wan"], 2),
                 _fmt(r["city_wan"], 2)] for _, r in content.payments.iterrows()])

    doc.add_heading("六、存在问题", level=1)
    for p in content.problems:
        doc.add_paragraph(p, style="List Bullet")
    doc.add_heading("七、下一步建议", level=1)
    for p in content.suggestions:
        doc.add_paragraph(p, style="List Bullet")
    doc.add_heading(f"八、{EVALUATION_HEADING}", level=1)
    write_evaluation(doc, content.extra.get("evaluation"))
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def to_pdf(docx: Path, out: Path) -> Path:
    """Convert with LibreOffice; a clear error when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise LaserPolicyError("生成PDF需要LibreOffice（Debian软件包 libreoffice-writer-nogui）"
                               " / PDF needs LibreOffice (soffice) on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(docx)],
            check=True, capture_output=True, timeout=300,
        )
        produced = Path(tmp) / (docx.stem + ".pdf")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), out)
    return out
