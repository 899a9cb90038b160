"""政策 Policy: the 23 measures, targets, parameters (assumptions marked 假设), funds,
mechanisms, task items, figures, chain items and named things, from the policy model;
and a model drafted from an uploaded document (``POST /policy/draft``), nothing stored."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from laser_policy.errors import InputError
from laser_policy.web.deps import Data, Language, Policy, State, UserScope
from laser_policy.web.excel import to_xlsx, xlsx_response
from laser_policy.web.i18n import translate
from laser_policy.web.render import render
from laser_policy.web.schemas import Policy as PolicyOut
from laser_policy.web.schemas import PolicyDraft
from laser_policy.web.services import policy_draft
from laser_policy.web.services.policy import measures_view, task_item_flags

pages = APIRouter()
api = APIRouter(tags=["政策 policy"])


def _policy(policy: Policy, scope: UserScope, lang: str) -> dict[str, Any]:
    if policy is None:
        return {
            "available": False,
            "version": None,
            "doc_number": None,
            "title": None,
            "measures": [],
            "targets": [],
            "parameters": [],
            "provisions": None,
        }
    return {
        "available": True,
        "version": policy.version,
        "doc_number": policy.doc_number,
        "title": policy.title,
        "measures": measures_view(policy, scope.can_report_measure),
        "targets": [
            {
                "id": t.id,
                "label": t.label(lang),
                "clause": t.clause,
                "unit": t.unit,
                "values": t.values,
            }
            for t in policy.targets
        ],
        "parameters": [
            {
                "name": p.name,
                "label": p.label,
                "unit": p.unit,
                "clause": p.clause,
                "note": p.note,
                "value": p.value,
                "assumption": p.assumption,
            }
            for p in policy.parameters
        ],
        "provisions": policy.provisions,
    }


def _page(
    request: Request,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    lang: str,
    draft: dict[str, Any] | None = None,
    draft_error: str = "",
    status_code: int = 200,
) -> Response:
    # task items' progress (督办) only for those who may see the measures' flags
    progress = (
        task_item_flags(state.settings.database_url, data, state.model(), state.cached)
        if policy is not None and scope.can_see_measures
        else {}
    )
    return render(
        request,
        "policy.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        status_code=status_code,
        pol=_policy(policy, scope, lang),
        progress=progress,
        can_draft=scope.can_draft_policy,
        draft=draft,
        draft_error=draft_error,
        draft_max_mb=policy_draft.MAX_DOCUMENT_BYTES // (1024 * 1024),
        active="policy",
    )


@pages.get("/policy")
def policy_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    lang: Language,
) -> Response:
    return _page(request, state, data, scope, policy, lang)


async def _draft(request: Request, scope: UserScope, file: UploadFile) -> dict[str, Any]:
    scope.require(scope.can_draft_policy)
    body = await file.read(policy_draft.MAX_DOCUMENT_BYTES + 1)
    name = file.filename or "upload.txt"
    request.state.audit_target = f"policy draft {name}"[:500]
    return await run_in_threadpool(policy_draft.draft_upload, name, body)


@pages.post("/policy/draft")
async def draft_page(
    request: Request,
    file: UploadFile,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    lang: Language,
) -> Response:
    try:
        result = await _draft(request, scope, file)
    except InputError as exc:
        return _page(
            request, state, data, scope, policy, lang, draft_error=str(exc), status_code=400
        )
    # the folder goes back inside the page (a data: link): nothing is kept on the server
    result["zip_href"] = "data:application/zip;base64," + base64.b64encode(
        result.pop("zip")
    ).decode("ascii")
    return _page(request, state, data, scope, policy, lang, draft=result)


@pages.get("/policy/measures.xlsx")
def measures_export(*, scope: UserScope, policy: Policy, lang: Language) -> Response:
    pol = _policy(policy, scope, lang)
    columns = [
        ("number", translate("policy.number", lang)),
        ("title", translate("policy.measure", lang)),
        ("lead_units", translate("policy.lead", lang)),
        ("responsible_units", translate("policy.responsible", lang)),
    ]
    body = to_xlsx(translate("policy.measures", lang), columns, pol["measures"])
    return xlsx_response(body, "measures.xlsx")


@api.get("/policy", response_model=PolicyOut)
def api_policy(*, scope: UserScope, policy: Policy, lang: Language) -> dict[str, Any]:
    """The policy model: measures (with ``mine`` for the caller's unit), targets, parameters."""
    return _policy(policy, scope, lang)


@api.post(
    "/policy/draft",
    response_model=PolicyDraft,
    responses={400: {"description": "不是可起草的政策文本 / not a document to draft from"}},
)
async def api_draft(request: Request, file: UploadFile, *, scope: UserScope) -> dict[str, Any]:
    """Draft a policy model from an uploaded ``.txt`` document (nothing is stored):
    document number, title, the number of measures and the items to confirm."""
    result = await _draft(request, scope, file)
    return {
        "doc_number": result["doc_number"],
        "title": result["title"],
        "measures": len(result["measures"]),
        "review": result["review"],
    }
