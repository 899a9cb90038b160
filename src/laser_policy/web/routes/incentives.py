"""奖补 Incentives: the ledger — compute, review → approve → paid, reject, budget, what-if."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from laser_policy.errors import InputError, LedgerError, NotFoundError
from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.excel import xlsx_response
from laser_policy.web.render import render
from laser_policy.web.services import ledger as svc

pages = APIRouter()
api = APIRouter(tags=["奖补 incentives"])

FLASH = "flash"
Status = Annotated[str, Query(max_length=20, description="状态 / status")]
Incentive = Annotated[str, Query(max_length=40, description="奖补项目 / incentive")]
City = Annotated[str, Query(max_length=50, description="承担市州 / paying city")]
Year = Annotated[int | None, Query(ge=1990, le=2100, description="年度 / year")]
ParamName = Annotated[str, Query(max_length=100, description="参数名 / parameter name")]
ParamValue = Annotated[str, Query(max_length=200, description="参数值 / value")]


class TransitionRequest(BaseModel):
    action: str = Field(pattern="^(review|approve|pay|reject)$")
    ids: list[int] = Field(min_length=1, max_length=10_000)
    reason: str = Field(default="", max_length=500)


def _filters(status: str, incentive: str, city: str, year: int | None) -> svc.Filters:
    return svc.Filters(
        status if status in svc.STATUSES else "",
        incentive if incentive in svc.INCENTIVES else "",
        city,
        year,
    )


@pages.get("/incentives")
def incentives_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    lang: Language,
    status: Status = "",
    incentive: Incentive = "",
    city: City = "",
    year: Year = None,
    wi_name: ParamName = "",
    wi_value: ParamValue = "",
) -> Response:
    url = state.settings.database_url
    listing = svc.entitlements(url, scope, _filters(status, incentive, city, year))
    whatif: dict[str, Any] | None = None
    whatif_error = ""
    if wi_name and scope.can_run_what_if:
        try:
            whatif = svc.what_if(data, scope, wi_name, wi_value)
        except InputError as exc:
            whatif_error = str(exc)
    policy = state.policy()
    params = sorted(p.name for p in policy.parameters) if policy is not None else []
    return render(
        request,
        "incentives.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        listing=listing,
        budget=svc.budget(url, scope),
        whatif=whatif,
        whatif_error=whatif_error,
        wi_name=wi_name,
        wi_value=wi_value,
        params=params,
        statuses=svc.STATUSES,
        incentives=svc.INCENTIVES,
        can_decide=scope.can_decide_incentives,
        can_what_if=scope.can_run_what_if,
        flash=request.session.pop(FLASH, None),
        active="incentives",
    )


def _back(request: Request) -> RedirectResponse:
    referer = request.headers.get("referer", "")
    target = "/incentives"
    marker = "/incentives?"
    if marker in referer:
        target = referer[referer.index(marker) :]
    return RedirectResponse(target, status_code=303)


@pages.post("/incentives/compute")
async def compute_page(request: Request, *, state: State, data: Data, scope: UserScope) -> Response:
    scope.require(scope.can_decide_incentives)
    try:
        run = await run_in_threadpool(
            svc.compute_into_ledger, data, state.settings.database_url, scope.principal.username
        )
        request.session[FLASH] = {"kind": "ok", "text": run["message"]}
        request.state.audit_target = f"ledger run #{run['run_id']}"
    except (InputError, LedgerError) as exc:
        request.session[FLASH] = {"kind": "error", "text": str(exc)}
    return _back(request)


@pages.post("/incentives/transition")
async def transition_page(request: Request, *, state: State, scope: UserScope) -> Response:
    scope.require(scope.can_decide_incentives)
    form = await request.form()
    action = str(form.get("action", ""))
    reason = str(form.get("reason", ""))
    try:
        ids = [int(str(i)) for i in form.getlist("ids")]
    except ValueError:
        ids = []
    request.state.audit_target = f"{action} {','.join(map(str, ids))}"[:500]
    try:
        done = await run_in_threadpool(
            svc.transition, state.settings.database_url, scope, action, ids, reason
        )
        request.session[FLASH] = {
            "kind": "ok",
            "action": action,
            "text": ", ".join(f"#{i}" for i in done),
        }
    except (InputError, LedgerError, NotFoundError) as exc:
        request.session[FLASH] = {"kind": "error", "text": str(exc)}
    return _back(request)


@pages.get("/incentives/approved.xlsx")
def approved_export(*, state: State, scope: UserScope) -> Response:
    scope.require(scope.can_decide_incentives)
    body = svc.approved_xlsx(state.settings.database_url)
    return xlsx_response(body, "approved.xlsx")


@api.get("/incentives")
def api_incentives(
    *,
    state: State,
    scope: UserScope,
    status: Status = "",
    incentive: Incentive = "",
    city: City = "",
    year: Year = None,
) -> dict[str, Any]:
    """The ledger's entitlements the caller may see (filters: status, incentive, city, year)."""
    return svc.entitlements(
        state.settings.database_url, scope, _filters(status, incentive, city, year)
    )


@api.get("/incentives/budget")
def api_budget(*, state: State, scope: UserScope) -> dict[str, Any]:
    """Budget by payer (省级 and cities): committed, paid, pending — within the caller's scope."""
    return svc.budget(state.settings.database_url, scope)


@api.get("/incentives/whatif", responses={400: {"description": "参数无效 / invalid"}})
def api_whatif(
    *, data: Data, scope: UserScope, name: ParamName, value: ParamValue
) -> dict[str, Any]:
    """What-if: one policy parameter changed; budget difference per payer, affected firms."""
    scope.require(scope.can_run_what_if)
    return svc.what_if(data, scope, name, value)


@api.post("/incentives/compute", responses={403: {"description": "无权 / forbidden"}})
def api_compute(request: Request, *, state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    """Compute the current data into the ledger (new entitlements only)."""
    scope.require(scope.can_decide_incentives)
    run = svc.compute_into_ledger(data, state.settings.database_url, scope.principal.username)
    request.state.audit_target = f"ledger run #{run['run_id']}"
    return run


@api.post(
    "/incentives/transition",
    responses={
        403: {"description": "无权 / forbidden"},
        409: {"description": "台账拒绝 / refused, nothing changed"},
    },
)
def api_transition(
    request: Request, body: TransitionRequest, *, state: State, scope: UserScope
) -> dict[str, Any]:
    """review / approve / pay / reject (with reason) a set of entitlements, all or nothing."""
    scope.require(scope.can_decide_incentives)
    request.state.audit_target = f"{body.action} {','.join(map(str, body.ids))}"[:500]
    done = svc.transition(state.settings.database_url, scope, body.action, body.ids, body.reason)
    return {"action": body.action, "ids": done}
