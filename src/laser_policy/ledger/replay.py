"""Replay a past computation: the same package, the recorded parameters, the same amounts.

A run records the engine's parameters (``IncentiveParameters`` as JSON), the
content fingerprint of its input tables (``io.fingerprint.content_fingerprint``: the
same for the same data from CSV, xlsx, Parquet or the database, so a run recorded
from the web replays on the store's export) and a hash of its whole result.
Replaying refuses a package whose fingerprint differs (it would not be the same
computation); runs recorded before the content fingerprint are matched on the
fingerprint they hold (the package files' SHA-256, or the web's former frame hash).
It recomputes with the recorded parameters — not today's policy model — and
compares every amount with what the ledger holds for that run, and the result hash
as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from laser_policy.errors import LedgerError, NotFoundError
from laser_policy.io.fingerprint import legacy_snapshot_hash, package_sha256
from laser_policy.ledger.models import ENTITLEMENTS, RUNS, require_ledger
from laser_policy.ledger.records import natural_key, result_hash
from laser_policy.ledger.service import compute_rows, read_tables
from laser_policy.store.db import make_engine

MONEY = ("amount_wan", "province_wan", "city_wan")


def parameters_from_json(doc: dict[str, Any]) -> Any:
    """``IncentiveParameters`` rebuilt from the JSON a run recorded (lists back to tuples)."""
    from laser_policy.rules.parameters import IncentiveParameters

    return IncentiveParameters.from_json(doc)


def recorded_parameters(doc: dict[str, Any], rules_version: str) -> Any:
    """The parameters a run recorded: year by year (a ``ParameterSchedule``), or — for runs
    recorded before parameters were kept per year — one set for every year."""
    from laser_policy.rules.parameters import ParameterSchedule

    by_year = doc.get("incentive_parameters_by_year")
    if by_year is None:
        return parameters_from_json(doc["incentive_parameters"])
    years = sorted(by_year, key=int)
    return ParameterSchedule(
        tuple((int(y), parameters_from_json(by_year[y])) for y in years), rules_version)


@dataclass
class ReplayResult:
    run_id: int
    recorded_hash: str | None
    replayed_hash: str
    #: (ledger id, natural key, field, recorded, replayed) for every amount that differs
    differences: list[tuple[Any, ...]] = field(default_factory=list)
    compared: int = 0
    computed: int = 0

    @property
    def identical(self) -> bool:
        return not self.differences and self.recorded_hash == self.replayed_hash

    def summary_zh(self) -> str:
        if self.identical:
            return (f"计算批次 #{self.run_id} 重算一致：{self.computed} 条应享奖补，其中本批次入账 "
                    f"{self.compared} 条金额逐条相同 / run #{self.run_id} replayed: identical "
                    f"({self.computed} rows, {self.compared} ledger amounts equal)")
        head = (f"计算批次 #{self.run_id} 重算结果不同 / run #{self.run_id} replay DIFFERS "
                f"(result hash {self.recorded_hash} → {self.replayed_hash})")
        lines = [head]
        lines += [f"  #{i} {key} {name}: {a} → {b}" for i, key, name, a, b in self.differences]
        return "\n".join(lines)


def _legacy_fingerprints(path: Path, tables: dict[str, Any]) -> tuple[str, ...]:
    """What runs recorded before the content fingerprint hold: the CLI's SHA-256 of the
    package files, the web's hash of its frames (``io.fingerprint``)."""
    return package_sha256(path), legacy_snapshot_hash(tables)


def replay(run_id: int, data: str | Path, url: str | None = None) -> ReplayResult:
    """Recompute run ``run_id`` on the package at ``data`` and compare with the ledger."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            require_ledger(conn)
            run = conn.execute(sa.select(RUNS).where(RUNS.c.id == run_id)).mappings().first()
            if run is None:
                raise NotFoundError(f"没有计算批次 #{run_id} / no computation run {run_id}")
            stored = [dict(r) for r in conn.execute(
                sa.select(ENTITLEMENTS).where(ENTITLEMENTS.c.run_id == run_id)).mappings()]
    finally:
        engine.dispose()
    tables, digest = read_tables(data)
    if run["input_hash"] not in (digest, *_legacy_fingerprints(Path(data), tables)):
        raise LedgerError(
            f"数据包与计算批次 #{run_id} 所用的不同（SHA-256 {digest[:16]}… ≠ 记录的 "
            f"{run['input_hash'][:16]}…），不能重算；请使用当时的数据包 / the package differs "
            f"from the one run {run_id} used (recorded source: {run['source']})")
    params = recorded_parameters(run["parameters"], run["rules_version"])
    rows = compute_rows(tables, params, run["year"], run["engine"])
    by_key = {natural_key(r): r for r in rows}
    result = ReplayResult(run_id, run["result_hash"], result_hash(rows), computed=len(rows))
    for old in stored:
        key = natural_key(old)
        new = by_key.get(key)
        result.compared += 1
        for name in MONEY:
            replayed = None if new is None else new[name]
            if replayed != old[name]:
                result.differences.append((old["id"], key, name, old[name], replayed))
    return result
