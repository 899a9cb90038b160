"""``laser-policy report``: the Chinese monitoring report in Word or PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from laser_policy.cli.models import model_option, primary
from laser_policy.policy.model import incentive_names

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel


@click.command()
@click.argument("data", type=click.Path(exists=True))
@click.option("--year", type=int, required=True, help="监测年度 / year")
@click.option("--quarter", type=click.IntRange(1, 4), default=None, help="季度 / quarter")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf"]), default="docx")
@click.option("--output", type=click.Path(dir_okay=False), required=True)
@model_option
def report(data: str, year: int, quarter: int | None, fmt: str, output: str,
           models: tuple[PolicyModel, ...]) -> None:
    """生成监测评估报告（Word/PDF）：第一个 --model 的政策。Write the monitoring report
    (of the first --model's policy)."""
    from laser_policy.io import read_package
    from laser_policy.reports.content import build_content
    from laser_policy.reports.docx_writer import to_pdf, write_docx

    content = build_content(read_package(data, incentives=incentive_names(models)),
                             primary(models), year, quarter)
    out = Path(output)
    if fmt == "docx":
        write_docx(content, out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            to_pdf(write_docx(content, Path(tmp) / "report.docx"), out)
    click.echo(f"已生成报告 / report written: {out}")
