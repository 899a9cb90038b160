"""Staggered difference-in-differences through the ``differences`` library (Callaway–Sant'Anna).

``differences.ATTgt`` estimates one effect per cohort (first year of support) and
calendar year, each a 2×2 comparison of the cohort with firms not (yet) supported,
conditioned on the firm covariates of :mod:`laser_policy.evaluation.panel`:

* ``control_group="not_yet_treated"``: controls are the never-supported firms and
  those supported only later; already-supported firms are never used as controls
  (the flaw of a plain two-way fixed-effects regression under staggered timing);
* ``est_method="dr"``: doubly robust — a propensity-score reweighting of the controls
  on the covariates combined with an outcome regression on them (Sant'Anna & Zhao
  2020); with fewer than ``FEW_TREATED`` supported firms the propensity model cannot
  be fitted reliably and the outcome regression alone (``"reg"``) is used;
* ``base_period="universal"``: every effect is measured against the year before
  support, so the event study reads as "change since the year before support" and the
  year -1 is zero by construction.

The overall effect is the library's ``simple`` aggregation (group-time effects after
support, weighted by cohort size), the event study its ``event`` aggregation; the
standard errors come from the influence functions, one per firm, so they are clustered
by firm. The pre-trend test is the library's Wald test that every pre-support
group-time effect is zero (called directly: ``ATTgt.wald_pre_test`` in 0.3.0 passes an
argument ``results()`` no longer takes).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.evaluation.panel import Panel
from laser_policy.evaluation.result import ALPHA, FEW_TREATED, EventEffect, PreTrend

METHOD = "callaway_santanna"


@dataclass(frozen=True)
class Fit:
    """What the estimator returned, in plain numbers."""

    est_method: str
    att: float
    se: float
    ci_low: float
    ci_high: float
    by_year: tuple[EventEffect, ...]
    pre_trend: PreTrend | None


@contextmanager
def _quiet() -> Iterator[None]:
    """The library's pandas-3 deprecation notices (``inplace=``) are not the user's concern."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        yield


def fit(panel: Panel) -> Fit | None:
    """Group-time effects aggregated; ``None`` when no group-time effect can be estimated."""
    methods = ("dr", "reg") if panel.treated >= FEW_TREATED else ("reg",)
    for est_method in methods:
        try:
            return _fit(panel, est_method)
        except (ValueError, IndexError, np.linalg.LinAlgError):
            # reweighting failed (separation, empty cell) — differences 0.3 also raises
            # IndexError on some sparse cohort/year cells (seen on a 2,000-firm demo): next
            # method, and if none fits the result says "not estimable" instead of a 500
            continue
    return None


def _fit(panel: Panel, est_method: str) -> Fit:
    from differences import ATTgt

    columns = ["y", "cohort", *panel.numeric, *panel.categorical]
    data = panel.frame.set_index(["firm", "year"])[columns]
    formula = "y ~ " + " + ".join(panel.formula_terms) if panel.formula_terms else "y"
    with _quiet():
        model = ATTgt(data=data, cohort_column="cohort", base_period="universal")
        model.fit(formula=formula, control_group="not_yet_treated", est_method=est_method,
                  alpha=ALPHA, progress_bar=False)
        simple = model.aggregate("simple", alpha=ALPHA)
        event = model.aggregate("event", alpha=ALPHA)
        pre = _pre_trend(model)
    att, se, low, high = (float(v) for v in simple.iloc[0, :4])
    if not np.isfinite(att):
        raise ValueError("no finite aggregate effect")
    return Fit(est_method, att, se, low, high, _events(event), pre)


def _events(event: pd.DataFrame) -> tuple[EventEffect, ...]:
    out: list[EventEffect] = []
    for rel, row in event.iterrows():
        est, se, low, high = (float(v) for v in row.iloc[:4])
        if not np.isfinite(est):
            continue
        out.append(EventEffect(int(str(rel)), est, _finite(se), _finite(low), _finite(high)))
    return tuple(out)


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


def _pre_trend(model: Any) -> PreTrend | None:
    from differences.models.attgt.utility_ntl import filter_ntl, wald_pre_test

    results = model.results(to_dataframe=False)["full_sample"]
    pre = filter_ntl(ntl=results, pre=True, non_zero_influence_func=True)
    if not pre:
        return None
    try:
        test = wald_pre_test(results)
    except (np.linalg.LinAlgError, IndexError, ValueError):
        return None
    statistic, p_value = float(test["W"]), float(test["p_value"])
    if not (np.isfinite(statistic) and np.isfinite(p_value)):
        return None
    return PreTrend(statistic=statistic, df=len(pre), p_value=p_value)
