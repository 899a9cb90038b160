"""``laser-policy report``: the Chinese monitoring report in Word or PDF."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click


@click.command()
@click.argument("data", type=click.Path(exists=True))
@click.option("--year", type=int, required=True, help="监测年度 / year")
@click.option("--quarter", type=click.IntRange(1, 4), default=None, help="季度 / quarter")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf"]), default="docx")
@click.option("--output", type=click.Path(dir_okay=False), required=True)
def report(data: str, year: int, quarter: int | None, fmt: str, output: str) -> None:
    """生成监测评估报告（Word/PDF）。Write the monitoring report."""
    from laser_policy.io import read_package
    from laser_policy.policy.model import load_policy
    from laser_policy.reports.content import build_content
    from laser_policy.reports.docx_writer import to_pdf, write_docx

    content = build_content(read_package(data), load_policy(), year, quarter)
    out = Path(output)
    if fmt == "docx":
        write_docx(content, out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            to_pdf(write_docx(content, Path(tmp) / "report.docx"), out)
    click.echo(f"已生成报告 / report written: {out}")
