"""``laser-policy incentives``: money still due to enterprises under the policy (应享奖补)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from laser_policy.cli.lazy import LazyGroup
from laser_policy.cli.models import model_option, primary
from laser_policy.errors import UsageError
from laser_policy.policy.model import incentive_names

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "json", "xlsx")
TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")
#: the ledger's subcommands (cli/ledger.py), imported only when one is run
LEDGER_COMMANDS = {
    name: f"laser_policy.cli.ledger:{name.replace('-', '_')}_command"
    for name in ("run", "list", "review", "approve", "pay", "reject", "export-approved",
                 "budget", "what-if", "take-up", "replay")
}


@click.group(cls=LazyGroup, lazy=LEDGER_COMMANDS)
def incentives() -> None:
    """奖补测算：按政策条款计算企业应享未兑现的奖补。Incentive entitlements."""


def _json_value(value: Any) -> Any:
    import pandas as pd

    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else str(value)


def render(table: pd.DataFrame, fmt: str) -> bytes:
    """The entitlements table as bytes in ``fmt`` (``steps`` only in JSON)."""
    if fmt == "json":
        records = [
            {str(k): _json_value(v) for k, v in row.items()}
            for row in table.to_dict("records")
        ]
        return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    import pandas as pd

    from laser_policy.io.cells import escape_frame, inert_sheet

    flat = table.drop(columns=["steps"], errors="ignore")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            flat.to_excel(writer, sheet_name="entitlements", index=False)
            inert_sheet(writer.sheets["entitlements"])
        return buffer.getvalue()
    return str(escape_frame(flat).to_csv(index=False, lineterminator="\n")).encode("utf-8")


@incentives.command("compute")
@click.argument("data")  # a path, or with --engine spark also an hdfs:// / s3a:// URI
@click.option("--year", type=int, default=None,
              help="只列该年度的应享奖补（以前年度仍计为已享）/ only this year's entitlements")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="输出格式 / output format")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="输出文件（默认标准输出；xlsx 必须指定）/ output file (default stdout)")
@click.option("--engine", type=click.Choice(("duckdb", "spark")), default="duckdb",
              show_default=True, help="计算引擎 / analytics engine")
@click.option("--spark-master", default=None,
              help="Spark 主节点，如 spark://host:7077（默认本地模式）/ Spark master URL")
@model_option
def compute(
    data: str,
    *,
    year: int | None,
    fmt: str,
    output: Path | None,
    engine: str,
    spark_master: str | None,
    models: tuple[PolicyModel, ...]) -> None:
    """计算数据包 DATA 中企业应享未兑现的奖补（扣除 awards 台账已兑现部分）。

    Computes the money still due (after the ledger in DATA/awards) under
    revenue_milestone (十八), first_set (十九), service_platform and
    innovation_source (十七), with one explanation sentence per row.
    """
    if fmt == "xlsx" and output is None:
        raise UsageError("xlsx 格式须用 --output 指定输出文件 / --format xlsx needs --output FILE")
    if spark_master and engine != "spark":
        raise UsageError(
            "--spark-master 仅用于 --engine spark / --spark-master needs --engine spark"
        )
    from laser_policy.io.progress import Progress

    with Progress() as bars:
        if engine == "spark":  # Spark reads, validates and computes the files where they lie
            with bars.phase("Spark 读取、校验并计算", "Spark read, validate and compute"):
                from laser_policy.engine.spark_read import spark_entitlements

                table = spark_entitlements(data, year=year, master=spark_master,
                                           with_steps=fmt == "json", model=primary(models))
        else:
            with bars.phase("导入程序模块", "import"):
                from laser_policy.io import read_package
                from laser_policy.rules import compute_entitlements
            with bars.phase("读取并校验数据包", "read and validate"):
                package = read_package(Path(data), tables=TABLES,
                                       incentives=incentive_names(models))
            with bars.phase("计算应享奖补", "compute"):
                # several policies in force: compute_all (each row names its policy)
                table = compute_entitlements(
                    package.tables, models if len(models) > 1 else primary(models), year=year,
                    with_steps=fmt == "json",
                )
        with bars.phase("写出结果", "write"):
            payload = render(table, fmt)
            if output is not None:
                if fmt == "csv":  # BOM: Excel and WPS then read the Chinese right
                    payload = b"\xef\xbb\xbf" + payload
                output.write_bytes(payload)
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    total = float(table["amount_wan"].sum()) if len(table) else 0.0
    click.echo(
        f"已写出 {output}：{len(table)} 条应享奖补，合计 {total:.2f} 万元 / "
        f"wrote {len(table)} entitlement(s), total {total:.2f} wan",
        err=True,
    )
