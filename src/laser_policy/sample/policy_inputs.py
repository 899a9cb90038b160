"""What the generator takes from the policy: taxonomy, targets, thresholds, rates and caps.

The ONE place the sample generator reads policy figures, all from the policy model
(``laser_policy.policy.model.load_policy``): the chain taxonomy, the industry-scale
target, the milestone thresholds and amounts, the rates and caps of the incentives,
the special-fund channels, the funds of 十八 and the related-industries target.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from laser_policy.policy.model import PolicyModel, load_policy

Strength = Literal["weak", "base", "strong", "new"]


@dataclass(frozen=True)
class Segment:
    code: str
    name_zh: str
    strength: Strength

    @property
    def stage(self) -> str:
        return self.code.split("-", 1)[0]


@dataclass(frozen=True)
class PolicyInputs:
    """Figures the generator shapes the sample around (money in 万元)."""

    source: str
    segments: tuple[Segment, ...]
    #: industry scale targets (sum of laser revenue), 万元 by year
    industry_targets_wan: dict[int, float]
    milestone_thresholds_wan: tuple[float, ...]
    milestone_amounts_wan: tuple[float, ...]
    milestone_window: tuple[int, int]
    first_set_rate: float
    first_set_cap_wan: float
    first_set_developer_share: float
    platform_rate: float
    platform_cap_wan: float
    innovation_rate: float
    innovation_cap_wan: float
    special_fund_channels: tuple[str, ...]
    projects_per_channel_per_year: int
    #: the funds of 十八: (id, size in 万元 or None where the text gives none)
    funds: tuple[tuple[str, float | None], ...] = ()
    #: the purposes the funds support (codes of funds.yaml)
    fund_purposes: tuple[str, ...] = ()
    #: the related-industries target (带动…过万亿元), 亿元 by year, and its industries
    related_targets_yi: tuple[tuple[int, float], ...] = ()
    related_industries: tuple[str, ...] = ()

    def segment(self, code: str) -> Segment:
        for s in self.segments:
            if s.code == code:
                return s
        raise KeyError(code)


#: the policy year whose parameter values shape the sample
REFERENCE_YEAR = 2025
#: strengths as the model may spell them, to the generator's four
_STRENGTHS: dict[str, Strength] = {
    "weak": "weak", "base": "base", "strong": "strong", "new": "new",
    "短板": "weak", "有基础": "base", "长板": "strong", "新板": "new",
}
YI_TO_WAN = 10_000.0


def from_model(model: PolicyModel) -> PolicyInputs:
    """The generator's figures read from a policy model."""

    def par(name: str) -> object:
        return model.parameter(name).at(REFERENCE_YEAR)

    def floats(name: str) -> tuple[float, ...]:
        value = par(name)
        if not isinstance(value, list | tuple):
            raise TypeError(f"{name} should be a list, got {value!r}")
        return tuple(float(v) for v in value)

    def number(name: str) -> float:
        value = par(name)
        if not isinstance(value, int | float):
            raise TypeError(f"{name} should be a number, got {value!r}")
        return float(value)

    scale = model.target("industry_scale")
    related = model.target("related_industries_scale")
    factor = YI_TO_WAN if scale.unit == "currency-CNY-yi" else 1.0
    channels = par("special_fund.channels")
    return PolicyInputs(
        source=f"policy model {model.version}",
        segments=tuple(Segment(s.code, s.name_zh, _STRENGTHS[s.strength])
                       for s in model.chain.segments),
        industry_targets_wan={int(y): float(v) * factor for y, v in scale.values.items()
                              if v is not None},
        milestone_thresholds_wan=floats("revenue_milestone.thresholds_wan"),
        milestone_amounts_wan=floats("revenue_milestone.amounts_wan"),
        milestone_window=(int(number("revenue_milestone.window_start_year")),
                          int(number("revenue_milestone.window_end_year"))),
        first_set_rate=number("first_set.rate"),
        first_set_cap_wan=number("first_set.cap_wan"),
        first_set_developer_share=number("first_set.developer_share"),
        platform_rate=number("service_platform.rate"),
        platform_cap_wan=number("service_platform.cap_wan"),
        innovation_rate=number("innovation_source.rate"),
        innovation_cap_wan=number("innovation_source.cap_wan"),
        special_fund_channels=tuple(str(c) for c in channels)
        if isinstance(channels, list | tuple) else (),
        projects_per_channel_per_year=int(
            number("special_fund.projects_per_channel_per_year")),
        funds=tuple((f.id, None if f.size is None else float(f.size.value) * (
            YI_TO_WAN if f.size.unit == "currency-CNY-yi" else 1.0)) for f in model.funds),
        fund_purposes=tuple(model.fund_purposes),
        related_targets_yi=tuple((int(y), float(v)) for y, v in related.values.items()
                                 if v is not None),
        related_industries=_industries(related.scope),
    )


def _industries(scope: str) -> tuple[str, ...]:
    """The industries a target's scope lists (``高端制造、光伏锂电……等…产业`` → names)."""
    head = scope.split("等", 1)[0]
    return tuple(i for i in (part.strip() for part in head.split("、")) if i)


@cache
def policy_inputs() -> PolicyInputs:
    """The figures of the packaged policy model."""
    return from_model(load_policy())
