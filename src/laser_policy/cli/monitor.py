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
@model_option
def monitor(data: str, year: int | None, fmt: str, breakdown: bool,
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
