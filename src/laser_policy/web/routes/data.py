"""数据 Data: upload a package (.xlsx or .zip of CSV) → validation report → import, template."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from laser_policy.contracts.tables import TABLES
from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.excel import xlsx_response
from laser_policy.web.render import render
from laser_policy.web.services import dataimport as svc

pages = APIRouter()
api = APIRouter(tags=["数据 data"])


def _page(
    request: Request,
    state: State,
    data: Data,
    scope: UserScope,
    lang: str,
    result: dict[str, Any] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    counts = svc.row_counts(state.settings.database_url)
    return render(
        request,
        "data.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        status_code=status_code,
        counts=[(name, TABLES[name].zh, n) for name, n in counts.items()],
        result=result,
        error=error,
        max_mb=svc.MAX_UPLOAD_BYTES // (1024 * 1024),
        read_only=str(state.settings.data_path or ""),
        active="data",
    )


async def _upload(request: Request, state: State, scope: UserScope, file: UploadFile) -> Any:
    from laser_policy.errors import InputError

    if state.settings.data_path is not None:
        # the pages show a package folder: an import into the database would never show up
        folder = state.settings.data_path
        raise InputError(
            f"本服务直接展示数据包 {folder}（只读），不能上传导入；请以数据库方式启动"
            f"（laser-policy serve --db URL）后上传 / this server shows the package {folder} "
            "read-only: start it on a database (serve --db URL) to upload"
        )
    body = await file.read(svc.MAX_UPLOAD_BYTES + 1)
    name = file.filename or "upload"
    request.state.audit_target = f"upload {name}"[:500]
    result = await run_in_threadpool(
        svc.upload, name, body, state.settings.database_url, scope.principal.username
    )
    if result["ok"] and result["batch_id"] is not None:
        await run_in_threadpool(state.data.reload)
    return result


@pages.get("/data")
def data_page(
    request: Request, *, state: State, data: Data, scope: UserScope, lang: Language
) -> Response:
    scope.require(scope.can_import_data)
    return _page(request, state, data, scope, lang)


@pages.post("/data/upload")
async def upload_page(
    request: Request,
    file: UploadFile,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    lang: Language,
) -> Response:
    scope.require(scope.can_import_data)
    from laser_policy.errors import InputError

    try:
        result = await _upload(request, state, scope, file)
    except InputError as exc:
        return _page(request, state, data, scope, lang, error=str(exc), status_code=400)
    return _page(
        request, state, data, scope, lang, result=result, status_code=200 if result["ok"] else 422
    )


@pages.get("/data/template.xlsx")
def template(*, scope: UserScope) -> Response:
    body = svc.template_bytes()
    return xlsx_response(body, "laser-policy-template.xlsx")


@api.get("/data")
def api_data(*, state: State, scope: UserScope) -> dict[str, Any]:
    """Rows in each of the database's data tables."""
    scope.require(scope.can_import_data)
    return {"counts": svc.row_counts(state.settings.database_url)}


@api.post("/data/upload", responses={422: {"description": "校验未通过，未导入 / invalid"}})
async def api_upload(
    request: Request, file: UploadFile, *, state: State, scope: UserScope
) -> Response:
    """Validate a package (.xlsx or .zip); import it all or nothing when clean."""
    scope.require(scope.can_import_data)
    result = await _upload(request, state, scope, file)
    return JSONResponse(result, status_code=200 if result["ok"] else 422)
