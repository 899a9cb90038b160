"""奖补 Incentives: the ledger — compute, review → approve → paid, reject, budget, what-if."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from laser_policy.errors import InputError, LedgerError, NotFoundError
from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.excel import xlsx_response
from laser_policy.web.render import render
from laser_policy.web.schemas import LedgerList
from laser_policy.web.services import ledger as svc

pages = APIRouter()
api = APIRouter(tags=["奖补 incentives"])

FLASH = "flash"
Status = Annotated[str, Query(max_length=20, description="状态 / status")]
Incentive = Annotated[str, Query(max_length=40, description="奖补项目 / incentive")]
City = Annotated[str, Query(max_length=50, description="承担市州 / paying city")]
Year = Annotated[int | None, Query(ge=1990, le=2100, description="年度 / year")]
Search = Annotated[
    str, Query(max_length=100, description="企业名称或信用代码 / name or credit code")
]
Page = Annotated[int, Query(ge=1, le=svc.MAX_PAGE, description="页码（从1起） / page, from 1")]
PerPage = Annotated[int, Query(ge=1, le=svc.MAX_PER_PAGE, description="每页条数 / rows per page")]
#: the page sizes offered in the page's filter form
PER_PAGE_CHOICES = (50, 100, 200, 500)
#: page links shown on each side of the current page
PAGER_WINDOW = 2
ParamName = Annotated[str, Query(max_length=100, description="参数名 / parameter name")]
ParamValue = Annotated[str, Query(max_length=200, description="参数值 / value")]


class TransitionRequest(BaseModel):
    action: str = Field(pattern="^(review|approve|pay|reject)$")
    ids: list[Annotated[int, Field(ge=1, le=svc.MAX_ID)]] = Field(min_length=1, max_length=10_000)
    reason: str = Field(default="", max_length=500)


def _filters(status: str, incentive: str, city: str, year: int | None, q: str = "",
             incentives: tuple[str, ...] = ()) -> svc.Filters:
    return svc.Filters(
        status if status in svc.STATUSES else "",
        incentive if incentive in incentives else "",
        city,
        year,
        q,
    )


def page_numbers(page: int, pages: int, window: int = PAGER_WINDOW) -> list[int | None]:
    """The page links to show: first, last, and ``window`` either side (None = a gap).

    >>> page_numbers(6, 20)
    [1, None, 4, 5, 6, 7, 8, None, 20]
    >>> page_numbers(1, 3)
    [1, 2, 3]
    """
    shown = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def pager(listing: dict[str, Any], per_page_default: int = svc.DEFAULT_PER_PAGE) -> dict[str, Any]:
    """Links to the other pages of ``listing`` that keep its filters and page size."""
    query = {k: v for k, v in listing["filters"].items() if v not in ("", None)}
    if listing["per_page"] != per_page_default:
        query["per_page"] = listing["per_page"]

    def link(n: int) -> str:
        return "/incentives?" + urlencode({**query, "page": n})

    page, pages = listing["page"], listing["pages"]
    return {
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
        "numbers": [(n, link(n) if n is not None else None) for n in page_numbers(page, pages)],
    }


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
    q: Search = "",
    page: Page = 1,
    per_page: PerPage = svc.DEFAULT_PER_PAGE,
    wi_name: ParamName = "",
    wi_value: ParamValue = "",
) -> Response:
    url = state.settings.database_url
    listing = svc.entitlements(
        url, scope, _filters(status, incentive, city, year, q, svc.incentive_ids(state.models())),
        svc.Paging(page, per_page),
    )
    whatif: dict[str, Any] | None = None
    whatif_error = ""
    if wi_name and scope.can_run_what_if:
        try:
            whatif = svc.what_if(data, scope, wi_name, wi_value, state.model())
        except InputError as exc:
            whatif_error = str(exc)
    policy = state.policy()
    # each parameter with its current value, unit and clause (from the model) for the picker
    params = sorted(policy.parameters, key=lambda p: p.name) if policy is not None else []
    return render(
        request,
        "incentives.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        listing=listing,
        pager=pager(listing),
        per_page_choices=sorted({*PER_PAGE_CHOICES, listing["per_page"]}),
        budget=svc.budget(url, scope),
        whatif=whatif,
        whatif_error=whatif_error,
        wi_name=wi_name,
        wi_value=wi_value,
        params=params,
        statuses=svc.STATUSES,
        incentives=svc.incentive_ids(state.models()),
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
            svc.compute_into_ledger, data, state.settings.database_url, scope.principal.username,
            state.model(),
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


@api.get("/incentives", response_model=LedgerList)
def api_incentives(
    *,
    state: State,
    scope: UserScope,
    status: Status = "",
    incentive: Incentive = "",
    city: City = "",
    year: Year = None,
    q: Search = "",
    page: Page = 1,
    per_page: PerPage = svc.DEFAULT_PER_PAGE,
) -> dict[str, Any]:
    """One page of the ledger's entitlements the caller may see, in id order.

    Filters: status, incentive, city (payer), year, q (name or credit code). ``total``,
    ``amount_wan`` and ``totals`` cover every matching row, not just the page; a page
    past the last is answered with the last page (``page`` says which).
    """
    return svc.entitlements(
        state.settings.database_url,
        scope,
        _filters(status, incentive, city, year, q, svc.incentive_ids(state.models())),
        svc.Paging(page, per_page),
    )


@api.get("/incentives/budget")
def api_budget(*, state: State, scope: UserScope) -> dict[str, Any]:
    """Budget by payer (省级 and cities): committed, paid, pending — within the caller's scope."""
    return svc.budget(state.settings.database_url, scope)


@api.get("/incentives/whatif", responses={400: {"description": "参数无效 / invalid"}})
def api_whatif(
    *, state: State, data: Data, scope: UserScope, name: ParamName, value: ParamValue
) -> dict[str, Any]:
    """What-if: one policy parameter changed; budget difference per payer, affected firms."""
    scope.require(scope.can_run_what_if)
    return svc.what_if(data, scope, name, value, state.model())


@api.post("/incentives/compute", responses={403: {"description": "无权 / forbidden"}})
def api_compute(request: Request, *, state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    """Compute the current data into the ledger (new entitlements only)."""
    scope.require(scope.can_decide_incentives)
    run = svc.compute_into_ledger(data, state.settings.database_url, scope.principal.username,
                                  state.model())
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
