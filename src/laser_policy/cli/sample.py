"""``laser-policy sample OUT``: write a synthetic data package (every name marked （示例））."""

from __future__ import annotations

from pathlib import Path

import click

from laser_policy.sample import (
    DEFAULT_ENTERPRISES,
    DEFAULT_SEED,
    DEFAULT_TRANSACTIONS,
    FORMATS,
    write_sample,
)


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--enterprises", "-n", type=click.IntRange(min=1), default=DEFAULT_ENTERPRISES,
              show_default=True, help="企业数 / number of enterprises")
@click.option("--transactions", "-m", type=click.IntRange(min=0), default=DEFAULT_TRANSACTIONS,
              show_default=True, help="采购交易行数 / number of transaction rows")
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True,
              help="随机种子（同一种子得到相同数据）/ random seed (same seed, same data)")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv：CSV表+按年分区的Parquet交易；parquet：全部Parquet；xlsx：一个工作簿 / "
                   "csv: CSV tables + year-partitioned Parquet transactions; parquet: all "
                   "Parquet; xlsx: one workbook")
@click.option("--overwrite", is_flag=True, help="覆盖已有输出 / replace an existing OUT")
def sample(*, out: Path, enterprises: int, transactions: int, seed: int, fmt: str,
           overwrite: bool) -> None:
    """生成合成示例数据包（非真实企业）。Write a SYNTHETIC sample data package to OUT.

    OUT 是一个文件夹：各表、_ground_truth.json（生成器埋下的事实）和 README.txt。
    OUT is a folder: the tables, _ground_truth.json (what the generator planted) and
    README.txt.
    """
    result = write_sample(out, enterprises=enterprises, transactions=transactions, seed=seed,
                          fmt=fmt, overwrite=overwrite)  # type: ignore[arg-type]
    counts = "，".join(f"{name} {n}" for name, n in result.rows.items())
    click.echo(f"已生成示例数据（合成）/ synthetic sample written: {result.out}")
    click.echo(f"行数 / rows: {counts}")
