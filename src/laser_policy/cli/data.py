"""``laser-policy validate`` / ``template``: check a data package, write a blank one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from laser_policy.errors import DataValidationError, Problem


@click.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="报告语言 / report language")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式 / output format")
def validate(data: Path, lang: str, fmt: str) -> None:
    """校验数据包（CSV文件夹、Parquet或xlsx），一次列出全部问题。

    Validate a data package and list every problem at once. Exit 0 when valid,
    1 with the report on stderr (JSON on stdout with --format json).
    """
    from laser_policy.io.package import read_package

    try:
        pkg = read_package(data)
    except DataValidationError as exc:
        n = len(exc.problems)
        head = (f"数据校验未通过，共{n}个问题：" if lang == "zh"
                else f"the data package has {n} problem(s):")
        click.echo(head, err=True)
        click.echo(exc.report(lang), err=True)
        if fmt == "json":
            click.echo(json.dumps({"valid": False, "problems": [p.to_dict() for p in exc.problems]},
                                  ensure_ascii=False, indent=2))
        sys.exit(exc.exit_code)
    counts = dict(sorted(pkg.row_counts.items()))
    if fmt == "json":
        click.echo(json.dumps({"valid": True, "source": str(data), "tables": counts,
                               "warnings": [w.to_dict() for w in pkg.warnings]},
                              ensure_ascii=False, indent=2))
        return
    if lang == "zh":
        click.echo(f"数据包校验通过：{len(counts)}张表")
        for name, rows in counts.items():
            click.echo(f"  {name}: {rows}行")
    else:
        click.echo(f"data package valid: {len(counts)} table(s)")
        for name, rows in counts.items():
            click.echo(f"  {name}: {rows} rows")
    echo_warnings(pkg.warnings, lang)


def echo_warnings(warnings: list[Problem], lang: str = "zh") -> None:
    """One line per warning on stderr, after a summary that says the package is fine."""
    for w in warnings:
        click.echo(("警告 " if lang == "zh" else "warning ") + w.format(lang), err=True)


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def template(out: Path) -> None:
    """生成空白的Excel填报模板（中文表头、下拉选项、填表说明）。

    Write an empty xlsx template: Chinese headers, notes, drop-downs, a 说明 sheet.
    """
    from laser_policy.io.template import write_template

    write_template(out)
    click.echo(f"已生成模板 / template written: {out}")
