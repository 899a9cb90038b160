"""Package tables in, :class:`Evaluation` out: treatment, panel, estimate, caveats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from laser_policy.evaluation.did import METHOD, fit
from laser_policy.evaluation.panel import Panel, build_panel
from laser_policy.evaluation.result import FEW_TREATED, Evaluation
from laser_policy.evaluation.treatment import check_incentive, first_support_years

#: incentives whose support is triggered by the outcome itself (the firm's revenue
#: crossing a tier): comparing revenue after support then measures the trigger, not the money
OUTCOME_TRIGGERED: dict[str, tuple[str, ...]] = {
    "revenue_milestone": ("revenue_wan", "laser_revenue_wan"),
}


def evaluate(
    tables: Mapping[str, pd.DataFrame],
    incentive: str,
    outcome: str = "revenue_wan",
    *,
    model: Any,
    placebo: bool = False,
    seed: int = 0,
    cohorts: pd.Series | None = None,
) -> Evaluation:
    """Did ``incentive`` change ``outcome``? Ex-post evaluation on the package's panel.

    ``model`` is the policy model (passed in by the caller): it defines the rules
    that say who was entitled when, and the chain stages used as a covariate.
    ``placebo=True`` gives the support, with the same timing, to as many randomly
    drawn never-supported firms instead (seed ``seed``): the effect should then be
    about zero. ``cohorts`` (uscc -> first year of support) replaces the derivation
    from entitlements and ledger (tests, or an evaluation of a list of firms).
    """
    check_incentive(incentive)
    if cohorts is None:
        cohorts = first_support_years(tables, incentive, model)
    stage_of = {s.code: s.stage for s in model.chain.segments}
    panel = build_panel(tables, cohorts, outcome, stage_of)
    if placebo:
        panel = placebo_panel(panel, seed)
    return estimate(panel, incentive, outcome, placebo=placebo)


def estimate(panel: Panel, incentive: str, outcome: str, *, placebo: bool = False) -> Evaluation:
    """The estimate on a built panel, with its caveats as warning codes."""
    firms = panel.frame.drop_duplicates("firm")
    sizes = firms["cohort"].dropna().astype("int64").value_counts()
    cohort_sizes = {int(str(k)): int(v) for k, v in sizes.items()}
    caveats: list[str] = ["placebo"] if placebo else []
    if outcome in OUTCOME_TRIGGERED.get(incentive, ()):
        caveats.append("outcome_drives_support")
    base = Evaluation(
        incentive=incentive, outcome=outcome, method=METHOD, att=None, se=None,
        ci_low=None, ci_high=None, treated=panel.treated,
        controls=int(firms["cohort"].isna().sum()), by_year=(),
        years=(panel.years[0], panel.years[-1]), pre_trend=None,
        covariates=panel.formula_terms, excluded_treated=panel.excluded_treated,
        cohorts=cohort_sizes, placebo=placebo,
    )
    if panel.treated == 0:
        return replace(base, warnings=(*caveats, "no_treated"))
    result = fit(panel)
    if result is None:
        return replace(base, warnings=(*caveats, "not_estimable"))
    if panel.treated < FEW_TREATED:
        caveats.append("few_treated")
    if result.est_method == "reg":
        caveats.append("regression_only")
    if result.pre_trend is None:
        caveats.append("no_pre_trend_test")
    elif not result.pre_trend.passed:
        caveats.append("pre_trend_failed")
    return replace(
        base, method=f"{METHOD}_{result.est_method}", att=result.att, se=result.se,
        ci_low=result.ci_low, ci_high=result.ci_high, by_year=result.by_year,
        pre_trend=result.pre_trend, warnings=tuple(caveats),
    )


def placebo_panel(panel: Panel, seed: int) -> Panel:
    """The panel without the supported firms, support given instead to as many
    never-supported firms drawn at random, each with the first-support year of one of
    the real firms (drawn with the real cohort sizes)."""
    frame = panel.frame
    firms = frame.drop_duplicates("firm").set_index("firm")
    real = firms["cohort"].dropna().to_numpy()
    pool = firms.index[firms["cohort"].isna()].to_numpy()
    rng = np.random.default_rng(seed)
    n = min(len(real), len(pool) // 2)
    chosen = rng.choice(pool, size=n, replace=False) if n else np.array([], dtype=int)
    pseudo = pd.Series(rng.permutation(real)[:n], index=chosen, dtype="float64")
    pseudo = pseudo[pseudo > firms.loc[chosen, "second_year"].to_numpy() + 1] if n else pseudo
    keep = frame.loc[frame["cohort"].isna()].copy()
    keep["cohort"] = keep["firm"].map(pseudo).astype("float64")
    return replace(panel, frame=keep.reset_index(drop=True), excluded_treated=0)
