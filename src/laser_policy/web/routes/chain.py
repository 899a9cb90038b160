"""产业链 Chain: local supply (chart + table), weak links, attraction targets, matchmaking."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from laser_policy.errors import InputError
from laser_policy.policy.model import region_of
from laser_policy.web.deps import Data, Language, State, UserScope
from laser_policy.web.render import render
from laser_policy.web.services import chain as svc

pages = APIRouter()
api = APIRouter(tags=["产业链 chain"])

Text = Annotated[str, Query(max_length=500, description="需求描述 / the demand in words")]
Segment = Annotated[str, Query(max_length=50, description="产业链环节代码 / segment code")]
City = Annotated[str, Query(max_length=50, description="市州 / city")]


def _view(state: State, data: Data) -> svc.ChainView:
    view: svc.ChainView = state.cached(
        ("chain", data.version),
        lambda: svc.analyse(data, state.settings.database_url, region_of(state.models())),
    )
    return view


def _overview(state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    """The chain overview as ``scope`` sees it: once per data snapshot and scope key."""
    view = _view(state, data)
    result: dict[str, Any] = state.cached(
        ("chain-overview", data.version, scope.key), lambda: svc.overview(view, scope)
    )
    return result


@pages.get("/chain")
def chain_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    lang: Language,
    q: Text = "",
    segment: Segment = "",
) -> Response:
    scope.require(scope.can_see_chain)
    view = _view(state, data)
    ch = _overview(state, data, scope)
    found: dict[str, Any] | None = None
    error = ""
    if q.strip():
        try:
            found = svc.match(view, scope, q, segment)
        except InputError as exc:
            error = str(exc)
    return render(
        request,
        "chain.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        ch=ch,
        found=found,
        error=error,
        q=q,
        segment=segment,
        segment_names=view.names,
        active="chain",
    )


@api.get("/chain")
def api_chain(*, state: State, data: Data, scope: UserScope) -> dict[str, Any]:
    """Local supply by segment (latest year), weak links with reasons, attraction targets."""
    scope.require(scope.can_see_chain)
    return _overview(state, data, scope)


@api.get("/chain/match", responses={400: {"description": "查询无效 / invalid"}})
def api_match(
    *, state: State, data: Data, scope: UserScope, q: Text, segment: Segment = "", city: City = ""
) -> dict[str, Any]:
    """Matchmaking: offers that best answer a demand written in words, with reasons."""
    scope.require(scope.can_see_chain)
    return svc.match(_view(state, data), scope, q, segment, city)
