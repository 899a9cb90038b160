"""Bulk facts (procurement ``transactions``) as Parquet, partitioned by year.

Where: beside a SQLite database file ``x.db`` in ``x.db.parquet/``; for PostgreSQL
in ``$LASER_POLICY_BULK_DIR/<database name>/`` (one folder may serve several
databases; the environment variable must be set to import transactions into
PostgreSQL). Layout (Hive style): ``<root>/transactions/year=2025/part-<version>.parquet``;
the ``year`` column lives in the folder name only.

Semantics: a package's transactions *replace* the stored transactions of each year
the package contains; a year whose rows are identical to what is stored is left
alone.

All or nothing, even when killed: the database table ``bulk_partitions`` names the
current version of each year, and only its rows say which file is current. An import
writes each changed year to ``<root>/.staging-<token>/`` and renames it beside the
current file under a new version name (nothing current is ever overwritten or moved),
then switches the ``bulk_partitions`` rows inside its own database transaction, so
the commit itself is the switch: killed before it, the database still names the old
files; after it, the new ones. Files that no committed row names (a killed import's,
or the versions a successful import replaced) and ``.staging-*``/``.trash-*`` folders
are garbage, removed by :func:`collect_garbage` at the next open of the folder (every
read through :func:`opened` and every import) and after each successful import.

Locks (``flock`` on files in the root, released by the kernel when a process dies):
``.write.lock`` is held for a whole import (imports of one store run one at a time);
``.read.lock`` is held shared while a reader reads the pointers and files, and taken
exclusively, without waiting, by garbage collection, which is skipped (left for the
next open) while an import runs or anyone reads.

Partitions written before versions existed (``part-0.parquet``) stay current for a
year that has no ``bulk_partitions`` row.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from laser_policy.contracts import TABLES
from laser_policy.errors import InputError
from laser_policy.settings import database_url
from laser_policy.store.faults import pause_point
from laser_policy.store.models import BULK_PARTITIONS

BULK_ENV = "LASER_POLICY_BULK_DIR"
TABLE = TABLES["transactions"]
_ARROW = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
#: the stored file schema: every transactions column but the partition column (text by default)
SCHEMA = pa.schema([(c.name, _ARROW.get(c.kind, pa.string()))
                    for c in TABLE.columns if c.name != "year"])
#: the version name of a partition written before versions existed
LEGACY = "0"
WRITE_LOCK = ".write.lock"
READ_LOCK = ".read.lock"


def bulk_root(url: str | None = None) -> Path | None:
    """The folder holding bulk facts for the database at ``url`` (None if there is none)."""
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            return None
        return Path(f"{parsed.database}.parquet")
    env = os.environ.get(BULK_ENV)
    return Path(env) / str(parsed.database) if env else None


def require_root(url: str | None) -> Path:
    root = bulk_root(url)
    if root is None:
        raise InputError(
            f"数据包含采购交易，但未指定其Parquet存放目录：请设置环境变量 {BULK_ENV} / "
            f"the package has transactions but no bulk folder: set {BULK_ENV}"
        )
    return root


def partition_path(root: Path, year: int, version: str = LEGACY) -> Path:
    return root / TABLE.name / f"year={year}" / f"part-{version}.parquet"


def _year(folder: str) -> int | None:
    text = folder.removeprefix("year=")
    return int(text) if folder.startswith("year=") and text.isdigit() else None


@contextmanager
def _flock(path: Path, shared: bool, wait: bool) -> Iterator[bool]:
    """Hold an ``flock`` on ``path`` for the block; False if taken and ``wait`` is off."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, mode)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the only descriptor releases the lock


@contextmanager
def writing(root: Path) -> Iterator[None]:
    """Hold the folder's write lock (one import at a time), waiting for it."""
    with _flock(root / WRITE_LOCK, shared=False, wait=True):
        yield


def current(conn: Connection, root: Path) -> dict[int, str]:
    """The committed current version of each stored year (legacy files included)."""
    versions: dict[int, str] = {}
    if sa.inspect(conn).has_table(BULK_PARTITIONS.name):
        t = BULK_PARTITIONS
        versions = {int(y): str(v) for y, v in conn.execute(
            sa.select(t.c.year, t.c.version).where(t.c.table_name == TABLE.name))}
    base = root / TABLE.name
    if base.is_dir():
        for folder in base.iterdir():
            year = _year(folder.name)
            if year is not None and year not in versions and \
                    partition_path(root, year).exists():
                versions[year] = LEGACY
    return dict(sorted(versions.items()))


def collect_garbage(conn: Connection, root: Path, *, write_locked: bool = False) -> list[Path]:
    """Remove every file and folder of ``root`` that no committed pointer names; the
    recovery after a killed import. Skipped (returns ``[]``) while an import (other than
    the caller, when ``write_locked``) or a reader holds the folder."""
    if not root.is_dir():
        return []
    with ExitStack() as stack:
        if not write_locked and not stack.enter_context(
                _flock(root / WRITE_LOCK, shared=False, wait=False)):
            return []
        if not stack.enter_context(_flock(root / READ_LOCK, shared=False, wait=False)):
            return []
        keep = current(conn, root)
        removed: list[Path] = []
        for folder in [*root.glob(".staging-*"), *root.glob(".trash-*")]:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        base = root / TABLE.name
        for folder in base.glob("year=*") if base.is_dir() else []:
            year = _year(folder.name)
            for file in folder.glob("part-*.parquet"):
                if year is None or keep.get(year) != file.name[5:-8]:
                    file.unlink()
                    removed.append(file)
            if not any(folder.iterdir()):
                folder.rmdir()
        return removed


@contextmanager
def opened(url: str | None) -> Iterator[dict[int, Path]]:
    """The current partition file of each stored year of the store at ``url``, kept from
    garbage collection while the block runs. Opening first recovers from a killed
    import (:func:`collect_garbage`). Every reader of the bulk folder goes through it."""
    root = bulk_root(url)
    if root is None or not root.is_dir():
        yield {}
        return
    from laser_policy.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            collect_garbage(conn, root)
            conn.rollback()
            with _flock(root / READ_LOCK, shared=True, wait=True):
                yield {y: partition_path(root, y, v) for y, v in current(conn, root).items()}
    finally:
        engine.dispose()


def read_table(files: dict[int, Path]) -> pa.Table | None:
    """The partitions as one Arrow table in contract column order (``year`` included)."""
    parts = []
    for year, path in files.items():
        part = pq.read_table(path, schema=SCHEMA)
        parts.append(part.add_column(TABLE.column_names.index("year"), "year",
                                     pa.array([year] * part.num_rows, pa.int64())))
    return pa.concat_tables(parts) if parts else None


def read_transactions(url: str | None) -> pa.Table | None:
    """All stored transactions with their ``year`` (Arrow), or None when none are stored."""
    with opened(url) as files:
        return read_table(files)


def _summary(table: pa.Table) -> dict[str, Any]:
    total = pc.sum(table["amount_wan"]).as_py() if table.num_rows else 0.0
    return {"rows": table.num_rows, "amount_wan": total}


#: the transactions as the import holds them: the stored columns and ``year``
IMPORT_SCHEMA = pa.schema([*SCHEMA, pa.field("year", pa.int64())])


def arrow_table(columns: dict[str, list[Any]]) -> pa.Table:
    """Column values (``store.values``) as the Arrow table of transactions (with ``year``)."""
    return pa.table({n: pa.array(columns[n], type=IMPORT_SCHEMA.field(n).type)
                     for n in IMPORT_SCHEMA.names})


def from_sql(sql: str) -> pa.Table:
    """Validated Parquet transactions (``Package.transactions_sql``) straight to Arrow, as
    ``arrow_table`` would give them: no pandas, no Python object per row. Blank text is
    missing (NULL), as ``store.values`` makes it."""
    import duckdb

    with duckdb.connect() as con:
        raw = con.sql(sql).to_arrow_table()
    columns = {}
    for f in IMPORT_SCHEMA:
        col = raw[f.name].cast(f.type)
        if pa.types.is_string(f.type):
            col = pc.if_else(pc.equal(pc.utf8_trim_whitespace(col), ""), pa.scalar(None, f.type),
                             col)
        columns[f.name] = col
    return pa.table(columns, schema=IMPORT_SCHEMA)


@dataclass
class Partition:
    year: int
    action: str  # insert / replace / unchanged
    rows: int
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass
class BulkWrite:
    """The new partitions of one import: staged, placed under new names, pointed at."""

    root: Path
    data: pa.Table
    partitions: list[Partition] = field(default_factory=list)
    version: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    @property
    def staging(self) -> Path:
        return self.root / f".staging-{self.version}"

    @property
    def changed(self) -> list[Partition]:
        return [p for p in self.partitions if p.action != "unchanged"]

    def plan(self, conn: Connection) -> list[Partition]:
        """Compare each year with the current file; stage the years that differ."""
        stored = current(conn, self.root)
        years = self.data["year"]
        for year in sorted(pc.unique(years).to_pylist()):
            new = self.data.filter(pc.equal(years, year)).select(SCHEMA.names)
            old = pq.read_table(partition_path(self.root, year, stored[year]), schema=SCHEMA) \
                if year in stored else None
            if old is not None and old.equals(new):
                self.partitions.append(Partition(year, "unchanged", new.num_rows, None,
                                                 _summary(new)))
                continue
            self.staging.mkdir(parents=True, exist_ok=True)
            pq.write_table(new, self.staging / f"year={year}.parquet")
            self.partitions.append(Partition(
                year, "insert" if old is None else "replace", new.num_rows,
                None if old is None else _summary(old), _summary(new)))
        pause_point("staged")
        return self.partitions

    def place(self) -> None:
        """Rename each staged file beside the current one under the new version name."""
        for p in self.changed:
            pause_point(f"before-move-{p.year}")
            target = partition_path(self.root, p.year, self.version)
            target.parent.mkdir(parents=True, exist_ok=True)
            (self.staging / f"year={p.year}.parquet").replace(target)
            pause_point(f"after-move-{p.year}")

    def switch(self, conn: Connection) -> None:
        """Point the database at the new files, in the caller's transaction: its commit
        makes them current."""
        if not self.changed:
            return
        t = BULK_PARTITIONS
        conn.execute(sa.delete(t).where(t.c.table_name == TABLE.name,
                                        t.c.year.in_([p.year for p in self.changed])))
        conn.execute(sa.insert(t), [{"table_name": TABLE.name, "year": p.year,
                                     "version": self.version, "rows": p.rows}
                                    for p in self.changed])

    def discard(self) -> None:
        """Remove the staging folder of an import that did not commit; the files it placed
        are removed by :func:`collect_garbage`, which checks the committed pointers first
        (a commit whose answer was lost may still have made them current)."""
        shutil.rmtree(self.staging, ignore_errors=True)
