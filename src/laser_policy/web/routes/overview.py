"""总览 Overview."""

from __future__ import annotations

from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import Response

from laser_policy.web.deps import Data, Entitlements, Language, Policy, State, UserScope
from laser_policy.web.render import render
from laser_policy.web.schemas import Overview
from laser_policy.web.services.overview import overview

pages = APIRouter()
api = APIRouter(tags=["总览 overview"])


def _overview(
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    *,
    lang: str,
    entitlements: pd.DataFrame | None,
) -> dict[str, Any]:
    key = ("overview", data.version, scope.key, lang)
    result: dict[str, Any] = state.cached(
        key,
        lambda: overview(
            data, scope, policy, lang, model=state.model(), entitlements=entitlements,
            memo=state.cached,
        ),
    )
    return result


@pages.get("/")
def overview_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    lang: Language,
    entitlements: Entitlements,
) -> Response:
    ov = _overview(state, data, scope, policy, lang=lang, entitlements=entitlements)
    return render(
        request,
        "overview.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        ov=ov,
        active="overview",
    )


@api.get("/overview", response_model=Overview)
def api_overview(
    *,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    lang: Language,
    entitlements: Entitlements,
) -> dict[str, Any]:
    """Targets with actuals, the map by city, the enterprise ladder, money due by payer
    (within the caller's scope)."""
    return _overview(state, data, scope, policy, lang=lang, entitlements=entitlements)
