"""Firm names match robustly; the credit code wins when present."""

from __future__ import annotations

import pytest

from laser_policy.chain.names import firm_key, normalise_name


@pytest.mark.parametrize(
    ("raw", "core"),
    [
        ("湖北华光激光股份有限公司（示例）", "华光激光"),
        ("华光激光有限责任公司", "华光激光"),
        ("湖北省武汉市华光激光有限公司", "华光激光"),
        ("武汉 华光激光集团有限公司", "华光激光"),
        ("华光激光(武汉)有限公司", "华光激光"),
        ("深圳市华光激光科技有限公司", "华光激光科技"),
        ("江苏华光激光集团", "华光激光"),
        ("ＡＢＣ激光有限公司", "ABC激光"),
    ],
)
def test_legal_forms_places_and_brackets_are_stripped(raw: str, core: str) -> None:
    assert normalise_name(raw) == core


def test_a_name_that_is_only_a_place_is_kept() -> None:
    assert normalise_name("武汉有限公司") == "武汉"


def test_the_credit_code_wins_over_the_name() -> None:
    assert firm_key("甲激光有限公司", "91420100MA0000001X") == firm_key(
        "完全不同的名字", "91420100ma0000001x "
    )
    assert firm_key("甲激光有限公司", "91420100MA0000001X") != firm_key("甲激光有限公司")


def test_without_a_code_names_decide() -> None:
    assert firm_key("湖北甲激光有限公司") == firm_key("甲激光股份有限公司（示例）")
    assert firm_key("湖北甲激光有限公司") != firm_key("湖北乙激光有限公司")
