"""What-if copies of the model: checked like the YAML, the original untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from laser_policy.errors import PolicyModelError
from laser_policy.policy.model import PolicyModel


def test_with_overrides_leaves_the_original_untouched(model: PolicyModel) -> None:
    before = model.parameters_at(2025)
    what_if = model.with_overrides({"revenue_milestone.province_share": 0.6})
    assert what_if.parameter("revenue_milestone.province_share").at(2025) == 0.6
    assert model.parameter("revenue_milestone.province_share").at(2025) == 0.5
    assert model.parameters_at(2025) == before
    assert what_if.version != model.version
    assert what_if.version.startswith(model.version.split("+")[0])
    assert dict(what_if.overrides) == {"revenue_milestone.province_share": 0.6}


def test_overrides_accept_dated_values(model: PolicyModel) -> None:
    what_if = model.with_overrides(
        {"first_set.cap_wan": {"2024-07-22": 1000, dt.date(2026, 1, 1): 1500}}
    )
    p = what_if.parameter("first_set.cap_wan")
    assert (p.at(2025), p.at(2026)) == (1000, 1500)


def test_overrides_stack(model: PolicyModel) -> None:
    one = model.with_overrides({"first_set.rate": 0.2})
    two = one.with_overrides({"first_set.cap_wan": 800})
    assert two.parameter("first_set.rate").at(2025) == 0.2
    assert two.parameter("first_set.cap_wan").at(2025) == 800
    assert set(two.overrides) == {"first_set.rate", "first_set.cap_wan"}


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        pytest.param({"revenue_milestone.province_share": 1.5}, "province_share", id="share>1"),
        pytest.param({"first_set.rate": "15%"}, "first_set.rate", id="text-for-number"),
        pytest.param({"first_set.cap_wan": True}, "first_set.cap_wan", id="bool-for-number"),
        pytest.param(
            {"revenue_milestone.threshold_inclusive": 1}, "threshold_inclusive", id="int-for-bool"
        ),
        pytest.param({"revenue_milestone.amounts_wan": 300}, "amounts_wan", id="scalar-for-list"),
        pytest.param({"revenue_milestone.amounts_wan": [200, 500]}, "amounts_wan", id="length"),
        pytest.param({"revenue_milestone.thresholds_wan": [3, 2, 1]}, "thresholds_wan", id="order"),
        pytest.param({"revenue_milestone.pre_window_crossings": "maybe"}, "maybe", id="enum"),
        pytest.param({"no_such.parameter": 1}, "no_such.parameter", id="unknown"),
        pytest.param({"first_set.rate": {"2024-02-30": 0.2}}, "2024-02-30", id="bad-date"),
    ],
)
def test_bad_overrides_are_refused_naming_the_parameter(
    model: PolicyModel, overrides: dict[str, object], named: str
) -> None:
    with pytest.raises(PolicyModelError) as err:
        model.with_overrides(overrides)
    assert "overrides" in str(err.value)
    assert named in str(err.value)
