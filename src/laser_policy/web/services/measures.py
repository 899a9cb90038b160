"""措施 Measures: the 23 measures, their units, progress reports and red/amber/green flags.

Flags come from ``laser_policy.tasks.flags.compute_flags`` for one reporting period
(by default the latest period that has ended), checked against the current data
snapshot for contradictions ("reported done, but the data says otherwise").
Reports are submitted with ``laser_policy.tasks.reports.submit`` (validated, all or
nothing, audited); who may report on which measure is decided by ``Scope``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from laser_policy.errors import InputError
from laser_policy.web.access import ForbiddenError, Scope
from laser_policy.web.data import WebData, shared_engine

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel



def _period(text: str) -> Any:
    from laser_policy.tasks.schedule import Period, ScheduleSettings, latest_ended

    if text.strip():
        return Period.parse(text)
    return latest_ended(dt.date.today(), ScheduleSettings.from_env().frequency)


def _when(value: Any) -> str | None:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else None


def _compute(_key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    return compute()


def reports_token(reports: list[dict[str, Any]]) -> tuple[Any, ...]:
    """Changes whenever a stored report does (new, revised, re-submitted)."""
    return tuple(sorted((str(r["measure"]), str(r["unit"]), str(r["period"]),
                         str(r.get("revision")), str(r["submitted_at"])) for r in reports))


def reports_version(url: str) -> tuple[Any, ...] | None:
    """A cheap token of the stored progress reports (one aggregate query): it changes
    with every new report (the count) and every revision (the sum of revisions and the
    latest submission time); None before the table exists."""
    import sqlalchemy as sa

    from laser_policy.tasks.models import PROGRESS_REPORTS as PR

    query = sa.select(sa.func.count(), sa.func.max(PR.c.submitted_at),
                      sa.func.coalesce(sa.func.sum(PR.c.revision), 0))
    try:
        with shared_engine(url).connect() as conn:
            count, last, revisions = conn.execute(query).one()
    except sa.exc.SQLAlchemyError:
        return None
    return int(count), str(last), int(revisions)


def stored_reports(
    url: str, memo: Callable[[tuple[Any, ...], Callable[[], Any]], Any] = _compute
) -> list[dict[str, Any]]:
    """The stored progress reports (``tasks.reports.list_reports``), read again only when
    ``reports_version`` says they changed (``memo``: the app's cache). Read only."""
    from laser_policy.tasks.reports import list_reports

    reports: list[dict[str, Any]] = memo(
        ("progress-reports", url, reports_version(url)), lambda: list_reports(url)
    )
    return reports


def overview(url: str, data: WebData, scope: Scope, period_text: str = "",
             memo: Callable[[tuple[Any, ...], Callable[[], Any]], Any] = _compute, *,
             model: PolicyModel) -> dict[str, Any]:
    """Every measure with its units, flags for the period and latest reports.

    The flags (their contradiction checks run the incentive engine over the data) are
    computed once per data snapshot, period, day and set of stored reports (``memo``:
    the app's cache, keyed by all of these, so a new report or import is seen at once)."""
    from laser_policy.tasks.flags import compute_flags
    from laser_policy.tasks.models import STATUSES
    from laser_policy.tasks.schedule import ScheduleSettings

    period = _period(period_text)
    settings = ScheduleSettings.from_env()
    reports = stored_reports(url, memo)
    today = dt.date.today()
    flags = memo(
        ("measure-flags", data.version, model.version, str(period), today, settings,
         reports_token(reports)),
        lambda: compute_flags(model, reports, period, today, data.package(), settings),
    )
    latest: dict[int, list[dict[str, Any]]] = {}
    for r in sorted(reports, key=lambda r: (r["period"], r["submitted_at"]), reverse=True):
        rows = latest.setdefault(int(r["measure"]), [])
        if any(x["unit"] == r["unit"] for x in rows):
            continue  # one report per unit: its newest
        rows.append(
            {
                "unit": r["unit"],
                "period": r["period"],
                "status": r["status"],
                "status_zh": STATUSES.get(str(r["status"]), str(r["status"])),
                "narrative": r["narrative"],
                "figures": r.get("figures") or {},
                "submitted_at": _when(r["submitted_at"]),
            }
        )
    measures = []
    for m in model.measures:
        mine = [f for f in flags if f.measure == m.number]
        worst = max((f.colour for f in mine), key=["green", "amber", "red"].index, default=None)
        measures.append(
            {
                "number": m.number,
                "numeral": m.numeral,
                "chapter": m.chapter,
                "title": m.title,
                "lead_units": list(m.lead_units),
                "responsible_units": list(m.responsible_units),
                "colour": worst,
                "can_report": bool(m.units)
                and scope.can_report_measure(m.lead_units, m.responsible_units),
                "flags": [
                    {
                        k: v
                        for k, v in f.to_dict().items()
                        if k
                        in (
                            "unit",
                            "role",
                            "colour",
                            "colour_zh",
                            "status",
                            "status_zh",
                            "reason",
                            "due_date",
                        )
                    }
                    for f in mine
                ],
                "reports": latest.get(m.number, []),
            }
        )
    counts = {c: sum(1 for f in flags if f.colour == c) for c in ("red", "amber", "green")}
    return {
        "period": str(period),
        "period_zh": period.label_zh,
        "counts": counts,
        "statuses": STATUSES,
        "measures": measures,
    }


def submit(url: str, scope: Scope, form: dict[str, str], model: PolicyModel) -> str:
    """Submit one progress report; ``ForbiddenError`` for a measure the user may not report."""
    from laser_policy.tasks.reports import Submission, parse_figures, parse_measure
    from laser_policy.tasks.reports import submit as store

    try:
        number = parse_measure(form.get("measure", ""), model)
    except LookupError as exc:
        raise InputError(f"措施不存在 / no such measure: {form.get('measure')!r}") from exc
    m = model.measure(number)
    who = scope.principal.unit or scope.principal.username
    refused = ForbiddenError(
        f"{who} 不是措施（{m.numeral}）的牵头或责任单位 / neither leads nor shares this measure"
    )
    if not scope.can_report_measure(m.lead_units, m.responsible_units):
        raise refused
    unit = scope.principal.unit if scope.principal.unit else form.get("unit", "").strip()
    if scope.principal.unit and form.get("unit") and form["unit"] != scope.principal.unit:
        raise refused
    figures = parse_figures(form.get("figures", ""))
    sub = Submission(
        measure=number,
        unit=unit,
        period=form.get("period", ""),
        status=form.get("status", ""),
        narrative=form.get("narrative", ""),
        figures=figures,
        file="网页表单 / web form",
    )
    result = store([sub], url, user=scope.principal.username, model=model)
    return f"措施（{m.numeral}）{unit}：{result.summary_zh()}"
