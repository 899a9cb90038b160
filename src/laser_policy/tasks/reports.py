"""Progress reports in and out of the store: validated, upserted, audited, all or nothing.

``submit`` checks every submission against the policy model first — the measure
exists and names units, the unit leads or shares that measure (a unit reports only
on measures it leads or shares), the period is well formed and has begun, the status
is known, the figures are named numbers — and raises one ``DataValidationError``
listing every problem before anything is written. Then, in one transaction, each
report is inserted, or updated when the unit already reported on that measure and
period (``revision`` + 1), with one ``audit_log`` row (before/after as JSON) per
change. A submission identical in content to the stored report changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from laser_policy.errors import (
    DataValidationError,
    InputError,
    NotFoundError,
    Problem,
)
from laser_policy.policy.model import PolicyModel
from laser_policy.policy.numerals import from_numeral
from laser_policy.store.db import make_engine, upgrade
from laser_policy.store.models import AUDIT_LOG, IMPORT_BATCHES
from laser_policy.tasks.items import item_figure_problems
from laser_policy.tasks.models import PROGRESS_REPORTS as PR
from laser_policy.tasks.models import STATUSES
from laser_policy.tasks.schedule import Period, ScheduleSettings, local_day

#: Chinese (and a few English) ways of writing each status
STATUS_ALIASES: dict[str, str] = {
    **{code: code for code in STATUSES},
    **{zh: code for code, zh in STATUSES.items()},
    "未启动": "not_started", "进行中": "in_progress", "推进中": "in_progress",
    "完成": "done", "已完成": "done", "受阻": "blocked", "阻滞": "blocked",
}
#: the fields of a submission, for locating problems (CLI option names by default)
CLI_FIELDS: dict[str, str] = {
    "measure": "--measure", "unit": "--unit", "period": "--period", "status": "--status",
    "narrative": "--narrative", "figures": "--figure", "attachments": "--attachment",
}
CONTENT = ("status", "narrative", "figures", "attachments")

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    name: str
    sha256: str

    @classmethod
    def of_file(cls, path: str | Path) -> Attachment:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"附件不存在 / attachment not found: {p}")
        digest = hashlib.sha256()
        with p.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return cls(p.name, digest.hexdigest())


@dataclass(frozen=True)
class Submission:
    """One progress report as a unit hands it in (values as typed; checked by ``submit``)."""

    measure: Any
    unit: Any
    period: Any
    status: Any
    narrative: Any = ""
    figures: Mapping[str, Any] = field(default_factory=dict)
    attachments: Sequence[Attachment] = ()
    #: where it came from, for problem messages: file, row and field → column label
    file: str = "tasks submit"
    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=lambda: CLI_FIELDS)


@dataclass(frozen=True)
class CheckedReport:
    measure: int
    unit: str
    period: Period
    status: str
    narrative: str
    figures: dict[str, float]
    attachments: list[dict[str, str]]


@dataclass
class SubmitResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    batch_id: int | None = None
    reports: list[dict[str, Any]] = field(default_factory=list)

    def summary_zh(self) -> str:
        return (f"新增 {self.inserted} 份、更新 {self.updated} 份、"
                f"未变 {self.unchanged} 份进展报告 / {self.inserted} inserted, "
                f"{self.updated} updated, {self.unchanged} unchanged")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_measure(value: Any, model: PolicyModel) -> int:
    """A measure number from 18, "18", "十八", "（十八）" or "措施十八"; NotFoundError if none."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().strip("（）() ").removeprefix("措施").strip("（）() 第条")
    number = int(text) if text.isdigit() else from_numeral(text)
    if number is None:
        raise NotFoundError(f"措施序号无法识别：{value!r}（应为 一 … 二十三 或 1 … 23） / "
                            f"unknown measure {value!r}")
    return model.measure(number).number


def parse_figures(text: str) -> dict[str, float]:
    """Named numbers from ``名称=数值`` pairs separated by ``;``/``；``/new lines.

    ``：`` and ``:`` may stand for ``=``; thousands separators are allowed.

    >>> parse_figures("兑现企业数=3；兑现金额（万元）：1,200.5")
    {'兑现企业数': 3.0, '兑现金额（万元）': 1200.5}
    """
    out: dict[str, float] = {}
    for part in re.split(r"[;；\n]+", text):
        if not part.strip():
            continue
        m = re.match(r"^\s*(.+?)\s*[=＝:：]\s*(.+?)\s*$", part)
        if m is None:
            raise InputError(f"主要数据应写作“名称=数值”：{part.strip()!r} / "
                             f"figures must be name=value pairs")
        out[m.group(1)] = _number(m.group(2))
    return out


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise InputError(f"不是数值 / not a number: {raw!r}")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        try:
            value = float(str(raw).replace(",", "").replace("，", "").strip())
        except ValueError:
            raise InputError(f"不是数值 / not a number: {raw!r}") from None
    if not math.isfinite(value):
        raise InputError(f"不是有限数值 / not a finite number: {raw!r}")
    return value


@dataclass
class _Checker:
    """Checks one submission field by field, collecting located problems."""

    sub: Submission
    model: PolicyModel
    now: dt.datetime
    problems: list[Problem] = field(default_factory=list)

    def bad(self, fld: str, rule: str, zh: str, en: str, value: Any) -> None:
        self.problems.append(Problem(self.sub.file, rule, zh, en, self.sub.row,
                                     self.sub.columns.get(fld, fld), value))

    def measure_and_unit(self) -> tuple[int | None, str | None]:
        sub, model = self.sub, self.model
        measure: int | None = None
        try:
            measure = parse_measure(sub.measure, model)
        except NotFoundError as exc:
            self.bad("measure", "measure", f"措施不存在：{exc}", "no such measure", sub.measure)
        unit: str | None = None
        try:
            unit = model.unit(str(sub.unit).strip()).name
        except NotFoundError:
            self.bad("unit", "unit", "单位不在政策文件的牵头/责任单位之中",
                     "not a unit of the policy", sub.unit)
        if measure is None:
            return None, unit
        m = model.measure(measure)
        if not m.units:
            self.bad("measure", "measure_has_no_units",
                     f"措施（{m.numeral}）未写牵头或责任单位，无需报送",
                     "this measure names no unit and takes no reports", sub.measure)
        elif unit is not None and unit not in m.units:
            self.bad("unit", "unit_not_responsible",
                     f"{unit}不是措施（{m.numeral}）{m.title}的牵头或责任单位，不能报送该措施进展；"
                     f"该措施的单位：{'、'.join(m.units)}",
                     f"{unit} neither leads nor shares measure {m.numeral} and cannot report "
                     "on it", sub.unit)
        return measure, unit

    def period(self) -> Period | None:
        raw = self.sub.period
        try:
            period = Period.parse(raw)
        except InputError as exc:
            self.bad("period", "period_format", str(exc), "bad period", raw)
            return None
        if period.start > local_day(self.now):
            self.bad("period", "period_not_begun",
                     f"报告期{period}尚未开始（{period.start}起），不能报送",
                     "the period has not begun", raw)
        elif period.end < self.model.effective.replace(month=1, day=1):
            self.bad("period", "period_before_policy",
                     f"报告期{period}早于政策施行（{self.model.effective}）",
                     "the period is before the policy took effect", raw)
        return period

    def status_and_narrative(self) -> tuple[str | None, str]:
        raw = self.sub.status
        status = STATUS_ALIASES.get(str(raw).strip().lower(), STATUS_ALIASES.get(str(raw).strip()))
        if status is None and _missing(raw):
            self.bad("status", "status_required", "请填写进展状态（未开始/推进中/已完成/受阻）",
                     "the status is required", raw)
        elif status is None:
            self.bad("status", "status",
                     f"进展状态应为 {'/'.join(STATUSES.values())}（或 {'/'.join(STATUSES)}）",
                     "status must be one of " + ", ".join(STATUSES), raw)
        narrative = "" if _missing(self.sub.narrative) else str(self.sub.narrative).strip()
        if not narrative and status not in (None, "not_started"):
            self.bad("narrative", "narrative_required", "请填写进展情况（未开始的可不填）",
                     "a narrative is required unless the status is not_started",
                     self.sub.narrative)
        return status, narrative

    def figures(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, value in self.sub.figures.items():
            try:
                if not str(name).strip():
                    raise InputError("数据名称为空 / empty figure name")
                out[str(name).strip()] = _number(value)
            except InputError as exc:
                self.bad("figures", "figure", f"主要数据“{name}”有误：{exc}", "bad figure", value)
        return out


def check(sub: Submission, model: PolicyModel, now: dt.datetime
          ) -> tuple[CheckedReport | None, list[Problem]]:
    """Validate one submission against the policy model; every problem, located."""
    ck = _Checker(sub, model, now)
    measure, unit = ck.measure_and_unit()
    period = ck.period()
    status, narrative = ck.status_and_narrative()
    figures = ck.figures()
    if measure is not None:
        for name, zh, en in item_figure_problems(model, measure, figures):
            ck.bad("figures", "task_item_figure", zh, en, f"{name}={figures[name]:g}")
    if ck.problems or measure is None or unit is None or period is None or status is None:
        return None, ck.problems
    attachments = [{"name": a.name, "sha256": a.sha256} for a in sub.attachments]
    return CheckedReport(measure, unit, period, status, narrative, figures, attachments), []


def submit(subs: Sequence[Submission], url: str | None = None, *, user: str,
           model: PolicyModel, settings: ScheduleSettings | None = None,
           now: dt.datetime | None = None, source: tuple[str, str] | None = None,
           prior: Sequence[Problem] = ()) -> SubmitResult:
    """Check every submission, then write them all in one transaction, or nothing.

    ``source`` (file, SHA-256) records an import batch the audit rows point to;
    ``prior`` are problems the caller already found (e.g. unreadable figures in a
    form), reported together with these.
    """
    settings = settings or ScheduleSettings.from_env()
    now = now or dt.datetime.now(dt.UTC)
    checked: list[CheckedReport] = []
    problems: list[Problem] = list(prior)
    seen: dict[tuple[int, str, str], Submission] = {}
    for sub in subs:
        report, found = check(sub, model, now)
        problems.extend(found)
        if report is None:
            continue
        key = (report.measure, report.unit, str(report.period))
        if key in seen:
            problems.append(Problem(
                sub.file, "duplicate", f"与第{seen[key].row}行重复（同一措施、单位、报告期）",
                "same measure, unit and period as an earlier row", sub.row,
                sub.columns.get("measure"), f"{report.measure}/{report.unit}/{report.period}"))
        seen[key] = sub
        checked.append(report)
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: p.row or 0))
    engine = make_engine(url, write=True)
    try:
        with engine.begin() as conn:
            upgrade(conn)
            return _write(conn, checked, user, settings, now, source)
    except sa.exc.DBAPIError as exc:
        # the driver's text (constraint names, SQL) goes to the log, not to the user
        _LOG.warning("progress reports not written: %s", exc.orig)
        raise InputError("数据库拒绝写入（如引用了不存在的记录），未作任何修改 / the database "
                         "refused the write (e.g. a reference to a missing row); nothing "
                         "was written") from exc
    finally:
        engine.dispose()


def _write(conn: Connection, reports: list[CheckedReport], user: str,
           settings: ScheduleSettings, now: dt.datetime, source: tuple[str, str] | None
           ) -> SubmitResult:
    result = SubmitResult()
    if source is not None:
        result.batch_id = conn.execute(sa.insert(IMPORT_BATCHES).values(
            source=source[0], sha256=source[1], user_name=user, imported_at=now, counts={},
        ).returning(IMPORT_BATCHES.c.id)).scalar_one()
    for r in reports:
        key = {"measure": r.measure, "unit": r.unit, "period": str(r.period)}
        old = conn.execute(sa.select(PR).where(*[PR.c[k] == v for k, v in key.items()])
                           .with_for_update()).mappings().first()
        content = {"status": r.status, "narrative": r.narrative, "figures": r.figures,
                   "attachments": r.attachments}
        if old is not None and all(old[c] == content[c] for c in CONTENT):
            result.unchanged += 1
            result.reports.append(_jsonable(dict(old)))
            continue
        values = {**key, **content, "submitted_by": user, "submitted_at": now,
                  "due_date": r.period.due(settings)}
        if old is None:
            values |= {"first_submitted_at": now, "revision": 1}
            new_id = conn.execute(sa.insert(PR).values(values).returning(PR.c.id)).scalar_one()
            result.inserted += 1
            action, before = "insert", None
        else:
            values |= {"first_submitted_at": old["first_submitted_at"],
                       "revision": old["revision"] + 1, "due_date": old["due_date"]}
            new_id = old["id"]
            conn.execute(sa.update(PR).where(PR.c.id == new_id).values(values))
            result.updated += 1
            action, before = "update", _jsonable(dict(old))
        after = _jsonable({"id": new_id, **values})
        result.reports.append(after)
        conn.execute(sa.insert(AUDIT_LOG).values(
            batch_id=result.batch_id, at=now, user_name=user, table_name=PR.name, key=key,
            action=action, before=before, after=after,
            source_sha256=source[1] if source else None))
    if result.batch_id is not None:
        conn.execute(sa.update(IMPORT_BATCHES).where(IMPORT_BATCHES.c.id == result.batch_id)
                     .values(counts={PR.name: {"inserted": result.inserted,
                                               "updated": result.updated,
                                               "unchanged": result.unchanged}}))
    return result


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, dt.datetime):
            out[k] = as_utc(v).isoformat()
        elif isinstance(v, dt.date):
            out[k] = v.isoformat()
        else:
            out[k] = v
    return out


def as_utc(value: dt.datetime) -> dt.datetime:
    """Stored datetimes are UTC; SQLite hands them back without a zone."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def list_reports(url: str | None = None, *, period: str | None = None,
                 unit: str | None = None, measure: int | None = None) -> list[dict[str, Any]]:
    """Stored reports (filtered), measure, unit and period order; none if no table yet."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(PR.name):
                return []
            q = sa.select(PR)
            if period is not None:
                q = q.where(PR.c.period == str(Period.parse(period)))
            if unit is not None:
                q = q.where(PR.c.unit == unit)
            if measure is not None:
                q = q.where(PR.c.measure == measure)
            q = q.order_by(PR.c.measure, PR.c.unit, PR.c.period)
            rows = [dict(r) for r in conn.execute(q).mappings()]
    finally:
        engine.dispose()
    for r in rows:
        for k in ("submitted_at", "first_submitted_at"):
            r[k] = as_utc(r[k])
    return rows


def audit_trail(url: str | None = None) -> list[dict[str, Any]]:
    """The audit rows of progress reports, oldest first (none in an empty database)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(AUDIT_LOG.name):
                return []
            q = (sa.select(AUDIT_LOG).where(AUDIT_LOG.c.table_name == PR.name)
                 .order_by(AUDIT_LOG.c.id))
            return [dict(r) for r in conn.execute(q).mappings()]
    finally:
        engine.dispose()
