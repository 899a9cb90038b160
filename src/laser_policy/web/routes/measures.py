"""措施 Measures: units, progress reports, red/amber/green flags; submit a report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from laser_policy.errors import DataValidationError, InputError
from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.render import render
from laser_policy.web.services import measures as svc

pages = APIRouter()
api = APIRouter(tags=["措施 measures"])

FLASH = "flash"
PeriodQ = Annotated[str, Query(max_length=20, description="报告期，如 2025Q3 / period")]


class ReportRequest(BaseModel):
    measure: str = Field(max_length=20, description="措施序号 1…23 或 十八")
    period: str = Field(max_length=20, description="2025Q3 / 2025H1 / 2025")
    status: str = Field(max_length=20, description="not_started/in_progress/done/blocked")
    narrative: str = Field(default="", max_length=5000)
    figures: str = Field(default="", max_length=2000, description="名称=数值；…")
    unit: str = Field(default="", max_length=100, description="单位（部门账号可不填）")


def _problems_text(exc: DataValidationError) -> str:
    return "\n".join(p.format("zh") for p in exc.problems)


@pages.get("/measures")
def measures_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    lang: Language,
    period: PeriodQ = "",
) -> Response:
    scope.require(scope.can_see_measures)
    try:
        ov = svc.overview(state.settings.database_url, data, scope, period, state.cached,
                          model=state.model())
    except InputError as exc:
        request.session[FLASH] = {"kind": "error", "text": str(exc)}
        ov = svc.overview(state.settings.database_url, data, scope, memo=state.cached,
                          model=state.model())
    return render(
        request,
        "measures.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        ov=ov,
        flash=request.session.pop(FLASH, None),
        active="measures",
    )


@pages.post("/measures/report")
async def report_page(request: Request, *, state: State, scope: UserScope) -> Response:
    scope.require(scope.can_see_measures)
    form = await request.form()
    fields = {k: str(form.get(k, "")) for k in ReportRequest.model_fields}
    request.state.audit_target = f"measure {fields['measure']} {fields['period']}"
    try:
        text = await run_in_threadpool(
            svc.submit, state.settings.database_url, scope, fields, state.model()
        )
        request.session[FLASH] = {"kind": "ok", "text": text}
    except DataValidationError as exc:
        request.session[FLASH] = {"kind": "error", "text": _problems_text(exc)}
    except InputError as exc:
        request.session[FLASH] = {"kind": "error", "text": str(exc)}
    return RedirectResponse("/measures", status_code=303)


@api.get("/measures")
def api_measures(
    *, state: State, data: Data, scope: UserScope, period: PeriodQ = ""
) -> dict[str, Any]:
    """The 23 measures: units, flags (red/amber/green with reasons), latest reports."""
    scope.require(scope.can_see_measures)
    return svc.overview(state.settings.database_url, data, scope, period, state.cached,
                        model=state.model())


@api.post(
    "/measures/reports",
    responses={
        403: {"description": "无权 / not your measure"},
        400: {"description": "报告有误 / invalid"},
    },
)
def api_report(
    request: Request, body: ReportRequest, *, state: State, scope: UserScope
) -> dict[str, Any]:
    """Submit a progress report on a measure the caller leads or shares."""
    scope.require(scope.can_see_measures)
    request.state.audit_target = f"measure {body.measure} {body.period}"
    try:
        text = svc.submit(state.settings.database_url, scope, body.model_dump(), state.model())
    except DataValidationError as exc:
        raise InputError(_problems_text(exc)) from exc
    return {"ok": True, "message": text}
