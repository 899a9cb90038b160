"""Bulk facts (procurement ``transactions``) as Parquet, partitioned by year.

Where: beside a SQLite database file ``x.db`` in ``x.db.parquet/``; for PostgreSQL
in ``$LASER_POLICY_BULK_DIR/<database name>/`` (one folder may serve several
databases; the environment variable must be set to import transactions into
PostgreSQL). Layout (Hive style, as the sample package):
``<root>/transactions/year=2025/part-0.parquet``; the ``year`` column lives in the
folder name only.

Semantics: a package's transactions *replace* the stored transactions of each year
the package contains; a year whose rows are identical to what is stored is left
alone. New partitions are written to a staging folder first and swapped in just
before the database transaction commits (and swapped back if the commit fails),
so an import is all or nothing for the Parquet files too.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy.engine import make_url

from laser_policy.contracts import TABLES
from laser_policy.errors import InputError
from laser_policy.settings import database_url

BULK_ENV = "LASER_POLICY_BULK_DIR"
TABLE = TABLES["transactions"]
_ARROW = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
#: the stored file schema: every transactions column but the partition column (text by default)
SCHEMA = pa.schema([(c.name, _ARROW.get(c.kind, pa.string()))
                    for c in TABLE.columns if c.name != "year"])


def bulk_root(url: str | None = None) -> Path | None:
    """The folder holding bulk facts for the database at ``url`` (None if there is none)."""
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            return None
        return Path(f"{parsed.database}.parquet")
    env = os.environ.get(BULK_ENV)
    return Path(env) / str(parsed.database) if env else None


def partition_path(root: Path, year: int) -> Path:
    return root / TABLE.name / f"year={year}" / "part-0.parquet"


def stored_years(root: Path | None) -> list[int]:
    base = None if root is None else root / TABLE.name
    if base is None or not base.is_dir():
        return []
    return sorted(int(p.name[5:]) for p in base.glob("year=*") if (p / "part-0.parquet").exists())


def read_transactions(root: Path | None) -> pd.DataFrame | None:
    """All stored transactions with their ``year``, or None when none are stored."""
    frames = []
    for year in stored_years(root):
        assert root is not None
        df = pq.read_table(partition_path(root, year), schema=SCHEMA).to_pandas()
        df.insert(TABLE.column_names.index("year"), "year", pd.Series(year, index=df.index,
                                                                      dtype="int64"))
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else None


def _summary(table: pa.Table) -> dict[str, Any]:
    total = pc.sum(table["amount_wan"]).as_py() if table.num_rows else 0.0
    return {"rows": table.num_rows, "amount_wan": total}


@dataclass
class Partition:
    year: int
    action: str  # insert / replace / unchanged
    rows: int
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass
class BulkWrite:
    """Stage, swap in, and if need be swap back, the partitions of one import."""

    root: Path
    columns: dict[str, list[Any]]
    partitions: list[Partition] = field(default_factory=list)
    _token: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _moves: list[tuple[Path, Path]] = field(default_factory=list)

    @property
    def staging(self) -> Path:
        return self.root / f".staging-{self._token}"

    @property
    def trash(self) -> Path:
        return self.root / f".trash-{self._token}"

    def plan(self) -> list[Partition]:
        """Compare each year with what is stored; stage the years that differ."""
        data = pa.table({n: pa.array(self.columns[n], type=SCHEMA.field(n).type)
                         for n in SCHEMA.names})
        years = pa.array(self.columns["year"], type=pa.int64())
        for year in sorted(pc.unique(years).to_pylist()):
            new = data.filter(pc.equal(years, year))
            old_path = partition_path(self.root, year)
            old = pq.read_table(old_path, schema=SCHEMA) if old_path.exists() else None
            if old is not None and old.equals(new):
                self.partitions.append(Partition(year, "unchanged", new.num_rows, None,
                                                 _summary(new)))
                continue
            target = partition_path(self.staging, year)
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(new, target)
            self.partitions.append(Partition(
                year, "insert" if old is None else "replace", new.num_rows,
                None if old is None else _summary(old), _summary(new)))
        return self.partitions

    def swap_in(self) -> None:
        for p in self.partitions:
            if p.action == "unchanged":
                continue
            final = partition_path(self.root, p.year).parent
            if final.exists():
                self._move(final, self.trash / final.name)
            self._move(partition_path(self.staging, p.year).parent, final)

    def _move(self, src: Path, dst: Path) -> None:
        dst.parent.mkdir(parents=True, exist_ok=True)
        src.replace(dst)
        self._moves.append((src, dst))

    def swap_back(self) -> None:
        while self._moves:
            src, dst = self._moves.pop()
            dst.replace(src)

    def cleanup(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        shutil.rmtree(self.trash, ignore_errors=True)


def prepare(url: str | None, columns: dict[str, list[Any]]) -> BulkWrite:
    root = bulk_root(url)
    if root is None:
        raise InputError(
            f"数据包含采购交易，但未指定其Parquet存放目录：请设置环境变量 {BULK_ENV} / "
            f"the package has transactions but no bulk folder: set {BULK_ENV}"
        )
    bulk = BulkWrite(root, columns)
    try:
        bulk.plan()
    except BaseException:
        bulk.cleanup()
        raise
    return bulk
