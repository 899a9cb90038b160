"""``laser-policy evaluate``: did an incentive change what the firms it supported did next?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from laser_policy.cli.models import model_option, primary
from laser_policy.evaluation.panel import OUTCOMES
from laser_policy.evaluation.treatment import INCENTIVES, RULE_TABLES
from laser_policy.policy.model import incentive_names

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel


@click.command()
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@click.option("--incentive", required=True, type=click.Choice(INCENTIVES),
              help="评估的奖补项目 / the incentive to evaluate")
@click.option("--outcome", type=click.Choice(OUTCOMES), default="revenue_wan", show_default=True,
              help="结果指标（年度指标表的列）/ outcome column of financials")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table",
              show_default=True, help="输出格式 / output format")
@click.option("--placebo", is_flag=True,
              help="安慰剂检验：把支持随机改给同样多的未受支持企业，效果应约为0 / "
                   "placebo: the same support given to random unsupported firms")
@click.option("--seed", type=int, default=0, show_default=True,
              help="安慰剂抽样的随机种子 / seed of the placebo draw")
@model_option
def evaluate(data: Path, incentive: str, outcome: str, fmt: str, placebo: bool,
             seed: int,
    models: tuple[PolicyModel, ...]) -> None:
    """政策效果评估：受支持企业此后是否比可比企业增长更多（双重差分，交错处理）。

    Ex-post evaluation (二十三): the average effect of INCENTIVE on the log of OUTCOME
    for the firms it supported, by staggered difference-in-differences
    (Callaway–Sant'Anna) against firms not (yet) supported, matched on pre-support
    revenue level and growth, chain stage and city; with an event study and a
    pre-trend test.
    """
    from laser_policy.evaluation import evaluate as run_evaluation
    from laser_policy.evaluation.wording import table_text
    from laser_policy.io import read_package

    package = read_package(data, tables=RULE_TABLES, incentives=incentive_names(models))
    result = run_evaluation(package.tables, incentive, outcome, model=primary(models),
                            placebo=placebo,
                            seed=seed)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(table_text(result))
