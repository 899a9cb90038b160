"""The numbers the incentive rules read, taken from the policy model in ONE place.

Rule code never holds a policy number: it reads an :class:`IncentiveParameters`
built by :func:`parameters_from_model` from the policy model (``laser_policy.policy.model``),
so a what-if (``model.with_overrides({...})``) or a later amendment changes the
result without touching a rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from laser_policy.errors import NotFoundError, PolicyModelError

PreWindow = Literal["count_as_reached", "ignore"]
PRE_WINDOW_CHOICES: tuple[str, ...] = ("count_as_reached", "ignore")


class ParameterLike(Protocol):
    """What the rules need of one policy parameter (``policy.model.Parameter``)."""

    @property
    def clause(self) -> str: ...

    def at(self, when: int) -> Any: ...


class PolicyModelLike(Protocol):
    """What the rules need of the policy model (``policy.model.PolicyModel``)."""

    @property
    def version(self) -> str: ...

    @property
    def doc_number(self) -> str: ...

    def parameter(self, name: str) -> ParameterLike: ...


@dataclass(frozen=True)
class RevenueMilestoneParameters:
    """十八: one-off rewards the first year revenue reaches a tier, 晋档补差."""

    thresholds_wan: tuple[float, ...]
    amounts_wan: tuple[float, ...]
    province_share: float
    threshold_inclusive: bool
    window_start_year: int
    window_end_year: int
    pre_window_crossings: PreWindow
    clause: str


@dataclass(frozen=True)
class FirstSetParameters:
    """十九: 首台套/首批次, a rate of the price (or R&D cost), capped for both sides together."""

    rate: float
    cap_wan: float
    developer_share: float
    catalog_levels: tuple[str, ...]
    province_share: float
    window_start_year: int
    window_end_year: int
    clause: str


@dataclass(frozen=True)
class ServicePlatformParameters:
    """十七: recognised public service platforms, a rate of external services, capped a year."""

    rate: float
    cap_wan: float
    levels: tuple[str, ...]
    province_share: float
    window_start_year: int
    window_end_year: int
    clause: str


@dataclass(frozen=True)
class InnovationSourceParameters:
    """十七: a one-off rate of an original-innovation project's investment, capped."""

    rate: float
    cap_wan: float
    province_share: float
    window_start_year: int
    window_end_year: int
    clause: str


@dataclass(frozen=True)
class IncentiveParameters:
    """Every number the four incentive rules read, for one year, with the model's identity."""

    year: int
    rules_version: str
    doc_number: str
    revenue_milestone: RevenueMilestoneParameters
    first_set: FirstSetParameters
    service_platform: ServicePlatformParameters
    innovation_source: InnovationSourceParameters


def _fail(name: str, message_zh: str, message_en: str, value: object) -> PolicyModelError:
    return PolicyModelError(
        f"政策参数「{name}」{message_zh}（值: {value!r}） / policy parameter {name!r} {message_en}"
    )


def _number(name: str, value: object, *, share: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(name, "应为数值", "must be a number", value)
    number = float(value)
    if number < 0 or (share and number > 1):
        expected = ("应在0到1之间", "must lie in [0, 1]") if share else ("不能为负", "must be >= 0")
        raise _fail(name, expected[0], expected[1], value)
    return number


def _numbers(name: str, value: object) -> tuple[float, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise _fail(name, "应为非空数值列表", "must be a non-empty list of numbers", value)
    return tuple(_number(name, v) for v in value)


def _strings(name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise _fail(name, "应为非空文字列表", "must be a non-empty list of strings", value)
    return tuple(str(v) for v in value)


def _year(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, "应为年份（整数）", "must be a year (integer)", value)
    return value


class _Reader:
    """Reads parameters in force in ``year`` and remembers each incentive's clause."""

    def __init__(self, model: PolicyModelLike, year: int) -> None:
        self.model = model
        self.year = year

    def parameter(self, name: str) -> ParameterLike:
        try:
            return self.model.parameter(name)
        except LookupError as exc:
            raise PolicyModelError(
                f"政策模型缺少参数「{name}」 / policy model has no parameter {name!r}"
            ) from exc

    def value(self, name: str) -> Any:
        return self.parameter(name).at(self.year)

    def clause(self, name: str) -> str:
        return str(self.parameter(name).clause)


def _revenue_milestone(r: _Reader) -> RevenueMilestoneParameters:
    p = "revenue_milestone."
    thresholds = _numbers(p + "thresholds_wan", r.value(p + "thresholds_wan"))
    amounts = _numbers(p + "amounts_wan", r.value(p + "amounts_wan"))
    if len(thresholds) != len(amounts):
        raise _fail(p + "amounts_wan", "档数应与 thresholds_wan 相同",
                    "must have as many tiers as thresholds_wan", amounts)
    if list(thresholds) != sorted(set(thresholds)) or list(amounts) != sorted(amounts):
        raise _fail(p + "thresholds_wan", "与奖励金额应按档位从低到高严格递增",
                    "and amounts_wan must increase tier by tier", thresholds)
    inclusive = r.value(p + "threshold_inclusive")
    if not isinstance(inclusive, bool):
        raise _fail(p + "threshold_inclusive", "应为 true/false", "must be true/false", inclusive)
    pre_window = r.value(p + "pre_window_crossings")
    if pre_window not in PRE_WINDOW_CHOICES:
        raise _fail(p + "pre_window_crossings", f"应为 {PRE_WINDOW_CHOICES} 之一",
                    f"must be one of {PRE_WINDOW_CHOICES}", pre_window)
    return RevenueMilestoneParameters(
        thresholds_wan=thresholds,
        amounts_wan=amounts,
        province_share=_number(p + "province_share", r.value(p + "province_share"), share=True),
        threshold_inclusive=inclusive,
        **_window(r, p),
        pre_window_crossings=pre_window,
        clause=r.clause(p + "amounts_wan"),
    )


def _window(r: _Reader, p: str) -> dict[str, int]:
    """The years an incentive applies to (``<p>window_start_year`` .. ``<p>window_end_year``)."""
    start = _year(p + "window_start_year", r.value(p + "window_start_year"))
    end = _year(p + "window_end_year", r.value(p + "window_end_year"))
    if end < start:
        raise _fail(p + "window_end_year", "不能早于 window_start_year",
                    "must not precede window_start_year", end)
    return {"window_start_year": start, "window_end_year": end}


def _first_set(r: _Reader) -> FirstSetParameters:
    p = "first_set."
    return FirstSetParameters(
        rate=_number(p + "rate", r.value(p + "rate"), share=True),
        cap_wan=_number(p + "cap_wan", r.value(p + "cap_wan")),
        developer_share=_number(p + "developer_share", r.value(p + "developer_share"), share=True),
        catalog_levels=_strings(p + "catalog_levels", r.value(p + "catalog_levels")),
        province_share=_number(p + "province_share", r.value(p + "province_share"), share=True),
        **_window(r, p),
        clause=r.clause(p + "rate"),
    )


def _service_platform(r: _Reader) -> ServicePlatformParameters:
    p = "service_platform."
    return ServicePlatformParameters(
        rate=_number(p + "rate", r.value(p + "rate"), share=True),
        cap_wan=_number(p + "cap_wan", r.value(p + "cap_wan")),
        levels=_strings(p + "levels", r.value(p + "levels")),
        province_share=_number(p + "province_share", r.value(p + "province_share"), share=True),
        **_window(r, p),
        clause=r.clause(p + "cap_wan"),
    )


def _innovation_source(r: _Reader) -> InnovationSourceParameters:
    p = "innovation_source."
    return InnovationSourceParameters(
        rate=_number(p + "rate", r.value(p + "rate"), share=True),
        cap_wan=_number(p + "cap_wan", r.value(p + "cap_wan")),
        province_share=_number(p + "province_share", r.value(p + "province_share"), share=True),
        **_window(r, p),
        clause=r.clause(p + "rate"),
    )


def parameters_from_model(model: PolicyModelLike, year: int) -> IncentiveParameters:
    """The incentive parameters in force in ``year``, checked, from the policy model.

    This is the only function that knows parameter names; every rule reads the
    typed object it returns. Raises :class:`PolicyModelError` naming the parameter
    when a value is missing or malformed.
    """
    reader = _Reader(model, year)
    return IncentiveParameters(
        year=year,
        rules_version=str(model.version),
        doc_number=str(model.doc_number),
        revenue_milestone=_revenue_milestone(reader),
        first_set=_first_set(reader),
        service_platform=_service_platform(reader),
        innovation_source=_innovation_source(reader),
    )


@dataclass(frozen=True)
class ParameterSchedule:
    """The parameters in force year by year: an entitlement of year Y is computed with Y's.

    A later amendment (a parameter value in force from a later date) then changes
    the years after it and leaves the earlier ones as they were.
    """

    by_year: tuple[tuple[int, IncentiveParameters], ...]
    #: the policy model's version the parameters were read from
    rules_version: str

    def groups(self) -> list[tuple[IncentiveParameters, tuple[int, ...]]]:
        """Years that share the same numbers, each group with its latest year's parameters."""
        grouped: dict[IncentiveParameters, tuple[IncentiveParameters, tuple[int, ...]]] = {}
        for year, params in self.by_year:
            key = dataclasses.replace(params, year=0)
            _, years = grouped.get(key, (params, ()))
            grouped[key] = (params, (*years, year))
        return list(grouped.values())


def parameter_schedule(model: PolicyModelLike, years: Iterable[int]) -> ParameterSchedule:
    """The parameters in force in each of ``years``; years before any value is in force
    (before the policy was issued) have no parameters and so nothing due."""
    entries = []
    for year in sorted(set(years)):
        try:
            entries.append((year, parameters_from_model(model, year)))
        except NotFoundError:
            continue
    return ParameterSchedule(tuple(entries), str(model.version))
