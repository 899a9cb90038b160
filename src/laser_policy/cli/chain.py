"""``laser-policy chain supply|weak-links|targets|map DATA`` and ``laser-policy match DATA``.

The chain commands run on DuckDB by default; ``--engine spark`` runs the same
Ibis expressions on Apache Spark: ``--spark-master spark://host:7077`` (or
``LASER_POLICY_SPARK_MASTER``; default ``local[2]``) and Spark settings from
``--spark-conf k=v`` (repeatable) or ``LASER_POLICY_SPARK_CONF`` (``k=v;k=v``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from laser_policy.cli.models import model_option, primary, region_of
from laser_policy.errors import UsageError

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel

FORMATS = ("json", "csv", "table")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return _clean(value.item())
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN/NA as null, numpy scalars as Python)."""
    return [_clean(r) for r in df.astype(object).to_dict(orient="records")]


def emit(df: pd.DataFrame, fmt: str, payload: dict[str, Any] | None = None) -> None:
    """Write ``df`` as json (rows, or ``payload`` with the rows under ``rows``), csv or table."""
    if fmt == "json":
        body: Any = records(df) if payload is None else {**_clean(payload), "rows": records(df)}
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from laser_policy.io.cells import escape_frame

        click.echo(escape_frame(df).to_csv(index=False), nl=False)
    elif df.empty:
        click.echo("（无结果 / no rows）")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            click.echo(df.to_string(index=False, na_rep="—"))


def _conf(items: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--spark-conf 需写成 key=value / must be key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = model_option(func)
    func = click.option("--transactions", "transactions_uri", default=None, metavar="URI",
                        help="交易数据位置（默认 DATA/transactions/），集群上可为 hdfs://、"
                             "s3a:// / where the transactions are")(func)
    func = click.option("--spark-conf", "spark_conf", multiple=True, metavar="KEY=VALUE",
                        help="Spark 配置（可重复）/ Spark setting, repeatable")(func)
    func = click.option("--spark-master", default=None, metavar="URL",
                        help="Spark master，如 spark://host:7077 / e.g. spark://host:7077")(func)
    func = click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
                        show_default=True, help="计算引擎 / analytics engine")(func)
    func = click.option("--year", "years", type=int, multiple=True,
                        help="只看这些年份（可重复）/ only these years")(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True)(func)
    return click.argument("data", type=click.Path(exists=True, path_type=Path))(func)


def _open(data: Path, models: Sequence[PolicyModel], engine: str, spark_master: str | None,
          spark_conf: Sequence[str], transactions_uri: str | None) -> Any:
    from laser_policy.chain.source import open_chain_data

    return open_chain_data(data, region=region_of(models), engine=engine, master=spark_master,
                           conf=_conf(spark_conf), transactions=transactions_uri)


@click.group(epilog=(
    "Spark 集群 / on a Spark cluster: --engine spark --spark-master spark://host:7077 "
    "--transactions hdfs://nn/laser/transactions/ --spark-conf spark.driver.host=<本机IP> "
    "--spark-conf spark.driver.bindAddress=0.0.0.0 (或环境变量 LASER_POLICY_SPARK_MASTER、"
    "LASER_POLICY_SPARK_CONF=\"k=v;k=v\")"))
def chain() -> None:
    """产业链：本地配套率、短板、精准招引、产业链图谱。Industry chain analysis.

    默认在 DuckDB 上运行；--engine spark 以同一套 Ibis 表达式在 Apache Spark 上运行。
    Runs on DuckDB by default; --engine spark runs the same Ibis expressions on Spark.
    """


@chain.command()
@engine_options
def supply(
    *, data: Path, fmt: str, years: tuple[int, ...], engine: str,
           spark_master: str | None, spark_conf: tuple[str, ...],
    transactions_uri: str | None, models: tuple[PolicyModel, ...]) -> None:
    """本地配套率（按环节、采购方市州、年度；segment、city 为空的行为合计）。

    Local supporting rate per segment, buyer city and year. Rows with segment
    and city null are totals: one per year, and one with year null too (all
    years). Rows with only city null are a segment's total over cities; rows
    with only segment null are a city's total over segments.
    """
    from laser_policy.chain.supply import local_supply

    chain_data = _open(data, models, engine, spark_master, spark_conf, transactions_uri)
    emit(local_supply(chain_data, years or None), fmt)


@chain.command("weak-links")
@engine_options
@click.option("--max-local-rate", type=float, default=None,
              help="本地配套率低于此值判为短板 / local rate below which a segment is weak")
@click.option("--min-buyers", type=int, default=None,
              help="参与判断的最少采购企业数 / minimum number of Hubei buyers to be judged")
@click.option("--min-demand-share", type=float, default=None,
              help="参与判断的最低采购额占比 / minimum share of purchases to be judged")
@click.option("--max-local-firms", type=int, default=None,
              help="省内企业不超过此数判为短板 / at most this many local firms: weak")
def weak_links_cmd(
    *, data: Path, fmt: str, years: tuple[int, ...], engine: str,
                   spark_master: str | None, spark_conf: tuple[str, ...],
    transactions_uri: str | None, models: tuple[PolicyModel, ...],
                   max_local_rate: float | None, min_buyers: int | None,
                   min_demand_share: float | None, max_local_firms: int | None) -> None:
    """产业链短板排序及依据。Weak links ranked, with the evidence and the rule."""
    from laser_policy.chain.weak_links import weak_links

    rule = _rule(max_local_rate, min_buyers, min_demand_share, max_local_firms)
    chain_data = _open(data, models, engine, spark_master, spark_conf, transactions_uri)
    df = weak_links(chain_data, rule, years or None)
    emit(df, fmt, {"policy_version": _policy_version(models), "rule_zh": rule.statement_zh(),
                   "rule": rule.__dict__})


def _policy_version(models: Sequence[PolicyModel]) -> str:
    return str(primary(models).version)


def _rule(rate: float | None, buyers: int | None, share: float | None,
          firms: int | None) -> Any:
    from dataclasses import replace

    from laser_policy.chain.weak_links import WeakLinkRule

    rule = WeakLinkRule()
    changes: dict[str, Any] = {}
    if rate is not None:
        changes["max_local_rate"] = rate
    if buyers is not None:
        changes["min_buyers"] = buyers
    if share is not None:
        changes["min_demand_share"] = share
    if firms is not None:
        changes["max_local_firms"] = firms
    return replace(rule, **changes)


@chain.command()
@engine_options
@click.option("--segment", "segments", multiple=True,
              help="指定环节（默认：判定的全部短板）/ segments (default: every weak link)")
@click.option("--top", type=int, default=10, show_default=True,
              help="每个环节列出的省外供应商数 / suppliers per segment")
@click.option("--substitutes", type=int, default=5, show_default=True,
              help="每个环节列出的本地可替代企业数 / local substitutes per segment")
def targets(
    *, data: Path, fmt: str, years: tuple[int, ...], engine: str,
            spark_master: str | None, spark_conf: tuple[str, ...],
    transactions_uri: str | None, models: tuple[PolicyModel, ...], segments: tuple[str, ...],
            top: int, substitutes: int) -> None:
    """精准招引清单：短板环节的主要省外供应商及本地可替代企业。Attraction targets."""
    from laser_policy.chain.targets import attraction_targets, targets_rows
    from laser_policy.chain.taxonomy import resolve
    from laser_policy.chain.weak_links import WeakLinkRule, weak_links

    chain_data = _open(data, models, engine, spark_master, spark_conf, transactions_uri)
    if segments:
        codes = []
        for s in segments:
            code = resolve(s)
            if code is None:
                raise UsageError(f"未知的产业链环节 / unknown segment {s!r}")
            codes.append(code)
    else:
        w = weak_links(chain_data, WeakLinkRule(), years or None)
        codes = list(w.loc[w["weak"], "segment"])
    result = attraction_targets(chain_data, codes, top=top, substitutes=substitutes,
                                years=years or None)
    if fmt == "json":
        click.echo(json.dumps({"policy_version": _policy_version(models),
                               "segments": [_clean(t.to_dict()) for t in result]},
                              ensure_ascii=False, indent=2))
    else:
        emit(targets_rows(result), fmt)


@chain.command("map")
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--year", type=int, default=None, help="营收年度（默认最近一年）/ revenue year")
@click.option("--propose", is_flag=True,
              help="为未标注环节的企业建议环节 / propose segments for unmapped firms")
@model_option
def map_cmd(
    *, data: Path, fmt: str, year: int | None, propose: bool,
    models: tuple[PolicyModel, ...]) -> None:
    """产业链图谱：各环节的省内企业数、营收、市州分布、增速及政策定位。Chain map."""
    from laser_policy.chain.mapping import chain_map, propose_segments
    from laser_policy.chain.source import open_chain_data

    chain_data = open_chain_data(data, region=region_of(models), need_transactions=False)
    if propose:
        emit(propose_segments(chain_data), fmt)
    else:
        emit(chain_map(chain_data, year), fmt)


@click.command()
@click.argument("data", type=click.Path(exists=True, path_type=Path))
@click.option("--demand", default=None, help="需求描述（中文）/ the demand, free text")
@click.option("--offer", default=None, help="供给描述，反向查找需求方 / an offer: find buyers")
@click.option("--segment", default=None, help="产业链环节代码或名称 / segment code or name")
@click.option("--city", default=None, help="市州 / city")
@click.option("--strict", is_flag=True, help="环节、市州作筛选而非加分 / filter instead of boost")
@click.option("--top", type=int, default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table",
              show_default=True)
@model_option
def match(
    *, data: Path, demand: str | None, offer: str | None, segment: str | None,
          city: str | None, strict: bool, top: int, fmt: str,
    models: tuple[PolicyModel, ...]) -> None:
    """整零对接：为需求匹配省内供应商，或为供给找到需求方。Supply-demand matchmaking."""
    from laser_policy.chain.matching import Query, build_matcher
    from laser_policy.chain.source import open_chain_data

    if (demand is None) == (offer is None):
        raise UsageError("请给出 --demand 或 --offer 之一 / give exactly one of --demand, --offer")
    chain_data = open_chain_data(data, region=region_of(models), need_transactions=False)
    side = "offers" if demand is not None else "demands"
    matcher = build_matcher(chain_data, side)
    q = Query(text=demand or offer or "", segment=segment, city=city, strict=strict)
    hits = matcher.search(q, top=top)
    df = pd.DataFrame([h.to_row() for h in hits])
    if fmt == "json":
        click.echo(json.dumps({"query": _clean(q.to_dict()), "side": side,
                               "matches": records(df)}, ensure_ascii=False, indent=2))
    else:
        emit(df, "table")
