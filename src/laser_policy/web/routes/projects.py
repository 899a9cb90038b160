"""项目 Projects and 报告 Reports."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from laser_policy.errors import InputError
from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.render import render
from laser_policy.web.services import projects as svc

pages = APIRouter()
api = APIRouter(tags=["项目 projects / 报告 reports"])

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
Fmt = Annotated[Literal["docx", "pdf"], Path(description="docx 或 pdf")]
Year = Annotated[int | None, Query(ge=1990, le=2100, description="年度 / year")]


def _projects(state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    key = ("projects", data.version, scope.key)
    result: dict[str, Any] = state.cached(key, lambda: svc.projects(data, scope, state.model()))
    return result


@pages.get("/projects")
def projects_page(
    request: Request, *, state: State, data: Data, scope: UserScope, lang: Language
) -> Response:
    return render(
        request,
        "projects.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        pj=_projects(state, data, scope),
        active="projects",
    )


@api.get("/projects")
def api_projects(*, state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    """Major projects the caller may see: investment, completion, status, delay and reason."""
    return _projects(state, data, scope)


@pages.get("/reports")
def reports_page(request: Request, *, data: Data, scope: UserScope, lang: Language) -> Response:
    scope.require(scope.can_generate_reports)
    return render(
        request,
        "reports.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        years=svc.report_years(data),
        active="reports",
    )


async def _report(
    state: State, data: Data, scope: UserScope, fmt: str, year: int | None
) -> Response:
    scope.require(scope.can_generate_reports)
    years = svc.report_years(data)
    if not years:
        raise InputError("没有年度数据，无法生成报告 / no yearly data to report on")
    chosen = year if year is not None else years[0]
    if chosen not in years:
        raise InputError(f"数据中没有 {chosen} 年 / no data for {chosen}; years: {years}")
    body: bytes = await run_in_threadpool(
        state.cached,
        ("report", data.version, chosen, fmt),
        lambda: svc.monitoring_report(data, chosen, fmt, state.model()),
    )
    name = f"monitoring-{chosen}.{fmt}"
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@pages.get("/reports/monitoring.{fmt}")
async def report_download(
    *, state: State, data: Data, scope: UserScope, fmt: Fmt, year: Year = None
) -> Response:
    return await _report(state, data, scope, fmt, year)


@api.get(
    "/reports/monitoring.{fmt}",
    response_class=Response,
    responses={200: {"content": {MEDIA["docx"]: {}, MEDIA["pdf"]: {}}}},
)
async def api_report(
    *, state: State, data: Data, scope: UserScope, fmt: Fmt, year: Year = None
) -> Response:
    """The monitoring report (监测评估报告) for a year, as Word or PDF."""
    return await _report(state, data, scope, fmt, year)
