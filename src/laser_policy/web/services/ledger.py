"""奖补 Incentives: the ledger (``laser_policy.ledger``) as the pages show it.

The ledger lives in the same database as the web app. A computation runs the
engine on the CURRENT data snapshot (whatever its source) and records it with
``ledger.service.record_run``; the input hash is the hash of the snapshot's
tables. Status changes go through ``ledger.transitions`` (all or nothing,
reviewer ≠ approver); every list and total is scoped by ``Scope``.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa

from laser_policy.errors import InputError
from laser_policy.io.fingerprint import content_fingerprint
from laser_policy.ledger.models import ENTITLEMENTS, require_ledger
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData, shared_engine

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel

#: the package tables the engine reads (``ledger.service.ENGINE_TABLES``)
ENGINE_TABLES = ("enterprises", "financials", "products", "platforms", "projects", "awards")
STATUSES = ("computed", "reviewed", "approved", "paid", "rejected")
ACTIONS = ("review", "approve", "pay", "reject")
#: at most this many firms in a what-if answer
MAX_ROWS = 500
#: the ledger list, page by page (``per_page`` bounded; far pages are clamped to the last)
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000
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
#: what a list's totals add up (应付, of which 省级 and 市州)
MONEY_COLUMNS = ("amount_wan", "province_wan", "city_wan")
_E = ENTITLEMENTS.c
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


def incentive_ids(models: Sequence[PolicyModel]) -> tuple[str, ...]:
    """The incentive ids of the policies in force, in the models' order (the filter's choices)."""
    return tuple(dict.fromkeys(i.id for m in models for i in m.incentives))


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; empty / ``None`` means "all"."""

    status: str = ""
    incentive: str = ""
    city: str = ""
    year: int | None = None
    #: part of an enterprise's name or of its 统一社会信用代码
    q: str = ""

    def __post_init__(self) -> None:
        # typed text as it can be searched for (PostgreSQL refuses NUL characters)
        for name in ("city", "q"):
            object.__setattr__(self, name, getattr(self, name).replace("\0", "").strip())

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "incentive": self.incentive,
            "city": self.city,
            "year": self.year,
            "q": self.q,
        }


@dataclass(frozen=True)
class Paging:
    """One page of the list: ``page`` from 1, ``per_page`` rows (1 … ``MAX_PER_PAGE``)."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def clamp(self) -> Paging:
        return Paging(max(1, min(self.page, MAX_PAGE)), max(1, min(self.per_page, MAX_PER_PAGE)))


def engine_tables(data: WebData) -> dict[str, pd.DataFrame]:
    return {n: data.extra[n] for n in ENGINE_TABLES if n in data.extra}


def compute_into_ledger(data: WebData, url: str, user: str, model: PolicyModel) -> dict[str, Any]:
    """Run the engine on ``data`` and record the run; returns the run's counts."""
    from laser_policy.ledger.service import computed_run, record_run

    tables = engine_tables(data)
    if "enterprises" not in tables or data.enterprises.empty:
        raise InputError("没有可计算的数据，请先导入数据包 / no data to compute: import a package")
    run = computed_run(data.source or "web", content_fingerprint(tables, ENGINE_TABLES), tables,
                       model=model)
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


#: ledger answers kept per process (pages × filters × scopes), least recently used out
ANSWERS_KEPT = 512


class _Answers:
    """Answers computed from the ledger, by (what was asked, the ledger's version)."""

    def __init__(self, size: int = ANSWERS_KEPT) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, ...], value: dict[str, Any]) -> None:
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


_answers = _Answers()


def ledger_version(conn: sa.Connection) -> tuple[Any, ...]:
    """A token of the ledger's content from one aggregate query (indexed on status).

    Rows are only ever added (a computation: the count, the largest id and the sums
    grow) or moved forward by a transition (computed → reviewed → approved → paid, or
    → rejected; never back, never deleted), and every move changes the count of rows
    per status: so any change of the ledger, made by any process, changes the token.
    """
    rows = conn.execute(
        sa.select(_E.status, sa.func.count(), sa.func.max(_E.id), sa.func.sum(_E.amount_wan))
        .group_by(_E.status)
    ).all()
    return tuple(sorted((str(s), int(n), int(i or 0), float(a or 0.0)) for s, n, i, a in rows))


def filter_conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    """The filters as SQL conditions (search: name or credit code contains the text)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.status:
        conditions.append(_E.status == filters.status)
    if filters.incentive:
        conditions.append(_E.incentive == filters.incentive)
    city = filters.city
    if city:
        conditions.append(_E.payer_city == city)
    if filters.year is not None:
        conditions.append(_E.year == filters.year)
    text = filters.q
    if text:
        conditions.append(
            sa.or_(
                _E.name.icontains(text, autoescape=True),
                _E.uscc.icontains(text.upper(), autoescape=True),
            )
        )
    return conditions


def entitlements(
    url: str, scope: Scope, filters: Filters, paging: Paging | None = None
) -> dict[str, Any]:
    """One page of the ledger's entitlements the scope sees, filtered, in id order.

    Everything is asked of the database: the page (``LIMIT``/``OFFSET``), the count and
    the totals over ALL matching rows (not only the page), the counts by status and the
    cities and years to choose from (over the scope, unfiltered). A page past the last
    is answered with the last one.
    """
    paging = (paging or Paging()).clamp()
    with shared_engine(url).connect() as conn:
        key = ("list", url, scope.key, filters, paging, _version(conn))
        hit = _answers.get(key)
        if hit is None:
            hit = _entitlements(conn, scope, filters, paging)
            _answers.put(key, hit)
    return hit


def _version(conn: sa.Connection) -> tuple[Any, ...]:
    try:
        return ledger_version(conn)
    except sa.exc.SQLAlchemyError:
        conn.rollback()
        require_ledger(conn)  # says what to do when the ledger is absent
        raise


def _entitlements(
    conn: sa.Connection, scope: Scope, filters: Filters, paging: Paging
) -> dict[str, Any]:
    scoped = scope.ledger_condition(ENTITLEMENTS)
    where = sa.and_(scoped, *filter_conditions(filters))
    sums = [sa.func.coalesce(sa.func.sum(_E[c]), 0.0) for c in MONEY_COLUMNS]
    total, *money = conn.execute(sa.select(sa.func.count(), *sums).where(where)).one()
    pages = max(1, math.ceil(total / paging.per_page))
    page = min(paging.page, pages)
    query = (
        sa.select(*[_E[c] for c in LIST_COLUMNS])
        .where(where)
        .order_by(_E.id)
        .limit(paging.per_page)
        .offset((page - 1) * paging.per_page)
    )
    items = [{k: _clean(v) for k, v in r.items()} for r in conn.execute(query).mappings()]
    status_query = sa.select(_E.status, sa.func.count()).where(scoped).group_by(_E.status)
    by_status: dict[str, int] = {str(s): int(n) for s, n in conn.execute(status_query)}
    cities = conn.execute(
        sa.select(_E.payer_city).distinct().where(scoped, _E.payer_city.is_not(None))
    ).scalars()
    years = conn.execute(sa.select(_E.year).distinct().where(scoped)).scalars()
    city_list = sorted(str(c) for c in cities)
    year_list = sorted(int(y) for y in years)
    totals = {c: round(float(v), 2) for c, v in zip(MONEY_COLUMNS, money, strict=True)}
    first = (page - 1) * paging.per_page + 1 if items else 0
    return {
        "filters": filters.as_dict(),
        "total": int(total),
        "page": page,
        "pages": pages,
        "per_page": paging.per_page,
        "first": first,
        "last": first + len(items) - 1 if items else 0,
        "amount_wan": totals[scope.money_column],
        "totals": totals,
        "counts": {s: int(by_status.get(s, 0)) for s in STATUSES},
        "cities": city_list,
        "years": year_list,
        "items": items,
    }


def budget(url: str, scope: Scope) -> dict[str, Any]:
    """Per payer (省级, cities): committed (approved+paid), paid, pending, over the scope.

    Summed by the database (one ``GROUP BY status, payer_city`` over the scope's rows, not
    the whole ledger), once per ledger version and scope; each payer's part counts where
    it is positive, as in ``ledger.records.payer_shares``.
    """
    with shared_engine(url).connect() as conn:
        key = ("budget", url, scope.key, _version(conn))
        hit = _answers.get(key)
        if hit is None:
            hit = _budget(conn, scope)
            _answers.put(key, hit)
    return hit


def _budget(conn: sa.Connection, scope: Scope) -> dict[str, Any]:
    from laser_policy.contracts.cities import HUBEI_DIVISIONS
    from laser_policy.ledger.records import PROVINCE_ZH, UNKNOWN_CITY_ZH

    def positive(column: sa.ColumnElement[Any]) -> tuple[Any, Any]:
        part = sa.case((column > 0, column), else_=0.0)
        return sa.func.coalesce(sa.func.sum(part), 0.0), sa.func.sum(sa.case((column > 0, 1),
                                                                             else_=0))

    query = (
        sa.select(_E.status, _E.payer_city, *positive(_E.province_wan), *positive(_E.city_wan))
        .where(scope.ledger_condition(ENTITLEMENTS), _E.status != "rejected")
        .group_by(_E.status, _E.payer_city)
    )
    groups = conn.execute(query).all()
    sums: dict[str, dict[str, float]] = {}
    for status, city, province_wan, province_n, city_wan, city_n in groups:
        for payer, amount, count in (
            (PROVINCE_ZH, province_wan, province_n),
            (city if city is not None else UNKNOWN_CITY_ZH, city_wan, city_n),
        ):
            if not count or not scope.sees_payer(_payer_key(str(payer))):
                continue
            line = sums.setdefault(
                str(payer), {"committed_wan": 0.0, "paid_wan": 0.0, "pending_wan": 0.0}
            )
            for key, statuses in BUDGET_STATUSES.items():
                if status in statuses:
                    line[key] += float(amount)
    # 省级 first, then the cities in the official order, then anything else
    # (``ledger.budget.sort_payers``)
    order = {PROVINCE_ZH: 0, **{c: i + 1 for i, c in enumerate(HUBEI_DIVISIONS)}}
    payers: list[dict[str, Any]] = [
        {"payer": payer, **{k: round(v, 2) for k, v in sums[payer].items()}}
        for payer in sorted(sums, key=lambda p: (order.get(p, len(order)), p))
    ]
    totals = {k: round(sum(p[k] for p in payers), 2) for k in BUDGET_STATUSES}
    return {"payers": payers, "totals": totals}


#: which statuses each budget column adds up
BUDGET_STATUSES = {
    "committed_wan": ("approved", "paid"),
    "paid_wan": ("paid",),
    "pending_wan": ("computed", "reviewed"),
}


def _payer_key(payer: str) -> str:
    from laser_policy.ledger.records import PROVINCE_ZH

    return "province" if payer == PROVINCE_ZH else payer


#: the largest ledger id (the ``entitlements.id`` column is a 32-bit integer on PostgreSQL)
MAX_ID = 2**31 - 1


def transition(url: str, scope: Scope, action: str, ids: list[int], reason: str = "") -> list[int]:
    """Move ``ids`` by ``action`` as the scope's user (all or nothing); LedgerError if refused."""
    from laser_policy.ledger.transitions import transition as move

    if action not in ACTIONS:
        raise InputError(f"未知操作 {action!r} / unknown action")
    bad = [i for i in ids if not 1 <= i <= MAX_ID]
    if bad:
        shown = ", ".join(str(i)[:30] for i in bad[:5])
        raise InputError(f"台账编号无效: {shown}（应为1至{MAX_ID}）/ invalid ledger id(s): {shown}")
    return move(url, ids, action, scope.principal.username, reason or None)


def parse_override(name: str, value: str) -> dict[str, Any]:
    from laser_policy.errors import UsageError
    from laser_policy.ledger.whatif import parse_assignments

    try:
        return parse_assignments([f"{name.strip()}={value}"])
    except UsageError as exc:
        raise InputError(str(exc)) from exc


def what_if(data: WebData, scope: Scope, name: str, value: str,
            model: PolicyModel) -> dict[str, Any]:
    """Baseline vs scenario per payer (scoped) and the firms whose money changes."""
    from laser_policy.errors import PolicyModelError
    from laser_policy.ledger.whatif import what_if as run

    overrides = parse_override(name, value)
    tables = engine_tables(data)
    if "enterprises" not in tables:
        raise InputError("没有可计算的数据 / no data to compute")
    try:
        result = run(tables, overrides, model=model)
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
