"""奖补 Incentives: the ledger (``laser_policy.ledger``) as the pages show it.

The ledger lives in the same database as the web app. A computation runs the
engine on the CURRENT data snapshot (whatever its source) and records it with
``ledger.service.record_run``; the input hash is the hash of the snapshot's
tables. Status changes go through ``ledger.transitions`` (all or nothing,
reviewer ≠ approver); every list and total is scoped by ``Scope``.
"""

from __future__ import annotations

import hashlib
import math
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from laser_policy.errors import InputError
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData

#: the package tables the engine reads (``ledger.service.ENGINE_TABLES``)
ENGINE_TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")
STATUSES = ("computed", "reviewed", "approved", "paid", "rejected")
ACTIONS = ("review", "approve", "pay", "reject")
INCENTIVES = ("revenue_milestone", "first_set", "service_platform", "innovation_source")
MAX_ROWS = 500
FIRM_COLUMNS = (
    "uscc",
    "name",
    "incentive",
    "baseline_wan",
    "scenario_wan",
    "change_wan",
    "province_change_wan",
    "city_change_wan",
)
LIST_COLUMNS = (
    "id",
    "uscc",
    "name",
    "incentive",
    "role",
    "year",
    "amount_wan",
    "province_wan",
    "city_wan",
    "payer_city",
    "clause",
    "explanation",
    "status",
    "reviewed_by",
    "approved_by",
    "paid_by",
    "rejected_by",
    "rejected_reason",
)


@dataclass(frozen=True)
class Filters:
    status: str = ""
    incentive: str = ""
    city: str = ""
    year: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "incentive": self.incentive,
            "city": self.city,
            "year": self.year,
        }


def engine_tables(data: WebData) -> dict[str, pd.DataFrame]:
    return {n: data.extra[n] for n in ENGINE_TABLES if n in data.extra}


def snapshot_hash(tables: dict[str, pd.DataFrame]) -> str:
    """SHA-256 of the tables' contents (names, columns, values), order-independent of dict."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        frame = tables[name]
        digest.update(name.encode() + b"\0" + "\0".join(map(str, frame.columns)).encode())
        digest.update(
            pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy().tobytes()
        )
    return digest.hexdigest()


def compute_into_ledger(data: WebData, url: str, user: str) -> dict[str, Any]:
    """Run the engine on ``data`` and record the run; returns the run's counts."""
    from laser_policy.ledger.service import (
        PreparedRun,
        compute_rows,
        engine_parameters,
        record_run,
        run_parameters,
    )

    tables = engine_tables(data)
    if "enterprises" not in tables or data.enterprises.empty:
        raise InputError("没有可计算的数据，请先导入数据包 / no data to compute: import a package")
    started = datetime.now(UTC)
    schedule = engine_parameters(tables, None, None)
    rows = compute_rows(tables, schedule, None, "duckdb")
    run = PreparedRun(
        data.source or "web",
        snapshot_hash(tables),
        None,
        "duckdb",
        schedule.rules_version,
        run_parameters(schedule),
        rows,
        started,
    )
    result = record_run(url, run, user)
    return {
        "run_id": result.run_id,
        "computed": result.computed,
        "inserted": result.inserted,
        "already": len(result.already),
        "message": result.summary_zh(),
    }


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    if not isinstance(value, str) and pd.isna(value):
        return None
    return value


def _frame(url: str) -> pd.DataFrame:
    from laser_policy.ledger.budget import ledger_frame

    return ledger_frame(url)


def _scoped(frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    return scope.filter_ledger(frame) if not frame.empty else frame


def entitlements(url: str, scope: Scope, filters: Filters) -> dict[str, Any]:
    """The ledger's entitlements the scope sees, filtered; counts by status."""
    frame = _scoped(_frame(url), scope)
    counts = (
        {s: int((frame["status"] == s).sum()) for s in STATUSES}
        if len(frame)
        else dict.fromkeys(STATUSES, 0)
    )
    cities = sorted({str(c) for c in frame["payer_city"].dropna()}) if len(frame) else []
    years = sorted({int(y) for y in frame["year"].dropna()}) if len(frame) else []
    if filters.status:
        frame = frame[frame["status"] == filters.status]
    if filters.incentive:
        frame = frame[frame["incentive"] == filters.incentive]
    if filters.city:
        frame = frame[frame["payer_city"] == filters.city]
    if filters.year is not None:
        frame = frame[frame["year"] == filters.year]
    total = len(frame)
    shown = frame.sort_values("id").head(MAX_ROWS)
    items = [{k: _clean(r[k]) for k in LIST_COLUMNS} for r in shown.to_dict("records")]
    amount = float(frame[scope.money_column].sum()) if total else 0.0
    return {
        "filters": filters.as_dict(),
        "total": total,
        "truncated": total > MAX_ROWS,
        "amount_wan": round(amount, 2),
        "counts": counts,
        "cities": cities,
        "years": years,
        "items": items,
    }


def budget(url: str, scope: Scope) -> dict[str, Any]:
    """Per payer (省级, cities): committed (approved+paid), paid, pending, over the scope."""
    from laser_policy.ledger.budget import sort_payers
    from laser_policy.ledger.records import payer_shares

    frame = _scoped(_frame(url), scope)
    frame = frame[frame["status"] != "rejected"] if len(frame) else frame
    if frame.empty:
        return {"payers": [], "totals": {"committed_wan": 0.0, "paid_wan": 0.0, "pending_wan": 0.0}}
    long = payer_shares(frame)
    long = long[long["payer"].map(lambda p: scope.sees_payer(_payer_key(str(p))))]
    status = long["status"]
    long = long.assign(
        committed_wan=long["payer_wan"].where(status.isin(["approved", "paid"]), 0.0),
        paid_wan=long["payer_wan"].where(status == "paid", 0.0),
        pending_wan=long["payer_wan"].where(status.isin(["computed", "reviewed"]), 0.0),
    )
    table = long.groupby("payer", as_index=False)[
        ["committed_wan", "paid_wan", "pending_wan"]
    ].sum()
    table = sort_payers(table.assign(year=0)).drop(columns="year")
    payers: list[dict[str, Any]] = [
        {
            "payer": str(r["payer"]),
            **{k: round(float(r[k]), 2) for k in ("committed_wan", "paid_wan", "pending_wan")},
        }
        for r in table.to_dict("records")
    ]
    totals = {
        k: round(sum(p[k] for p in payers), 2) for k in ("committed_wan", "paid_wan", "pending_wan")
    }
    return {"payers": payers, "totals": totals}


def _payer_key(payer: str) -> str:
    from laser_policy.ledger.records import PROVINCE_ZH

    return "province" if payer == PROVINCE_ZH else payer


def transition(url: str, scope: Scope, action: str, ids: list[int], reason: str = "") -> list[int]:
    """Move ``ids`` by ``action`` as the scope's user (all or nothing); LedgerError if refused."""
    from laser_policy.ledger.transitions import transition as move

    if action not in ACTIONS:
        raise InputError(f"未知操作 {action!r} / unknown action")
    return move(url, ids, action, scope.principal.username, reason or None)


def parse_override(name: str, value: str) -> dict[str, Any]:
    from laser_policy.errors import UsageError
    from laser_policy.ledger.whatif import parse_assignments

    try:
        return parse_assignments([f"{name.strip()}={value}"])
    except UsageError as exc:
        raise InputError(str(exc)) from exc


def what_if(data: WebData, scope: Scope, name: str, value: str) -> dict[str, Any]:
    """Baseline vs scenario per payer (scoped) and the firms whose money changes."""
    from laser_policy.errors import PolicyModelError
    from laser_policy.ledger.whatif import what_if as run

    overrides = parse_override(name, value)
    tables = engine_tables(data)
    if "enterprises" not in tables:
        raise InputError("没有可计算的数据 / no data to compute")
    try:
        result = run(tables, overrides)
    except (PolicyModelError, KeyError, ValueError) as exc:
        raise InputError(f"参数无效：{exc} / invalid parameter") from exc
    by_payer = result.by_payer.groupby("payer", as_index=False, sort=False)[
        ["baseline_wan", "scenario_wan", "change_wan"]
    ].sum()
    payers: list[dict[str, Any]] = [
        {
            "payer": str(r["payer"]),
            **{k: round(float(r[k]), 2) for k in ("baseline_wan", "scenario_wan", "change_wan")},
        }
        for r in by_payer.to_dict("records")
        if scope.sees_payer(_payer_key(str(r["payer"])))
    ]
    visible = set(scope.filter_enterprises(data.enterprises)["uscc"])
    firms = result.firms[result.firms["uscc"].isin(visible)]
    firm_rows = [
        {k: _clean(r[k]) for k in FIRM_COLUMNS} for r in firms.head(MAX_ROWS).to_dict("records")
    ]
    return {
        "name": name,
        "value": value,
        "overrides": overrides,
        "payers": payers,
        "total_change_wan": round(sum(p["change_wan"] for p in payers), 2),
        "firms_affected": len(firms),
        "firms": firm_rows,
    }


def approved_xlsx(url: str) -> bytes:
    """The approved list, one sheet per payer (``ledger.excel.export_approved``)."""
    from laser_policy.ledger.excel import export_approved

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "approved.xlsx"
        export_approved(url, out)
        return out.read_bytes()
