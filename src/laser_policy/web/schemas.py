"""Response shapes of the JSON API (they make ``/openapi.json`` precise)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Me(BaseModel):
    username: str
    role: str
    display_name: str
    city: str | None = None
    uscc: str | None = None
    unit: str | None = None
    must_change_password: bool = False


class CsrfToken(BaseModel):
    csrf_token: str = Field(description="send back as the X-CSRF-Token header on writes")


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class Message(BaseModel):
    message: str


class TargetFigures(BaseModel):
    """One target in one year: the monitoring's row (whole province) or a scope's actual."""

    target: float | None = Field(description="the policy's value for the year, if it sets one")
    actual: float | None
    trajectory: float | None = Field(description="interim trajectory towards the target")
    forecast: float | None
    forecast_lower: float | None = Field(description="80% prediction interval, lower end")
    forecast_upper: float | None = Field(description="80% prediction interval, upper end")
    probability: float | None = Field(description="forecast probability of reaching the target")
    status: str = Field(
        description="met, missed, on_track, at_risk, off_track, monitored, no_data, no_target "
        "(monitoring.status), or contribution for a city's or an enterprise's scope"
    )
    status_zh: str
    status_label: str = Field(description="the status in the page's language")
    reason: str = Field(description="why: the monitoring rule's words (Chinese)")


class TargetYear(TargetFigures):
    year: int


class LatestActual(TargetFigures):
    year: int | None


class Target(BaseModel):
    id: str
    label: str
    clause: str
    unit: str
    kind: str
    comparison: str
    years: list[TargetYear]
    latest: LatestActual


class CityFigure(BaseModel):
    city: str
    enterprises: int
    laser_revenue_yi: float


class LadderRow(BaseModel):
    uscc: str
    name: str
    city: str
    revenue_yi: float
    reached_yi: float | None
    next_tier_yi: float | None
    gap_yi: float | None


class Ladder(BaseModel):
    year: int | None
    thresholds_yi: list[float]
    clause: str | None = None
    rows: list[LadderRow]


class Scale(BaseModel):
    years: list[int]
    actual_yi: list[float | None]
    target_yi: list[float | None]
    clause: str | None


class Kpis(BaseModel):
    enterprises: int
    laser_revenue_yi: float | None
    invention_patents: int | None


class PayerLine(BaseModel):
    payer: str = Field(description="省级 or a city")
    due_wan: float


class IncentiveLine(BaseModel):
    incentive: str
    due_wan: float


class Money(BaseModel):
    payers: list[PayerLine]
    incentives: list[IncentiveLine]
    paid_wan: float = Field(description="already paid (awards ledger) to visible enterprises")
    due_wan: float


class Entitlement(BaseModel):
    incentive: str
    year: int
    role: str | None
    amount_wan: float
    province_wan: float
    city_wan: float
    clause: str
    explanation: str


class Overview(BaseModel):
    scope: str
    synthetic: bool
    latest_year: int | None
    kpis: Kpis
    targets: list[Target]
    targets_judged: bool = Field(
        description="true for the whole province (statuses judged by the monitoring rule); "
        "a city's or an enterprise's figures are contributions, not judged"
    )
    status_rule: str | None = Field(description="the monitoring's status rule, stated (Chinese)")
    scale: Scale
    map: list[CityFigure]
    ladder: Ladder
    money: Money | None
    policy_version: str | None


class EnterpriseRow(BaseModel):
    uscc: str
    name: str
    city: str
    segments: str
    year: int | None
    revenue_wan: float | None
    laser_revenue_wan: float | None


class EnterpriseList(BaseModel):
    total: int
    page: int
    pages: int
    page_size: int
    query: dict[str, str]
    items: list[EnterpriseRow]


class FinancialYear(BaseModel):
    year: int
    revenue_wan: float | None
    laser_revenue_wan: float | None
    rd_expense_wan: float | None
    invention_patents: float | None


class Qualification(BaseModel):
    kind: str
    level: str
    year: int | None


class SegmentPosition(BaseModel):
    code: str
    name: str
    stage: str
    strength: str
    clause: str


class Enterprise(BaseModel):
    uscc: str
    name: str
    city: str
    province: str
    listed_on: str | None
    is_laser: bool
    synthetic: bool
    financials: list[FinancialYear]
    qualifications: list[Qualification]
    segments: list[SegmentPosition]
    entitlements: list[Entitlement] | None


class Measure(BaseModel):
    number: int
    chapter: int
    title: str
    text: str
    lead_units: list[str]
    responsible_units: list[str]
    mine: bool


class Parameter(BaseModel):
    name: str
    label: str
    unit: str
    clause: str
    note: str
    value: Any
    assumption: bool = Field(
        default=False, description="原文未给出该数值，取值为模型假设 / value assumed by the model"
    )


class PolicyTarget(BaseModel):
    id: str
    label: str
    clause: str
    unit: str
    values: dict[int, float | None]


class Policy(BaseModel):
    available: bool
    version: str | None
    doc_number: str | None
    title: str | None
    measures: list[Measure]
    targets: list[PolicyTarget]
    parameters: list[Parameter]


class DraftReviewItem(BaseModel):
    file: str = Field(description="model file the item is in, e.g. measures.yaml")
    path: str = Field(description="key path inside that file, e.g. measures[1]")
    what_zh: str
    what_en: str
    quote: str | None = None
    clause: str | None = None


class PolicyDraft(BaseModel):
    doc_number: str = Field(description="文号 as found, or （待确认文号） when none")
    title: str
    measures: int = Field(description="number of measures drafted")
    review: list[DraftReviewItem] = Field(description="review.yaml: every item to confirm")


class LedgerFilters(BaseModel):
    status: str = Field(description="computed / reviewed / approved / paid / rejected, or ''")
    incentive: str
    city: str = Field(description="承担市州 (payer_city), or ''")
    year: int | None
    q: str = Field(description="企业名称或统一社会信用代码中包含的文字 / name or code contains")


class LedgerTotals(BaseModel):
    """Sums over EVERY row matching the filters in the caller's scope (not only the page)."""

    amount_wan: float = Field(description="应付合计（万元） / amount due")
    province_wan: float = Field(description="其中省级 / provincial share")
    city_wan: float = Field(description="其中市州 / city share")


class LedgerItem(BaseModel):
    id: int
    uscc: str
    name: str | None
    incentive: str
    role: str
    year: int
    amount_wan: float
    province_wan: float
    city_wan: float
    payer_city: str | None
    clause: str
    explanation: str
    status: str
    reviewed_by: str | None
    approved_by: str | None
    paid_by: str | None
    rejected_by: str | None
    rejected_reason: str | None


class LedgerList(BaseModel):
    """One page of the incentive ledger (奖补台账), in id order."""

    filters: LedgerFilters
    total: int = Field(description="rows matching the filters, over all pages")
    page: int = Field(description="the page returned (a page past the last gives the last)")
    pages: int
    per_page: int
    first: int = Field(description="1-based position of the page's first row (0 if none)")
    last: int = Field(description="1-based position of the page's last row (0 if none)")
    amount_wan: float = Field(
        description="the caller's money over all matching rows: a city's share for a city, "
        "the whole amount otherwise"
    )
    totals: LedgerTotals
    counts: dict[str, int] = Field(description="rows by status in the caller's scope, unfiltered")
    cities: list[str] = Field(description="paying cities to filter by")
    years: list[int]
    items: list[LedgerItem]
