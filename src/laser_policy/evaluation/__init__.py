"""Ex-post evaluation of the incentives (动态监测和评估, 二十三): did the money work?

Public surface::

    from laser_policy.evaluation import evaluate, Evaluation, OUTCOMES, INCENTIVES

Treatment is the first year a firm was entitled to or paid an incentive
(:mod:`~laser_policy.evaluation.treatment`), the panel the firms' log outcomes with
pre-support covariates (:mod:`~laser_policy.evaluation.panel`), the estimator the
staggered difference-in-differences of Callaway & Sant'Anna through the
``differences`` library (:mod:`~laser_policy.evaluation.did`).
"""

from laser_policy.evaluation.panel import MIN_YEARS, OUTCOMES, outcome_label
from laser_policy.evaluation.pipeline import evaluate
from laser_policy.evaluation.result import (
    ALPHA,
    FEW_TREATED,
    Evaluation,
    EventEffect,
    PreTrend,
    percent,
)
from laser_policy.evaluation.treatment import INCENTIVES, first_support_years

__all__ = [
    "ALPHA",
    "FEW_TREATED",
    "INCENTIVES",
    "MIN_YEARS",
    "OUTCOMES",
    "Evaluation",
    "EventEffect",
    "PreTrend",
    "evaluate",
    "first_support_years",
    "outcome_label",
    "percent",
]
