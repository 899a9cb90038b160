"""What the generator takes from the policy: taxonomy, targets, thresholds, rates and caps.

The ONE place the sample generator reads policy figures. It asks the policy
model (``laser_policy.policy.model.load_policy``) when that module is present and
falls back to the defaults of ``SHARED_SPECS.md`` otherwise.

TODO(model): once ``laser_policy.policy.model`` is on main, drop the fallback
constants below and read everything from the model.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

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

    def segment(self, code: str) -> Segment:
        for s in self.segments:
            if s.code == code:
                return s
        raise KeyError(code)


# TODO(model): fallback copy of SHARED_SPECS.md until the policy model lands.
_FALLBACK_SEGMENTS: tuple[Segment, ...] = (
    Segment("MAT-CRYSTAL", "激光晶体", "weak"),
    Segment("MAT-NLO", "非线性光学晶体", "weak"),
    Segment("MAT-SEMI", "化合物半导体材料", "weak"),
    Segment("MAT-FIBER", "激光用特种光纤", "base"),
    Segment("CMP-MIRROR", "激光反射镜", "weak"),
    Segment("CMP-SLM", "空间光调制器", "weak"),
    Segment("CMP-HEAD", "高功率激光加工头", "weak"),
    Segment("CMP-CHIP", "激光器芯片", "base"),
    Segment("LSR-FIBER", "光纤激光器", "strong"),
    Segment("LSR-SEMI", "半导体激光器", "strong"),
    Segment("LSR-VISIBLE", "可见光激光器", "strong"),
    Segment("LSR-GAS", "气体激光器", "strong"),
    Segment("LSR-SPECIAL", "特殊用途激光器", "strong"),
    Segment("EQP-CUT", "激光切割设备", "strong"),
    Segment("EQP-WELD", "激光焊接设备", "strong"),
    Segment("EQP-MARK", "激光打标设备", "strong"),
    Segment("EQP-MICRO", "激光微加工及泛半导体设备", "new"),
    Segment("EQP-CLEAN", "激光清洗设备", "new"),
    Segment("EQP-AM", "激光增材制造设备", "new"),
    Segment("APP-MED", "激光诊疗设备", "new"),
    Segment("APP-LIDAR", "激光雷达", "new"),
)

_FALLBACK = PolicyInputs(
    source="fallback constants of SHARED_SPECS.md (policy model not installed)",
    segments=_FALLBACK_SEGMENTS,
    # 目标：2024/2025/2026年全省激光产业规模280/380/500亿元
    industry_targets_wan={2024: 2_800_000.0, 2025: 3_800_000.0, 2026: 5_000_000.0},
    milestone_thresholds_wan=(500_000.0, 1_000_000.0, 2_000_000.0),
    milestone_amounts_wan=(200.0, 500.0, 1000.0),
    milestone_window=(2024, 2026),
    first_set_rate=0.15,
    first_set_cap_wan=1000.0,
    first_set_developer_share=0.5,
    platform_rate=0.1,
    platform_cap_wan=500.0,
    innovation_rate=0.10,
    innovation_cap_wan=1000.0,
    special_fund_channels=("省预算内投资", "省科技专项", "省制造业专项"),
    projects_per_channel_per_year=3,
)


def _from_model(model: Any) -> PolicyInputs:
    """Read the figures from a loaded policy model; missing pieces keep the fallback."""
    year = _FALLBACK.milestone_window[0] + 1

    def par(name: str, default: Any) -> Any:
        try:
            return model.parameter(name).at(year)
        except (LookupError, AttributeError, ValueError, TypeError):  # not in this model
            return default

    segments = _FALLBACK.segments
    chain = getattr(model, "chain", None)
    try:
        seg_list = getattr(chain, "segments", chain)
        parsed = tuple(Segment(s.code, s.name_zh, s.strength) for s in seg_list)
        if parsed:
            segments = parsed
    except (TypeError, AttributeError):
        pass
    f = _FALLBACK
    return PolicyInputs(
        source=f"policy model {getattr(model, 'version', '?')}",
        segments=segments,
        industry_targets_wan=f.industry_targets_wan,  # TODO(model): read m.targets
        milestone_thresholds_wan=tuple(
            float(v) for v in par("revenue_milestone.thresholds_wan",
                                  f.milestone_thresholds_wan)),
        milestone_amounts_wan=tuple(
            float(v) for v in par("revenue_milestone.amounts_wan", f.milestone_amounts_wan)),
        milestone_window=(
            int(par("revenue_milestone.window_start_year", f.milestone_window[0])),
            int(par("revenue_milestone.window_end_year", f.milestone_window[1])),
        ),
        first_set_rate=float(par("first_set.rate", f.first_set_rate)),
        first_set_cap_wan=float(par("first_set.cap_wan", f.first_set_cap_wan)),
        first_set_developer_share=float(
            par("first_set.developer_share", f.first_set_developer_share)),
        platform_rate=float(par("service_platform.rate", f.platform_rate)),
        platform_cap_wan=float(par("service_platform.cap_wan", f.platform_cap_wan)),
        innovation_rate=float(par("innovation_source.rate", f.innovation_rate)),
        innovation_cap_wan=float(par("innovation_source.cap_wan", f.innovation_cap_wan)),
        special_fund_channels=tuple(
            str(c) for c in par("special_fund.channels", f.special_fund_channels)),
        projects_per_channel_per_year=int(
            par("special_fund.projects_per_channel_per_year", f.projects_per_channel_per_year)),
    )


@cache
def policy_inputs() -> PolicyInputs:
    """The figures in force: from the policy model when installed, else the fallback."""
    try:
        module = importlib.import_module("laser_policy.policy.model")
    except ImportError:
        return _FALLBACK
    return _from_model(module.load_policy())
