"""``import``: a validated data package into the store, all or nothing.

1. read the source with ``io.read_package`` (which validates every table and raises
   ``DataValidationError`` listing all problems) and take its content fingerprint
   (``io.fingerprint.content_fingerprint``, recorded as the batch's ``sha256``);
2. convert each table to storable values (re-checking types and keys);
3. with the bulk folder's write lock held, in ONE database transaction: migrate the
   schema to head if needed, record the batch, stage the changed transactions years
   as Parquet (``store.bulk``), upsert every table parents-first (``store.upsert``),
   write the audit log, check that every transaction's buyer is a known enterprise;
   place the staged files under new version names and point ``bulk_partitions`` at
   them; commit. The commit is the switch of the Parquet files too: a failure, or a
   kill at any moment, leaves the old rows naming the old files, and what the import
   wrote is removed (at once, or at the next open of the store when killed). An
   import that would change nothing writes nothing.
"""

from __future__ import annotations

import contextlib
import getpass
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa
from sqlalchemy import Connection

from laser_policy.contracts import TABLES
from laser_policy.errors import DataValidationError, InputError, Problem
from laser_policy.io import read_package
from laser_policy.io.fingerprint import content_fingerprint
from laser_policy.store import bulk as bulk_store
from laser_policy.store.db import make_engine, upgrade
from laser_policy.store.faults import pause_point
from laser_policy.store.models import AUDIT_LOG, DATA_TABLES, IMPORT_BATCHES
from laser_policy.store.upsert import AuditContext, Counts, upsert
from laser_policy.store.values import to_columns


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class ImportResult:
    source: str
    sha256: str
    user: str
    batch_id: int | None = None
    counts: dict[str, Counts] = field(default_factory=dict)
    partitions: list[bulk_store.Partition] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.counts.values())

    def summary_zh(self) -> str:
        """The Chinese (then English) summary the CLI prints."""
        head = (f"导入批次 #{self.batch_id} / import batch #{self.batch_id}"
                if self.changed else "数据与库中一致，未作任何修改 / unchanged: nothing written")
        lines = [head,
                 (f"来源 source: {self.source}  SHA-256: {self.sha256[:16]}…  "
                  f"操作人 user: {self.user}"),
                 f"{'表 table':<28}{'新增 inserted':>14}{'更新 updated':>14}{'未变 unchanged':>16}"]
        for name, c in self.counts.items():
            label = f"{TABLES[name].zh} {name}"
            width = 28 - sum(1 for ch in label if ord(ch) > 0x2E7F)  # CJK is two columns wide
            lines.append(f"{label:<{width}}{c.inserted:>14}{c.updated:>14}{c.unchanged:>16}")
        for p in self.partitions:
            lines.append(f"  采购交易 {p.year} 年分区 / partition year={p.year}: {p.action}"
                         f"（{p.rows} 行 rows）")
        return "\n".join(lines)


def _check_buyers(conn: Connection, buyers: pa.ChunkedArray) -> None:
    """Every buyer a known enterprise (one problem per unknown buyer, at its first row)."""
    known = set(conn.execute(sa.select(DATA_TABLES["enterprises"].c.uscc)).scalars())
    unknown = [b for b in pc.unique(buyers).to_pylist() if b not in known]
    problems = [Problem("transactions", "reference", "采购方不在企业名录中",
                        "buyer is not a known enterprise", pc.index(buyers, b).as_py() + 2,
                        "buyer_uscc", b) for b in unknown]
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: p.row or 0))


def _audit_partitions(conn: Connection, ctx: AuditContext,
                      partitions: list[bulk_store.Partition]) -> None:
    rows = [{"batch_id": ctx.batch_id, "at": ctx.at, "user_name": ctx.user,
             "table_name": "transactions", "key": {"year": p.year}, "action": p.action,
             "before": p.before, "after": p.after, "source_sha256": ctx.sha256}
            for p in partitions if p.action != "unchanged"]
    if rows:
        conn.execute(sa.insert(AUDIT_LOG), rows)


def _apply(conn: Connection, data: dict[str, dict[str, list[Any]]], result: ImportResult,
           bulk: bulk_store.BulkWrite | None, present: dict[str, tuple[str, ...]]) -> None:
    upgrade(conn)
    at = datetime.now(UTC)
    batch = conn.execute(sa.insert(IMPORT_BATCHES).values(
        source=result.source, sha256=result.sha256, user_name=result.user, imported_at=at,
        counts={}).returning(IMPORT_BATCHES.c.id)).scalar_one()
    ctx = AuditContext(batch, at, result.user, result.sha256)
    for name, table in DATA_TABLES.items():
        if name not in data:
            continue
        try:
            result.counts[name] = upsert(conn, table, TABLES[name].key, data[name], ctx,
                                         present.get(name))
        except sa.exc.DBAPIError as exc:
            raise InputError(
                f"导入失败，数据库未作任何修改 / import failed, nothing written — "
                f"表 table {name}: {exc.orig}") from exc
    if bulk is not None:
        bulk.plan(conn)
        _check_buyers(conn, bulk.data["buyer_uscc"])
        _audit_partitions(conn, ctx, bulk.partitions)
        rows_by_action = {a: sum(p.rows for p in bulk.partitions if p.action == a)
                          for a in ("insert", "replace", "unchanged")}
        result.counts["transactions"] = Counts(
            rows_by_action["insert"], rows_by_action["replace"], rows_by_action["unchanged"])
        result.partitions = bulk.partitions
    result.batch_id = batch
    conn.execute(sa.update(IMPORT_BATCHES).where(IMPORT_BATCHES.c.id == batch)
                 .values(counts={n: c.as_dict() for n, c in result.counts.items()}))


def import_package(path: str | Path, url: str | None = None,
                   user: str | None = None) -> ImportResult:
    """Import the data package at ``path`` into the database at ``url``; all or nothing."""
    src = Path(path)
    if not src.exists():
        raise InputError(f"数据包不存在 / data package not found: {src}")
    package = read_package(src)
    frames = dict(package.tables)
    data = {name: to_columns(TABLES[name], df) for name, df in frames.items()}
    transactions = None
    if "transactions" in data:  # a CSV or sheet, read and typed with the other tables
        transactions = bulk_store.arrow_table(data.pop("transactions"))
    elif package.transactions_sql is not None:  # Parquet validated by DuckDB: Arrow only
        transactions = bulk_store.from_sql(package.transactions_sql)
    fingerprinted: dict[str, Any] = dict(frames)
    if transactions is not None:
        fingerprinted["transactions"] = transactions
    result = ImportResult(str(src.resolve()), content_fingerprint(fingerprinted),
                          user or default_user())
    if transactions is None or transactions.num_rows == 0:
        return _run(data, package.columns, result, url, None)
    root = bulk_store.require_root(url)
    with bulk_store.writing(root):
        bulk = bulk_store.BulkWrite(root, transactions)
        return _run(data, package.columns, result, url, bulk)


def _run(data: dict[str, dict[str, list[Any]]], present: dict[str, tuple[str, ...]],
         result: ImportResult, url: str | None,
         bulk: bulk_store.BulkWrite | None) -> ImportResult:
    """Steps 4 and after of the module docstring (the caller holds the bulk write lock)."""
    engine = make_engine(url, write=True)
    committed = False
    try:
        if bulk is not None:
            _recover(engine, bulk.root)
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                _apply(conn, data, result, bulk, present)
                if not result.changed:
                    tx.rollback()
                    result.batch_id = None
                    return result
                if bulk is not None:
                    bulk.place()
                    bulk.switch(conn)
                pause_point("before-commit")
                tx.commit()
                committed = True
            except BaseException:
                if tx.is_active:
                    tx.rollback()
                conn.invalidate()  # SQLite keeps a transaction open after a failed COMMIT
                raise
        if bulk is not None:
            pause_point("after-commit")
            _recover(engine, bulk.root)
            pause_point("after-cleanup")
    except sa.exc.DBAPIError as exc:
        raise InputError(f"数据库错误，未作任何修改 / database error, nothing written: "
                         f"{exc.orig}") from exc
    finally:
        if bulk is not None and not committed:
            bulk.discard()
            with contextlib.suppress(sa.exc.SQLAlchemyError):  # else: at the next open
                _recover(engine, bulk.root)
        engine.dispose()
    return result


def _recover(engine: sa.Engine, root: Path) -> None:
    """Garbage of a killed import, or the versions the last import replaced."""
    with engine.connect() as conn:
        bulk_store.collect_garbage(conn, root, write_locked=True)
        conn.rollback()
