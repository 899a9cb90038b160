"""The result of one evaluation: the effect, its interval, the event study and the caveats."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: evidence is called thin below this many supported firms (a rule of thumb: with fewer,
#: one firm's year moves the average and the interval rests on few clusters)
FEW_TREATED = 30

#: significance level of the intervals and of the pre-trend test
ALPHA = 0.05

#: warning codes a result may carry (the faces word them)
WARNINGS = (
    "no_treated",          # no supported firm with enough history: nothing estimated
    "not_estimable",       # supported firms, but no group-time effect could be estimated
    "few_treated",         # fewer than FEW_TREATED supported firms
    "pre_trend_failed",    # supported firms already diverged before support
    "no_pre_trend_test",   # no pre-support years to test parallel trends on
    "regression_only",     # too few firms for reweighting: outcome regression alone
    "outcome_drives_support",  # support is triggered by the outcome (revenue milestones)
    "placebo",             # pseudo-treatment drawn at random: the effect should be ~0
)


@dataclass(frozen=True)
class EventEffect:
    """Effect in the year ``relative_year`` after first support (-1: the reference year)."""

    relative_year: int
    estimate: float
    se: float | None
    ci_low: float | None
    ci_high: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"relative_year": self.relative_year, "estimate": self.estimate,
                "se": self.se, "ci_low": self.ci_low, "ci_high": self.ci_high}


@dataclass(frozen=True)
class PreTrend:
    """Wald test that every pre-support effect is zero (parallel trends before support)."""

    statistic: float
    df: int
    p_value: float

    @property
    def passed(self) -> bool:
        return self.p_value >= ALPHA

    def to_dict(self) -> dict[str, Any]:
        return {"statistic": self.statistic, "df": self.df, "p_value": self.p_value,
                "passed": self.passed}


@dataclass(frozen=True)
class Evaluation:
    """One incentive's effect on one outcome (log points; ``exp(att) - 1`` is the change)."""

    incentive: str
    outcome: str
    method: str
    att: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    #: supported firms in the estimate, and never-supported firms compared with them
    treated: int
    controls: int
    by_year: tuple[EventEffect, ...]
    years: tuple[int, int]
    pre_trend: PreTrend | None
    covariates: tuple[str, ...]
    control_group: str = "not_yet_treated"
    excluded_treated: int = 0
    cohorts: dict[int, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    placebo: bool = False

    @property
    def thin(self) -> bool:
        """Whether the evidence is too thin to lean on (few firms or a failed pre-trend test)."""
        return any(w in self.warnings for w in ("no_treated", "not_estimable", "few_treated",
                                                "pre_trend_failed"))

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero."""
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 0 or self.ci_high < 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``laser-policy evaluate`` (``shared/DESIGN.md``), plus details."""
        return {
            "incentive": self.incentive,
            "outcome": self.outcome,
            "method": self.method,
            "att": self.att,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "treated": self.treated,
            "controls": self.controls,
            "by_year": [e.to_dict() for e in self.by_year],
            "se": self.se,
            "effect_pct": percent(self.att),
            "ci_low_pct": percent(self.ci_low),
            "ci_high_pct": percent(self.ci_high),
            "years": list(self.years),
            "pre_trend": None if self.pre_trend is None else self.pre_trend.to_dict(),
            "covariates": list(self.covariates),
            "control_group": self.control_group,
            "excluded_treated": self.excluded_treated,
            "cohorts": {str(k): v for k, v in sorted(self.cohorts.items())},
            "warnings": list(self.warnings),
            "thin": self.thin,
            "placebo": self.placebo,
        }


def percent(log_points: float | None) -> float | None:
    """A log-point effect as a percentage change: ``100 * (exp(x) - 1)``.

    >>> round(percent(0.095), 1)
    10.0
    """
    if log_points is None:
        return None
    return 100.0 * math.expm1(log_points)
