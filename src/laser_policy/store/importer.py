"""``import``: a validated data package into the store, all or nothing.

1. hash the source (SHA-256) and read it with ``io.read_package`` (which validates
   every table and raises ``DataValidationError`` listing all problems);
2. convert each table to storable values (re-checking types and keys);
3. stage new bulk partitions (transactions) as Parquet beside the database;
4. in ONE database transaction: migrate the schema to head if needed, record the
   batch, upsert every table parents-first (``store.upsert``), write the audit log,
   check that every transaction's buyer is a known enterprise; swap the staged
   Parquet in and commit. Any failure rolls everything back and removes what was
   staged. An import that would change nothing writes nothing.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from laser_policy.contracts import TABLES
from laser_policy.errors import DataValidationError, InputError, Problem
from laser_policy.io import read_package
from laser_policy.io.fingerprint import package_sha256
from laser_policy.store import bulk as bulk_store
from laser_policy.store.db import make_engine, upgrade
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


def _check_buyers(conn: Connection, columns: dict[str, list[Any]]) -> None:
    known = set(conn.execute(sa.select(DATA_TABLES["enterprises"].c.uscc)).scalars())
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, buyer in enumerate(columns["buyer_uscc"]):
        if buyer not in known and buyer not in seen:
            seen.add(buyer)
            problems.append(Problem("transactions", "reference", "采购方不在企业名录中",
                                    "buyer is not a known enterprise", i + 2, "buyer_uscc", buyer))
    if problems:
        raise DataValidationError(problems)


def _audit_partitions(conn: Connection, ctx: AuditContext,
                      partitions: list[bulk_store.Partition]) -> None:
    rows = [{"batch_id": ctx.batch_id, "at": ctx.at, "user_name": ctx.user,
             "table_name": "transactions", "key": {"year": p.year}, "action": p.action,
             "before": p.before, "after": p.after, "source_sha256": ctx.sha256}
            for p in partitions if p.action != "unchanged"]
    if rows:
        conn.execute(sa.insert(AUDIT_LOG), rows)


def _apply(conn: Connection, data: dict[str, dict[str, list[Any]]], result: ImportResult,
           bulk: bulk_store.BulkWrite | None) -> None:
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
            result.counts[name] = upsert(conn, table, TABLES[name].key, data[name], ctx)
        except sa.exc.DBAPIError as exc:
            raise InputError(
                f"导入失败，数据库未作任何修改 / import failed, nothing written — "
                f"表 table {name}: {exc.orig}") from exc
    if bulk is not None:
        _check_buyers(conn, data["transactions"])
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
    result = ImportResult(str(src.resolve()), package_sha256(src), user or default_user())
    package = read_package(src)
    frames = dict(package.tables)
    if "transactions" in package and "transactions" not in frames:  # a Parquet folder
        frames["transactions"] = package.get("transactions")
    data = {name: to_columns(TABLES[name], df) for name, df in frames.items()}
    has_bulk = "transactions" in data and bool(data["transactions"]["year"])
    bulk = bulk_store.prepare(url, data["transactions"]) if has_bulk else None
    engine = make_engine(url, write=True)
    try:
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                _apply(conn, data, result, bulk)
                if not result.changed:
                    tx.rollback()
                    result.batch_id = None
                    return result
                if bulk is not None:
                    bulk.swap_in()
                tx.commit()
            except BaseException:
                if bulk is not None:
                    bulk.swap_back()
                if tx.is_active:
                    tx.rollback()
                raise
    except sa.exc.DBAPIError as exc:
        raise InputError(f"数据库错误，未作任何修改 / database error, nothing written: "
                         f"{exc.orig}") from exc
    finally:
        if bulk is not None:
            bulk.cleanup()
        engine.dispose()
    return result
