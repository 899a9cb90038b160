"""基金与担保 Funds and guarantees (measure 十八): the page and its JSON twin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.render import render
from laser_policy.web.services import funds as svc

pages = APIRouter()
api = APIRouter(tags=["基金与担保 funds"])


def _funds(state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    key = ("funds", data.version, scope.key)
    result: dict[str, Any] = state.cached(key, lambda: svc.funds_page(data, scope))
    return result


@pages.get("/funds")
def funds_page(
    request: Request, *, state: State, data: Data, scope: UserScope, lang: Language
) -> Response:
    return render(request, "funds.html", lang, user=scope.principal, synthetic=data.synthetic,
                  fd=_funds(state, data, scope), active="funds")


@api.get("/funds")
def api_funds(*, state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    """Fund deployment (per fund against its size, by purpose, city, segment), guarantees to
    laser firms (count, amount, defaults, default rate), attracted firms, related output —
    within the caller's scope."""
    return _funds(state, data, scope)
