"""Writing the sample package: CSV/Parquet/xlsx tables, partitioned transactions,
``_ground_truth.json`` and ``README.txt``, all or nothing (built beside, then renamed).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from laser_policy.errors import UsageError

Format = Literal["csv", "xlsx", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "parquet")
GROUND_TRUTH = "_ground_truth.json"
WORKBOOK = "sample.xlsx"
#: rows an xlsx sheet can hold, less the header
XLSX_MAX_ROWS = 1_048_575

README = """\
示例数据（合成数据，非真实企业）
================================

本文件夹中的全部数据均由 laser-policy 的示例数据生成器随机合成（命令：{command}），
仅用于演示、测试和培训。所有企业名称、供应商名称、项目与产品名称均带“（示例）”后缀，
统一社会信用代码仅满足 GB 32100-2015 校验规则，不对应任何真实主体。
数据的形状参照湖北省激光产业的大致结构（武汉集聚、产业链长板与短板等），
但任何数值都不代表真实企业或真实统计。请勿将其作为统计数据引用。
基金投资、融资担保、招引企业和相关产业规模四张表同样是合成的（担保机构、银行名称亦带“（示例）”）。

_ground_truth.json 记录了生成器“埋下”的事实（短板环节、招引目标、供需匹配、
营收跨档案例等），供测试与评估使用。

Sample data (SYNTHETIC, not real enterprises)
=============================================

Every table in this folder was generated at random by laser-policy's sample
generator ({command}) for demonstrations, tests and training only. Every
enterprise, supplier, project and product name ends with "（示例）" ("sample");
credit codes merely pass the GB 32100-2015 check and belong to nobody. The data is
shaped like Hubei's laser industry (concentrated in Wuhan, strong and weak links
of the chain) but no figure describes a real firm or a real statistic. Do not cite it.
The fund investments, guarantees, attracted firms and related industries' output are
synthetic too (guarantor and bank names end with "（示例）").

_ground_truth.json records what the generator planted (weak segments, attraction
targets, demand-offer matches, revenue-milestone cases) for tests and evaluation.
"""


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(type(value).__name__)


class PackageWriter:
    """Writes one package into a staging folder; ``commit`` moves it into place."""

    def __init__(self, out: Path, fmt: Format, *, overwrite: bool) -> None:
        if fmt not in FORMATS:
            raise UsageError(f"未知格式 / unknown format: {fmt!r}（可选 / choose: "
                             f"{', '.join(FORMATS)}）")
        if out.exists() and (out.is_file() or any(out.iterdir())) and not overwrite:
            raise UsageError(f"输出位置已存在且非空 / output exists and is not empty: {out}"
                             "（换一个位置或加 --overwrite / choose another place or pass "
                             "--overwrite）")
        self.out = out
        self.fmt = fmt
        self.overwrite = overwrite
        self.stage = out.parent / f".{out.name}.partial-{os.getpid()}"
        if self.stage.exists():
            shutil.rmtree(self.stage)
        self.stage.mkdir(parents=True)
        self.sheets: dict[str, pd.DataFrame] = {}
        self.transaction_chunks: list[pa.Table] = []
        self.files: list[str] = []

    def table(self, name: str, frame: pd.DataFrame) -> None:
        if self.fmt == "xlsx":
            self.sheets[name] = frame
        elif self.fmt == "parquet":
            frame.to_parquet(self.stage / f"{name}.parquet", index=False)
            self.files.append(f"{name}.parquet")
        else:
            frame.to_csv(self.stage / f"{name}.csv", index=False, encoding="utf-8-sig")
            self.files.append(f"{name}.csv")

    def transactions_sink(self, total: int) -> Callable[[int, int, pa.Table], None]:
        """Where each chunk of transactions goes: ``transactions/year=Y/part-N.parquet``."""
        if self.fmt == "xlsx" and total > XLSX_MAX_ROWS:
            raise UsageError(f"xlsx 工作表最多容纳 {XLSX_MAX_ROWS} 行交易，请求 {total} 行；"
                             f"请改用 --format csv 或 parquet / an xlsx sheet holds at most "
                             f"{XLSX_MAX_ROWS} rows: use --format csv or parquet")

        def write(year: int, chunk: int, table: pa.Table) -> None:
            if self.fmt == "xlsx":
                self.transaction_chunks.append(table)
                return
            folder = self.stage / "transactions" / f"year={year}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / f"part-{chunk}.parquet")
            self.files.append(f"transactions/year={year}/part-{chunk}.parquet")

        return write

    def finish(self, ground_truth: dict[str, Any], command: str) -> None:
        if self.fmt == "xlsx":
            if self.transaction_chunks:
                tx = pa.concat_tables(self.transaction_chunks).to_pandas()
                self.sheets["transactions"] = tx
            with pd.ExcelWriter(self.stage / WORKBOOK, engine="openpyxl") as xl:
                for name, frame in self.sheets.items():
                    frame.to_excel(xl, sheet_name=name, index=False)
            self.files.append(WORKBOOK)
        (self.stage / GROUND_TRUTH).write_text(
            json.dumps(ground_truth, ensure_ascii=False, indent=1, default=_json_default),
            encoding="utf-8")
        (self.stage / "README.txt").write_text(README.format(command=command), encoding="utf-8")

    def commit(self) -> None:
        if self.out.exists():
            if self.out.is_dir():
                shutil.rmtree(self.out)
            else:
                self.out.unlink()
        self.stage.rename(self.out)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)
