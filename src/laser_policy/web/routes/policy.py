"""政策 Policy: the 23 measures, targets, parameters (assumptions marked 假设), funds,
mechanisms, task items, figures, chain items and named things, from the policy model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from laser_policy.web.deps import Data, Language, Policy, State, UserScope
from laser_policy.web.excel import to_xlsx, xlsx_response
from laser_policy.web.i18n import translate
from laser_policy.web.render import render
from laser_policy.web.schemas import Policy as PolicyOut
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
    # task items' progress (督办) only for those who may see the measures' flags
    progress = (
        task_item_flags(state.settings.database_url, data.package())
        if policy is not None and scope.can_see_measures
        else {}
    )
    return render(
        request,
        "policy.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        pol=_policy(policy, scope, lang),
        progress=progress,
        active="policy",
    )


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
