"""The monitoring report's section 政策效果评估: every incentive's effect on revenue.

:func:`build_section` computes it (called from ``reports.content``), :func:`write_section`
lays it out in the Word document (called from ``reports.docx_writer`` under its heading).
The section says what the page says: the effect in words, its interval, the firms and
years it rests on, the pre-trend test, the caveats and the assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from laser_policy.errors import InputError
from laser_policy.evaluation.pipeline import evaluate
from laser_policy.evaluation.result import Evaluation, percent
from laser_policy.evaluation.treatment import INCENTIVES, entitlements_of, first_support_years
from laser_policy.evaluation.wording import (
    SUBJECTS,
    assumptions,
    pre_trend_text,
    summary,
    warning_texts,
)

HEADING = "政策效果评估"
OUTCOME = "revenue_wan"
INTRO = ("按第二十三条“动态监测和评估”的要求，对各项奖补开展事后效果评估：将获得奖补的企业与"
         "支持前营业收入规模、增速、产业链环节和所在市州相近而未获（或尚未获）奖补的企业比较，"
         "用交错双重差分法（Callaway–Sant'Anna）估计奖补之后营业收入的平均变化。")
HEADER = ["奖补项目", "受支持/可比企业", "数据年度", "营业收入平均效果", "95%置信区间",
          "支持前走势"]


@dataclass
class Section:
    """What the report's evaluation section says."""

    intro: str
    rows: list[list[str]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    #: why no evaluation could be made at all (data too short), else empty
    reason: str = ""


def _until(tables: Mapping[str, pd.DataFrame], year: int) -> dict[str, pd.DataFrame]:
    """Every table as known at the end of ``year`` (dated rows after it left out)."""
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if "year" in frame.columns:
            years = pd.to_numeric(frame["year"], errors="coerce")
            out[name] = frame[years.isna() | (years <= year)]
        else:
            out[name] = frame
    return out


def _pct(value: float | None) -> str:
    pct = percent(value)
    return "—" if pct is None else f"{pct:+.1f}%"


def _row(result: Evaluation) -> list[str]:
    test = result.pre_trend
    verdict = "—" if test is None else \
        ("通过" if test.passed else "未通过") + f"（p={test.p_value:.2f}）"
    return [
        SUBJECTS[result.incentive][0].removeprefix("获得").removesuffix("的企业"),
        f"{result.treated:,}/{result.controls:,}",
        f"{result.years[0]}–{result.years[1]}",
        _pct(result.att) + ("（证据薄弱）" if result.thin else ""),
        "—" if result.ci_low is None else f"{_pct(result.ci_low)} – {_pct(result.ci_high)}",
        verdict,
    ]


def build_section(tables: Mapping[str, pd.DataFrame], model: Any, year: int) -> Section:
    """Every incentive evaluated on revenue with the data known at the end of ``year``."""
    known = _until(tables, year)
    section = Section(intro=INTRO, assumptions=assumptions("zh"))
    try:
        due = entitlements_of(known, model)
        for incentive in INCENTIVES:
            cohorts = first_support_years(known, incentive, model, due=due)
            result = evaluate(known, incentive, OUTCOME, model=model, cohorts=cohorts)
            section.rows.append(_row(result))
            notes = "".join(warning_texts(result))
            test = pre_trend_text(result) if result.att is not None else ""
            section.findings.append(summary(result) + test + notes)
    except InputError as exc:
        section.reason = f"本期无法开展效果评估：{exc}"
    return section


def write_section(doc: Any, section: Section | None) -> None:
    """The section's body in a python-docx document (the heading is the report's)."""
    if section is None:
        return
    doc.add_paragraph(section.intro)
    if section.reason:
        doc.add_paragraph(section.reason)
        return
    from laser_policy.reports.tables import add_table

    add_table(doc, HEADER, section.rows)  # laid out like every table of the report
    # numbered body paragraphs (1． 2． …) as the rest of the 公文, not Word's list styles
    for i, finding in enumerate(section.findings, start=1):
        doc.add_paragraph(f"{i}．{finding}")
    doc.add_paragraph("评估所依据的假设：")
    for i, item in enumerate(section.assumptions, start=1):
        doc.add_paragraph(f"（{i}）{item}")
