"""Forecasts of a yearly KPI series, with a prediction interval and the probability of a target.

Uses statsmodels' state-space exponential smoothing (``ETSModel``, additive error and
trend) on the log of the series, so growth is multiplicative, as an industry's is.
Too short a series (fewer than ``MIN_POINTS`` positive values) gets no forecast
and says why.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

#: fewest yearly observations a forecast is made from
MIN_POINTS = 4
#: coverage of the reported prediction interval (80 %)
INTERVAL_ALPHA = 0.2


@dataclass(frozen=True)
class Forecast:
    year: int
    mean: float
    lower: float
    upper: float
    #: probability that the value reaches ``target`` (None without a target)
    probability: float | None
    method: str


def _log_model(values: pd.Series) -> tuple[Any, int] | None:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = values.dropna()
    if len(series) < MIN_POINTS or (series <= 0).any():
        return None
    years = series.index.astype(int)
    idx = pd.period_range(str(years.min()), periods=len(series), freq="Y")
    logged = pd.Series(np.log(series.to_numpy(dtype=float)), index=idx)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = ETSModel(logged, error="add", trend="add").fit(disp=False)
    return fitted, int(years.max())


def forecast_series(
    values: pd.Series, until: int, targets: dict[int, float] | None = None
) -> list[Forecast]:
    """Forecasts for each year after the last observation up to ``until``.

    ``values`` is indexed by year. The probability of reaching a target is read
    from the forecast distribution on the log scale (normal), i.e. lognormal on
    the original scale.
    """
    model = _log_model(values)
    if model is None:
        return []
    fitted, last = model
    steps = until - last
    if steps <= 0:
        return []
    prediction = fitted.get_prediction(start=fitted.nobs, end=fitted.nobs + steps - 1)
    frame = prediction.summary_frame(alpha=INTERVAL_ALPHA)
    z = norm.ppf(1 - INTERVAL_ALPHA / 2)
    out: list[Forecast] = []
    for i, (_, row) in enumerate(frame.iterrows()):
        year = last + 1 + i
        mean, lower, upper = float(row["mean"]), float(row["pi_lower"]), float(row["pi_upper"])
        sd = max((upper - lower) / (2 * z), 1e-12)
        probability = None
        target = (targets or {}).get(year)
        if target is not None and target > 0:
            probability = float(1 - norm.cdf((math.log(target) - mean) / sd))
        out.append(
            Forecast(
                year=year,
                mean=math.exp(mean),
                lower=math.exp(lower),
                upper=math.exp(upper),
                probability=probability,
                method="ETS(A,A,N) on log scale (statsmodels)",
            )
        )
    return out
