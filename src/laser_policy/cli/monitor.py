"""``laser-policy monitor``: targets against actuals, with forecasts (措施二十三)."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from laser_policy.cli.models import model_option, primary
from laser_policy.policy.model import incentive_names

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


@click.command()
@click.argument("data", type=click.Path(exists=True))
@click.option("--year", type=int, default=None,
              help="按该年末的数据评估，之后年份为预测 / evaluate as of the end of this year")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
@click.option("--breakdown", is_flag=True,
              help="输出产业规模按市州、环节和企业的分解 / industry-scale gap breakdown")
@click.option("--funds", "funds_only", is_flag=True,
              help="只输出基金投放与融资担保（第十八条）/ fund deployment and guarantees only")
@model_option
def monitor(data: str, year: int | None, fmt: str, breakdown: bool, funds_only: bool,
            models: tuple[PolicyModel, ...]) -> None:
    """目标完成情况监测：实际、进度轨迹、预测与状态。Targets vs actuals with forecasts.

    With several --model, the targets of each policy, each row naming its policy.
    """
    from laser_policy.io import read_package
    from laser_policy.monitoring.breakdown import breakdown as make_breakdown
    from laser_policy.monitoring.kpis import monitor as run_monitor
    model = primary(models)
    pkg = read_package(data, incentives=incentive_names(models))
    if breakdown:
        fin = pkg.get("financials")
        y = year or int(fin["year"].max())
        target = model.target("industry_scale").values.get(y)
        result = make_breakdown(pkg, y, None if target is None else float(target))
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=_clean))
        return
    from laser_policy.monitoring import funds

    if funds_only:
        report = funds.funds_report(pkg, model, year=year)
        if fmt == "json":
            click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=_clean))
        else:
            click.echo(_funds_table(pkg, model, year))
        return
    if len(models) == 1:
        frame = run_monitor(pkg, model, year=year)
    else:
        frame = pd.concat([run_monitor(pkg, m, year=year).assign(policy=m.id) for m in models],
                          ignore_index=True)
    if fmt == "json":
        click.echo(json.dumps(_records(frame), ensure_ascii=False, indent=2))
        return
    cols = ["label", "year", "target", "actual", "unit", "status_zh", "forecast", "probability"]
    shown = frame[cols].rename(columns={
        "label": "指标", "year": "年度", "target": "目标", "actual": "实际", "unit": "单位",
        "status_zh": "状态", "forecast": "预测", "probability": "达标概率"})
    click.echo(shown.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    if funds.has_fund_data(pkg):
        click.echo("\n" + _funds_table(pkg, model, year))


def _funds_table(pkg: Any, model: Any, year: int | None) -> str:
    """基金投放 and 融资担保 as two small Chinese tables."""
    from laser_policy.monitoring import funds

    def fmt(v: float) -> str:
        return f"{v:,.0f}"

    def pct(v: Any) -> str:
        return "原文未写" if v is None or pd.isna(v) else f"{float(v):.2%}"

    dep = funds.fund_deployment(pkg, model, year=year)[
        ["name", "investments", "firms", "amount_wan", "size_wan", "share_of_size"]].rename(
        columns={"name": "基金", "investments": "投资笔数", "firms": "企业数",
                 "amount_wan": "投资金额（万元）", "size_wan": "基金规模（万元）",
                 "share_of_size": "占规模比例"})
    dep["占规模比例"] = dep["占规模比例"].map(pct)
    pur = funds.deployment_by(pkg, model, "purpose", year=year)[
        ["label", "amount_wan", "investments"]].rename(
        columns={"label": "投向", "amount_wan": "金额（万元）", "investments": "笔数"})
    g = funds.guarantee_summary(pkg, year=year)
    g["year"] = [("合计" if pd.isna(y) else str(int(y))) for y in g["year"]]
    g = g[["year", "count", "firms", "amount_wan", "defaults", "default_rate"]].rename(
        columns={"year": "年度", "count": "担保笔数", "firms": "企业数",
                 "amount_wan": "担保金额（万元）", "defaults": "代偿笔数",
                 "default_rate": "代偿率"})
    g["代偿率"] = g["代偿率"].map(lambda v: "—" if v is None or pd.isna(v) else f"{v:.1%}")
    return "\n".join([
        "基金投放（第十八条）/ fund deployment", dep.to_string(index=False, float_format=fmt,
                                                          na_rep="原文未写"),
        "", "按投向 / by purpose", pur.to_string(index=False, float_format=fmt),
        "", "政府性融资担保（激光企业）/ guarantees to laser firms",
        g.to_string(index=False, float_format=fmt, na_rep="—")])
