"""企业 Enterprises: search, export, one enterprise's page."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from laser_policy.web.data import WebData
from laser_policy.web.deps import Data, Entitlements, Language, Policy, State, UserScope
from laser_policy.web.excel import to_xlsx, xlsx_response
from laser_policy.web.i18n import translate
from laser_policy.web.render import render
from laser_policy.web.schemas import Enterprise, EnterpriseList
from laser_policy.web.services import enterprises as svc
from laser_policy.web.state import AppState

pages = APIRouter()
api = APIRouter(tags=["企业 enterprises"])

Q = Annotated[str, Query(max_length=100, description="名称或信用代码 / name or credit code")]
City = Annotated[str, Query(max_length=50, description="市州 / city")]
Segment = Annotated[str, Query(max_length=50, description="产业链环节代码 / chain segment code")]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=svc.MAX_PAGE_SIZE)]
Uscc = Annotated[str, Path(min_length=1, max_length=40)]

EXPORT_COLUMNS = (
    ("uscc", "ent.uscc"),
    ("name", "ent.name"),
    ("city", "ent.city"),
    ("segments", "ent.segment"),
    ("year", "overview.year"),
    ("revenue_wan", "ent.revenue"),
    ("laser_revenue_wan", "ent.laser_revenue"),
)


def _ranked(state: AppState, data: WebData) -> pd.DataFrame:
    rows: pd.DataFrame = state.cached(("enterprises-ranked", data.version),
                                      lambda: svc.ranked(data))
    return rows


def _index(state: AppState, data: WebData, entitlements: pd.DataFrame | None) -> svc.FirmIndex:
    index: svc.FirmIndex = state.cached(("firm-index", data.version),
                                        lambda: svc.firm_index(data, entitlements))
    return index


@pages.get("/enterprises")
def enterprises_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    lang: Language,
    q: Q = "",
    city: City = "",
    segment: Segment = "",
    page: Page = 1,
) -> Response:
    result = svc.search(data, scope, svc.Search(q, city, segment, page),
                        ranked_rows=_ranked(state, data))
    cities = sorted(c for c in scope.filter_enterprises(data.enterprises)["city"].unique() if c)
    segments = sorted(policy.segments.values(), key=lambda s: s.code) if policy else []
    return render(
        request,
        "enterprises.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        result=result,
        cities=cities,
        segments=segments,
        active="enterprises",
    )


@pages.get("/enterprises.xlsx")
def enterprises_export(
    *,
    state: State,
    data: Data,
    scope: UserScope,
    lang: Language,
    q: Q = "",
    city: City = "",
    segment: Segment = "",
) -> Response:
    result = svc.search(data, scope, svc.Search(q, city, segment), everything=True,
                        ranked_rows=_ranked(state, data))
    columns = [(key, translate(label, lang)) for key, label in EXPORT_COLUMNS]
    note = translate("app.synthetic_note", lang) if data.synthetic else ""
    body = to_xlsx(translate("ent.title", lang), columns, result["items"], note=note)
    return xlsx_response(body, "enterprises.xlsx")


@pages.get("/enterprises/{uscc}")
def enterprise_page(
    request: Request,
    *,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    lang: Language,
    uscc: Uscc,
    entitlements: Entitlements,
) -> Response:
    ent = svc.detail(data, scope, uscc, policy, entitlements, _index(state, data, entitlements))
    return render(
        request,
        "enterprise.html",
        lang,
        user=scope.principal,
        synthetic=data.synthetic,
        ent=ent,
        active="enterprises",
    )


@api.get("/enterprises", response_model=EnterpriseList)
def api_enterprises(
    *,
    state: State,
    data: Data,
    scope: UserScope,
    q: Q = "",
    city: City = "",
    segment: Segment = "",
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """Search the enterprises the caller may see, biggest revenue first."""
    return svc.search(data, scope, svc.Search(q, city, segment, page, page_size),
                      ranked_rows=_ranked(state, data))


@api.get(
    "/enterprises/{uscc}",
    response_model=Enterprise,
    responses={404: {"description": "不存在或无权查看 / absent or not visible"}},
)
def api_enterprise(
    *,
    state: State,
    data: Data,
    scope: UserScope,
    policy: Policy,
    uscc: Uscc,
    entitlements: Entitlements,
) -> dict[str, Any]:
    """One enterprise: financials, qualifications, chain position, entitlements explained."""
    return svc.detail(data, scope, uscc, policy, entitlements, _index(state, data, entitlements))
