"""Run a computation into the ledger: compute, freeze the run, insert only what is new.

``prepare_run`` reads and hashes the package and computes with the engine (no
database); ``record_run`` writes it in ONE transaction: the run, the new
entitlements (``INSERT … ON CONFLICT DO NOTHING`` on the natural key, so what is
already in the ledger — from an earlier run or a concurrent one — is skipped by
the database itself) and one audit record per new entitlement.
``run_computation`` does both. Status changes live in
:mod:`laser_policy.ledger.transitions` (re-exported here).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Connection

from laser_policy.errors import LedgerError
from laser_policy.io.fingerprint import content_fingerprint
from laser_policy.ledger.audit import audit_record, snapshot, write_audit
from laser_policy.ledger.models import ENTITLEMENTS, NATURAL_KEY, RUNS
from laser_policy.ledger.records import enterprise_cities, ledger_rows, natural_key, result_hash
from laser_policy.ledger.transitions import (
    approve,
    pay,
    reject,
    review,
    select_ids,
    transition,
)
from laser_policy.store.db import current_revision, head_revision, make_engine, upgrade

__all__ = [
    "PreparedRun", "RunResult", "approve", "pay", "prepare_run", "read_tables", "record_run",
    "reject", "review", "run_computation", "select_ids", "transition",
]

#: the package tables the engine reads
ENGINE_TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")


def read_tables(
    data: str | Path, incentives: Iterable[tuple[str, str]] | None = None,
) -> tuple[dict[str, pd.DataFrame], str]:
    """The package's engine tables (validated by ``read_package``) and their content
    fingerprint (``io.fingerprint.content_fingerprint``, the same as the web records).
    ``incentives``: what ``awards.incentive`` may name (the policies in force, from the edge:
    ``policy.model.incentive_names``; default the packaged model's)."""
    from laser_policy.io import read_package

    package = read_package(Path(data), tables=ENGINE_TABLES, incentives=incentives)
    tables = dict(package.tables)
    return tables, content_fingerprint(tables, ENGINE_TABLES)


def parameters_json(params: Any) -> dict[str, Any]:
    """The engine's parameters as a JSON document (tuples as lists)."""
    doc: dict[str, Any] = json_safe(dataclasses.asdict(params))
    return doc


def json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


@dataclass
class PreparedRun:
    """A computation done in memory, not yet written: what ``record_run`` stores."""

    source: str
    input_hash: str
    year: int | None
    engine: str
    rules_version: str
    parameters: dict[str, Any]
    rows: list[dict[str, Any]]
    started_at: datetime

    @property
    def result_hash(self) -> str:
        return result_hash(self.rows)


def compute_rows(tables: Mapping[str, pd.DataFrame], params: Any, year: int | None,
                 engine: str, *, inputs: Any = None) -> list[dict[str, Any]]:
    """The ledger rows of a computation (``inputs``: the tables already typed by the rules)."""
    from laser_policy.rules import compute_entitlements

    table = compute_entitlements(
        tables if inputs is None else inputs, params=params, year=year, engine=engine
    )
    return ledger_rows(table, enterprise_cities(tables.get("enterprises")))


def run_parameters(schedule: Any) -> dict[str, Any]:
    """What a run records of its parameters: each year's, and the latest year's on its own."""
    by_year = {str(year): parameters_json(params) for year, params in schedule.by_year}
    latest = parameters_json(schedule.by_year[-1][1]) if schedule.by_year else None
    return {"incentive_parameters": latest, "incentive_parameters_by_year": by_year}


def computed_run(source: str, digest: str, tables: Mapping[str, pd.DataFrame], *,
                 model: Any, year: int | None = None, engine: str = "duckdb"
                 ) -> PreparedRun:
    """Compute ``tables`` with the parameters in force (in ``year``, else year by year):
    a run ready for :func:`record_run`; nothing is written."""
    from laser_policy.rules.compute import engine_schedule
    from laser_policy.rules.inputs import prepare

    started = datetime.now(UTC)
    inputs = prepare(dict(tables))  # typed once, for the schedule and the computation
    schedule = engine_schedule(inputs, model, year)
    rows = compute_rows(tables, schedule, year, engine, inputs=inputs)
    return PreparedRun(source, digest, year, engine, schedule.rules_version,
                       run_parameters(schedule), rows, started)


def prepare_run(data: str | Path, *, year: int | None = None, engine: str = "duckdb",
                model: Any,
                incentives: Iterable[tuple[str, str]] | None = None) -> PreparedRun:
    """Read, hash and compute the package at ``data``; nothing is written."""
    tables, digest = read_tables(data, incentives)
    return computed_run(str(Path(data).resolve()), digest, tables, year=year, engine=engine,
                        model=model)


@dataclass
class RunResult:
    run_id: int
    computed: int
    inserted_ids: list[int] = field(default_factory=list)
    already: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return len(self.inserted_ids)

    def summary_zh(self) -> str:
        return (f"计算批次 #{self.run_id}：应享 {self.computed} 条，新入台账 {self.inserted} 条，"
                f"已在台账中 {len(self.already)} 条（未重复写入） / run #{self.run_id}: "
                f"{self.computed} computed, {self.inserted} new, {len(self.already)} already "
                f"in the ledger")


def _insert_statement(conn: Connection) -> Any:
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(ENTITLEMENTS)
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(ENTITLEMENTS)
    else:
        raise LedgerError(f"台账不支持数据库 {name} / ledger needs SQLite or PostgreSQL")
    stmt = stmt.on_conflict_do_nothing(index_elements=list(NATURAL_KEY))
    return stmt.returning(ENTITLEMENTS.c.id, *[ENTITLEMENTS.c[k] for k in NATURAL_KEY])


@functools.cache
def _head() -> str | None:
    return head_revision()


def ensure_schema(conn: Connection) -> None:
    """Migrate to head inside ``conn``'s transaction, only when needed.

    (Alembic's ``command.upgrade`` uses module-global state, so it is not run
    at all when the schema is current — concurrent runs in threads stay safe.)
    """
    if current_revision(conn) != _head():
        upgrade(conn)


def _record(conn: Connection, run: PreparedRun, user: str) -> RunResult:
    ensure_schema(conn)
    run_id = conn.execute(sa.insert(RUNS).values(
        started_at=run.started_at, user_name=user, rules_version=run.rules_version,
        parameters=run.parameters, input_hash=run.input_hash, source=run.source,
        year=run.year, engine=run.engine, result_hash=run.result_hash, counts={},
    ).returning(RUNS.c.id)).scalar_one()
    now = datetime.now(UTC)
    values = [{**r, "run_id": run_id, "status": "computed", "computed_at": now}
              for r in run.rows]
    inserted: dict[tuple[Any, ...], int] = {}
    if values:
        for row in conn.execute(_insert_statement(conn), values):
            inserted[tuple(row[1:])] = int(row[0])
    new = [v for v in values if natural_key(v) in inserted]
    for v in new:
        v["id"] = inserted[natural_key(v)]
    after = ("status", "run_id", "amount_wan", "province_wan", "city_wan", "payer_city")
    write_audit(conn, [audit_record(v, "compute", user, now, None, snapshot(v, after),
                                    run.input_hash) for v in new])
    result = RunResult(run_id, len(values), sorted(inserted.values()),
                       [natural_key(v) for v in values if natural_key(v) not in inserted])
    conn.execute(sa.update(RUNS).where(RUNS.c.id == run_id).values(
        finished_at=datetime.now(UTC),
        counts={"computed": result.computed, "inserted": result.inserted,
                "already": len(result.already)}))
    return result


def record_run(url: str | None, run: PreparedRun, user: str) -> RunResult:
    """Write a prepared run into the ledger at ``url`` in one transaction."""
    engine = make_engine(url, write=True)
    try:
        with engine.begin() as conn:
            return _record(conn, run, user)
    except sa.exc.OperationalError as exc:  # deadlock, lock timeout: nothing was written
        raise LedgerError(f"另一计算正同时写入台账，本次未写入，请重试 / a concurrent computation "
                          f"holds the ledger; nothing written, retry ({exc.orig})") from exc
    finally:
        engine.dispose()


def run_computation(data: str | Path, url: str | None = None, *, user: str,
                    year: int | None = None, engine: str = "duckdb",
                    model: Any,
                    incentives: Iterable[tuple[str, str]] | None = None) -> RunResult:
    """Compute the package at ``data`` and record the run and its new entitlements."""
    return record_run(url, prepare_run(data, year=year, engine=engine, model=model,
                                       incentives=incentives), user)
