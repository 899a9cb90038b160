"""The report's section on the funds and government-backed guarantees of measure 十八.

:func:`build_section` reads the figures from ``monitoring.funds`` with the data known at
the end of the report's year; :func:`write_section` lays them out as the rest of the 公文:
（一）/（二） headings in 楷体, tables laid out by ``reports.tables``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from laser_policy.io import Package
from laser_policy.monitoring import funds
from laser_policy.policy.model import PolicyModel

HEADING = "基金投放与融资担保"
FUND_HEADER = ["基金", "投资笔数", "被投企业", "投资金额（万元）", "基金规模（万元）", "占规模"]
PURPOSE_HEADER = ["投向", "笔数", "金额（万元）"]
GUARANTEE_HEADER = ["年度", "担保笔数", "企业数", "担保金额（万元）", "代偿笔数", "代偿率"]


@dataclass
class FundsSection:
    intro: str
    funds: list[list[str]] = field(default_factory=list)
    purposes: list[list[str]] = field(default_factory=list)
    guarantees: list[list[str]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    reason: str = ""


def _money(v: Any) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v):,.0f}"


def _pct(v: Any, digits: int = 2) -> str:
    return "原文未写" if v is None or pd.isna(v) else f"{float(v):.{digits}%}"


def build_section(pkg: Package, model: PolicyModel, year: int) -> FundsSection:
    section = FundsSection(intro=(
        f"{model.doc_number}第十八条要求充分发挥省政府投资引导基金、省“楚天凤鸣”科创天使基金、"
        "光谷激光产业发展基金的作用，支持政府性融资担保机构为激光产业中小微企业提供贷款担保。"
        f"以下为截至{year}年末的投放与担保情况；基金规模为原文所写，占规模比例不是投放目标。"))
    if not funds.has_fund_data(pkg):
        section.reason = "数据包中暂无基金投资和融资担保数据。"
        return section
    dep = funds.fund_deployment(pkg, model, year=year)
    section.funds = [[str(r["name"]), str(int(r["investments"])), str(int(r["firms"])),
                      _money(r["amount_wan"]), _money(r["size_wan"]), _pct(r["share_of_size"])]
                     for _, r in dep.iterrows()]
    pur = funds.deployment_by(pkg, model, "purpose", year=year)
    section.purposes = [[str(r["label"]), str(int(r["investments"])), _money(r["amount_wan"])]
                        for _, r in pur.iterrows()]
    g = funds.guarantee_summary(pkg, year=year)
    section.guarantees = [[("合计" if pd.isna(r["year"]) else f"{int(r['year'])}年"),
                           str(int(r["count"])), str(int(r["firms"])), _money(r["amount_wan"]),
                           str(int(r["defaults"])), _pct(r["default_rate"], 1)]
                          for _, r in g.iterrows()]
    total = float(dep["amount_wan"].sum())
    section.findings.append(f"三只基金累计投资激光企业{int(dep['investments'].sum())}笔、"
                            f"{total:,.0f}万元。")
    if len(pur):
        top = pur.iloc[0]
        section.findings.append(f"投向以{top['label']}为主（{float(top['amount_wan']):,.0f}万元，"
                                f"占{float(top['amount_wan']) / total:.1%}）。" if total else "")
    last = g.iloc[-1]
    if last["count"]:
        section.findings.append(
            f"政府性融资担保机构为激光企业担保{int(last['count'])}笔、"
            f"{float(last['amount_wan']):,.0f}万元，代偿{int(last['defaults'])}笔，"
            f"代偿率{float(last['default_rate']):.1%}。")
    section.findings = [f for f in section.findings if f]
    return section


def write_section(doc: Any, section: FundsSection | None) -> None:
    """The section's body (the heading is the report's)."""
    if section is None:
        return
    from laser_policy.reports.docx_writer import heading
    from laser_policy.reports.tables import add_table

    doc.add_paragraph(section.intro)
    if section.reason:
        doc.add_paragraph(section.reason)
        return
    heading(doc, "（一）基金投放", level=2)
    add_table(doc, FUND_HEADER, section.funds)
    if section.purposes:
        doc.add_paragraph("按投向分：")
        add_table(doc, PURPOSE_HEADER, section.purposes)
    heading(doc, "（二）政府性融资担保", level=2)
    add_table(doc, GUARANTEE_HEADER, section.guarantees)
    for i, finding in enumerate(section.findings, start=1):
        doc.add_paragraph(f"{i}．{finding}")
