"""The rules read every number from the policy model, through one checked function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from laser_policy.errors import PolicyModelError
from laser_policy.policy.model import load_policy
from laser_policy.rules.parameters import parameters_from_model


def test_parameters_are_the_models_values_with_their_clauses() -> None:
    model = load_policy()
    p = parameters_from_model(model, 2025)
    assert p.rules_version == model.version
    assert p.doc_number == model.doc_number
    rm = p.revenue_milestone
    assert list(rm.thresholds_wan) == model.parameter("revenue_milestone.thresholds_wan").at(2025)
    assert list(rm.amounts_wan) == model.parameter("revenue_milestone.amounts_wan").at(2025)
    assert rm.clause == model.parameter("revenue_milestone.amounts_wan").clause
    assert p.first_set.cap_wan == model.parameter("first_set.cap_wan").at(2025)
    assert p.first_set.clause == model.parameter("first_set.rate").clause
    assert p.service_platform.levels == tuple(model.parameter("service_platform.levels").at(2025))
    assert p.innovation_source.rate == model.parameter("innovation_source.rate").at(2025)


def test_a_what_if_reaches_the_rules_and_leaves_the_original_alone() -> None:
    model = load_policy()
    what_if = model.with_overrides(
        {"first_set.cap_wan": 800, "revenue_milestone.province_share": 0.6}
    )
    p = parameters_from_model(what_if, 2025)
    assert p.first_set.cap_wan == 800
    assert p.revenue_milestone.province_share == 0.6
    assert p.rules_version != model.version
    assert parameters_from_model(model, 2025).first_set.cap_wan != 800


@dataclass
class _Parameter:
    name: str
    value: Any
    clause: str = "十八"

    def at(self, when: int) -> Any:
        return self.value


class _Model:
    """The real model's values with one replaced, bypassing the model's own checks."""

    version = "test"
    doc_number = "鄂政办发〔2024〕35号"

    def __init__(self, name: str, value: Any) -> None:
        self.real = load_policy()
        self.name, self.value = name, value
        self.incentives = self.real.incentives  # the declarations; their numbers come from here

    def parameter(self, name: str) -> _Parameter:
        if name == self.name:
            if self.value is KeyError:
                raise KeyError(name)
            return _Parameter(name, self.value)
        real = self.real.parameter(name)
        return _Parameter(name, real.at(2025), real.clause)


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("revenue_milestone.amounts_wan", [200, 500], "档数"),
        ("revenue_milestone.thresholds_wan", [1_000_000, 500_000, 2_000_000], "递增"),
        ("revenue_milestone.province_share", 1.5, "0到1"),
        ("revenue_milestone.window_end_year", 2020, "window_start_year"),
        ("revenue_milestone.pre_window_crossings", "sometimes", "之一"),
        ("revenue_milestone.threshold_inclusive", "yes", "true/false"),
        ("first_set.cap_wan", -1, "不能为负"),
        ("first_set.rate", "15%", "数值"),
        ("service_platform.levels", [], "非空"),
        ("innovation_source.rate", KeyError, "缺少参数"),
    ],
)
def test_a_malformed_parameter_is_refused_by_name(name: str, value: Any, fragment: str) -> None:
    with pytest.raises(PolicyModelError) as info:
        parameters_from_model(_Model(name, value), 2025)
    assert name in str(info.value)
    assert fragment in str(info.value)
