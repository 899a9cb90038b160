"""Few or no supported firms: the result says the evidence is thin instead of failing."""

from __future__ import annotations

import pandas as pd
import pytest

from laser_policy.evaluation import evaluate
from laser_policy.evaluation.wording import summary, warning_texts
from laser_policy.policy.model import load_policy

from .synthetic import panel


@pytest.mark.parametrize("supported", [1, 3])
def test_a_handful_of_supported_firms_gives_a_thin_result(supported: int) -> None:
    synthetic = panel(1)
    few = synthetic.cohorts.iloc[:supported]
    result = evaluate(synthetic.tables, "first_set", model=load_policy(), cohorts=few)
    assert result.treated == supported
    assert result.thin
    assert "few_treated" in result.warnings or "not_estimable" in result.warnings
    assert any("证据薄弱" in w or "无法评估" in w for w in warning_texts(result))
    if result.att is not None:
        assert result.method == "callaway_santanna_reg"  # too few firms to reweight
        assert result.ci_low is not None
        assert result.ci_high is not None
        assert result.ci_low < result.att < result.ci_high


def test_no_supported_firm_is_said_in_words() -> None:
    synthetic = panel(2)
    result = evaluate(synthetic.tables, "first_set", model=load_policy(),
            cohorts=pd.Series(dtype="int64"))
    assert result.att is None
    assert result.treated == 0
    assert result.warnings == ("no_treated",)
    assert result.to_dict()["thin"] is True
    assert "受支持企业不足，无法估计" in summary(result)


def test_firms_supported_before_two_years_of_data_are_left_out_and_counted() -> None:
    synthetic = panel(3)
    early = synthetic.cohorts.copy()
    early.iloc[:5] = 2021  # the panel starts in 2019: no three years before support
    result = evaluate(synthetic.tables, "first_set", model=load_policy(), cohorts=early)
    assert result.excluded_treated == 5
    assert result.treated == len(early) - 5
