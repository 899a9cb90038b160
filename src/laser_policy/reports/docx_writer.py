"""Lay the report's content out as a Word document (python-docx), and convert it to PDF.

The layout is a 公文's (GB/T 9704-2012, see ``layout``); the Word file names the
fonts offices have (``fonts``). PDF conversion uses LibreOffice
(``soffice --headless --convert-to pdf``), which the platform's setup installs from
Debian, with a fontconfig file that puts free fonts from Debian (fonts-noto-cjk,
fonts-arphic-ukai) in the office fonts' place; LibreOffice embeds them.
"""

from __future__ import annotations

import os
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
from laser_policy.reports.fonts import fontconfig_file
from laser_policy.reports.funds_section import HEADING as FUNDS_HEADING
from laser_policy.reports.funds_section import write_section as write_funds

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


def heading(doc: Any, text: str, level: int = 1) -> Any:
    """A 一、 (黑体, level 1) or （一） (楷体, level 2) heading."""
    return doc.add_paragraph(text, style=f"Heading {level}")


def items(doc: Any, texts: list[str]) -> None:
    """Numbered body paragraphs (1． 2． …, the 公文's third level)."""
    for i, text in enumerate(texts, start=1):
        doc.add_paragraph(f"{i}．{text}")


def figure(doc: Any, png: Path) -> None:
    """A chart centred across the 版心 (15 cm of its 15.6)."""
    from docx.shared import Cm

    from laser_policy.reports.layout import FIGURE

    doc.add_paragraph(style=FIGURE).add_run().add_picture(str(png), width=Cm(15))


def _front(doc: Any, content: ReportContent) -> None:
    """Title (2号 小标宋), the period centred in 楷体, the sample notice and the stamp."""
    from laser_policy.reports.layout import NOTE

    doc.add_paragraph(content.title, style="Title")
    doc.add_paragraph(f"监测期：{content.period_zh}", style="Subtitle")
    if content.synthetic:
        doc.add_paragraph("【示例数据】本报告使用合成的示例数据，不代表真实企业情况。"
                          "Synthetic sample data.")
    for line in content.stamp:
        doc.add_paragraph(line, style=NOTE)


def write_docx(content: ReportContent, out: Path) -> Path:
    from docx import Document

    from laser_policy.reports import layout
    from laser_policy.reports.tables import add_table, lay_out_all

    doc = Document()
    layout.styles(doc)
    layout.page_setup(doc)
    _front(doc, content)

    heading(doc, "一、总体情况")
    for p in content.overview:
        doc.add_paragraph(p)

    heading(doc, "二、目标完成情况")
    rows = [[r["label"], _kpi_value(r["target"], r["unit"]), _kpi_value(r["actual"], r["unit"]),
             r["unit"], r["status_zh"], r["clause"], r["reason"]]
            for _, r in content.kpi_year.iterrows()]
    add_table(doc, ["指标", "目标", "实际", "单位", "状态", "依据", "说明"], rows)
    doc.add_paragraph(f"判定规则：{content.rule_zh}")
    with tempfile.TemporaryDirectory() as tmp:
        scale = content.kpi_rows[content.kpi_rows["kpi"] == "industry_scale"]
        figure(doc, scale_chart(scale, Path(tmp) / "scale.png"))
        for g in content.growth:
            if g["implied_growth"] is not None:
                hist = ("" if g["historical_cagr"] is None
                        else f"，此前年均增速{g['historical_cagr']:.1%}")
                doc.add_paragraph(
                    f"{g['year']}年目标{g['target']:.0f}亿元，较{g['from_year']}年"
                    f"（{g['from_value']:.1f}亿元）需增长{g['implied_growth']:.1%}{hist}。")
        if content.breakdown.get("by_city"):
            figure(doc, city_chart(content.breakdown["by_city"], Path(tmp) / "city.png"))

    heading(doc, "三、各项措施推进情况")
    add_table(doc, ["条款", "措施", "牵头单位", "责任单位"],
              [[m["number"], m["title"], m["lead"], m["responsible"]] for m in content.measures])

    heading(doc, "四、重大项目")
    if content.projects.empty:
        doc.add_paragraph("数据中暂无重大项目。")
    else:
        add_table(doc, ["项目", "年度", "计划投资（万元）", "已完成投资（万元）", "阶段"],
                  [[str(p.get("name")), _fmt(p.get("year")), _fmt(p.get("investment_wan"), 0),
                    _fmt(p.get("completed_investment_wan"), 0), _fmt(p.get("stage"))]
                   for _, p in content.projects.iterrows()])

    heading(doc, "五、奖补兑现")
    if content.payments.empty:
        doc.add_paragraph("截至本期没有尚待兑现的奖补。")
    else:
        add_table(doc, ["奖补项目", "条款", "笔数", "应付（万元）", "省级（万元）", "市州（万元）"],
                  [[INCENTIVE_ZH.get(str(r["incentive"]), str(r["incentive"])), str(r["clause"]),
                    str(r["count"]), _fmt(r["amount_wan"], 2), _fmt(r["province_wan"], 2),
                    _fmt(r["city_wan"], 2)] for _, r in content.payments.iterrows()])

    heading(doc, "六、存在问题")
    items(doc, content.problems)
    heading(doc, "七、下一步建议")
    items(doc, content.suggestions)
    heading(doc, f"八、{EVALUATION_HEADING}")
    write_evaluation(doc, content.extra.get("evaluation"))
    heading(doc, f"九、{FUNDS_HEADING}")
    write_funds(doc, content.extra.get("funds"))
    lay_out_all(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def to_pdf(docx: Path, out: Path) -> Path:
    """Convert with LibreOffice, the free fonts standing in for the office ones."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise LaserPolicyError("生成PDF需要LibreOffice（Debian软件包 libreoffice-writer-nogui）"
                               " / PDF needs LibreOffice (soffice) on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(Path(tmp)))}
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(docx)],
            check=True, capture_output=True, timeout=300, env=env,
        )
        produced = Path(tmp) / (docx.stem + ".pdf")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), out)
    return out
