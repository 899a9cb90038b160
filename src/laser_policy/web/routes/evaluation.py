"""政策效果评估 Evaluation (二十三): did an incentive change what the supported firms did next?"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.render import render
from laser_policy.web.services import evaluation as svc

pages = APIRouter()
api = APIRouter(tags=["政策效果评估 evaluation"])

Incentive = Annotated[str, Query(max_length=40, description="奖补项目 / incentive id")]
Outcome = Annotated[str, Query(max_length=40, description="结果指标 / outcome column")]


def _view(state: State, data: Data, incentive: str, outcome: str, lang: str) -> dict[str, Any]:
    svc.check_choice(incentive, outcome)
    result = state.cached(("evaluation", data.version, incentive, outcome),
                          lambda: svc.compute(data, incentive, outcome, state.model()))
    return svc.view(result, incentive, outcome, lang)


@pages.get("/evaluation")
def evaluation_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    lang: Language,
    incentive: Incentive = "first_set",
    outcome: Outcome = "revenue_wan",
) -> Response:
    scope.require(scope.can_see_evaluation)
    ev = _view(state, data, incentive, outcome, lang)
    return render(request, "evaluation.html", lang, user=scope.principal,
                  synthetic=data.synthetic, ev=ev, active="evaluation")


@api.get("/evaluation", responses={400: {"description": "参数无效 / invalid choice"}})
def api_evaluation(
    *,
    state: State,
    data: Data,
    scope: UserScope,
    lang: Language,
    incentive: Incentive = "first_set",
    outcome: Outcome = "revenue_wan",
) -> dict[str, Any]:
    """The effect of an incentive on an outcome (log points; ``effect_pct`` in %), its 95 %
    interval, the firms compared, the event study (``by_year``), the pre-trend test, the
    caveats (``warnings``) and the assumptions, worded in the request's language."""
    scope.require(scope.can_see_evaluation)
    return _view(state, data, incentive, outcome, lang)
