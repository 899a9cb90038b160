"""What the monitoring report says: every figure computed here, with its source and clause.

The Word writer (``docx_writer``) only lays this out; the PDF is the Word file
converted by LibreOffice, so both say exactly the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from laser_policy.evaluation.report_section import build_section
from laser_policy.io import Package
from laser_policy.io.fingerprint import package_sha256
from laser_policy.monitoring.breakdown import breakdown
from laser_policy.monitoring.kpis import implied_growth, monitor
from laser_policy.monitoring.status import StatusRule
from laser_policy.policy.model import PolicyModel
from laser_policy.reports.funds_section import build_section as build_funds_section

BAD = ("missed", "off_track", "at_risk")


@dataclass
class ReportContent:
    title: str
    period_zh: str
    stamp: list[str]
    synthetic: bool
    overview: list[str]
    kpi_rows: pd.DataFrame
    kpi_year: pd.DataFrame
    growth: list[dict[str, Any]]
    breakdown: dict[str, Any]
    measures: list[dict[str, str]]
    projects: pd.DataFrame
    payments: pd.DataFrame
    problems: list[str]
    suggestions: list[str]
    rule_zh: str
    extra: dict[str, Any] = field(default_factory=dict)


def _is_synthetic(pkg: Package) -> bool:
    src = pkg.source
    if src.is_dir() and (src / "_ground_truth.json").exists():
        return True
    names = pkg.get("enterprises").get("name", pd.Series(dtype=str))
    return bool(len(names)) and bool(names.astype(str).str.contains("（示例）").any())


def _payments(pkg: Package, model: PolicyModel, year: int) -> pd.DataFrame:
    from laser_policy.rules.compute import compute_entitlements

    ent = compute_entitlements(pkg.tables, model, year=None)
    ent = ent[ent["year"] <= year]
    if ent.empty:
        return pd.DataFrame(columns=["incentive", "clause", "count", "amount_wan",
                                     "province_wan", "city_wan"])
    return (ent.groupby(["incentive", "clause"])
            .agg(count=("uscc", "size"), amount_wan=("amount_wan", "sum"),
                 province_wan=("province_wan", "sum"), city_wan=("city_wan", "sum"))
            .reset_index())


def build_content(pkg: Package, model: PolicyModel, year: int,
                  quarter: int | None = None) -> ReportContent:
    rule = StatusRule()
    rows = monitor(pkg, model, year=year, rule=rule)
    this_year = rows[rows["year"] == year]
    scale_target = model.target("industry_scale").values.get(year)
    bd = breakdown(pkg, year, None if scale_target is None else float(scale_target))
    period = f"{year}年" + (f"第{quarter}季度" if quarter else "")
    synthetic = _is_synthetic(pkg)
    stamp = [
        f"规则版本 Rules: {model.version}",
        f"数据 Data: {pkg.source.name}（SHA-256 {package_sha256(pkg.source)[:12]}）",
        f"生成时间 Generated: {dt.datetime.now().isoformat(timespec='seconds')}",
    ]
    ent = pkg.get("enterprises")
    counts = this_year["status"].value_counts().to_dict()
    scale = this_year[this_year["kpi"] == "industry_scale"]
    overview = [
        (f"本报告依据{model.doc_number}第二十三条“动态监测和评估意见实施情况”的要求编制，"
        f"数据截至{period}。纳入监测的企业{len(ent)}家。"),
    ]
    if not scale.empty and pd.notna(scale.iloc[0]["actual"]):
        s = scale.iloc[0]
        rate = (f"，完成目标{s['target']:.0f}亿元的{s['actual'] / s['target']:.1%}"
                if pd.notna(s["target"]) and s["target"] else "")
        overview.append(f"{year}年全省激光产业规模{s['actual']:.1f}亿元{rate}。")
    overview.append(
        "各项目标中，已达标{}项、进度正常{}项、存在风险{}项、进度滞后或未达标{}项。".format(
            counts.get("met", 0), counts.get("on_track", 0), counts.get("at_risk", 0),
            counts.get("off_track", 0) + counts.get("missed", 0)))
    measures = [
        {"number": m.numeral, "title": m.title, "lead": "、".join(m.lead_units) or "—",
         "responsible": "、".join(m.responsible_units) or "—"}
        for m in model.measures
    ]
    projects = pkg.get("projects")
    if not projects.empty:
        projects = projects[projects["kind"] == "major"]
    problems, suggestions = _problems(this_year, bd)
    return ReportContent(
        title=f"《{model.title}》实施情况监测评估报告",
        period_zh=period, stamp=stamp, synthetic=synthetic, overview=overview,
        kpi_rows=rows, kpi_year=this_year, growth=implied_growth(model, pkg), breakdown=bd,
        measures=measures, projects=projects, payments=_payments(pkg, model, year),
        problems=problems, suggestions=suggestions, rule_zh=rule.describe_zh(),
        extra={"evaluation": build_section(pkg.tables, model, year),
               "funds": build_funds_section(pkg, model, year)},
    )


def _problems(rows: pd.DataFrame, bd: dict[str, Any]) -> tuple[list[str], list[str]]:
    problems, suggestions = [], []
    for _, r in rows[rows["status"].isin(BAD)].iterrows():
        problems.append(f"{r['label']}：{r['status_zh']}。{r['reason']}（依据：{r['clause']}）")
    declines = [f for f in bd.get("top_decline_firms", []) if (f.get("change_yi") or 0) < 0][:3]
    if declines:
        names = "、".join(str(f["name"]) for f in declines)
        problems.append(f"部分重点企业激光业务收入同比下降：{names}。")
        suggestions.append("对收入下降的重点企业开展走访，协调解决订单、要素和融资问题（措施十四、十八）。")
    if any(r["kpi"] == "industry_scale" for _, r in rows[rows["status"].isin(BAD)].iterrows()):
        suggestions.append("围绕短板环节精准招引省外优势企业，提升本地配套率（措施六、八）。")
    if not problems:
        problems.append("本期各项目标均达标或进度正常，未发现突出问题。")
    suggestions.append("继续推进惠企政策直达快享、应享尽享，按期兑现奖补资金（措施二十二）。")
    return problems, suggestions
