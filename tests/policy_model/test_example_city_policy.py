"""A second, fully different policy (a FICTITIOUS example city policy, tests/policy_model/
example_city_policy) is computed by the same engine with no change to engine code:
its own document, two kinds with other tiers and rates, 宜昌市 paying 100 %, its region only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.rules import compute_entitlements

EXAMPLE = Path(__file__).parent / "example_city_policy"


@pytest.fixture(scope="module")
def example() -> PolicyModel:
    return load_policy(EXAMPLE)


def _package() -> dict[str, pd.DataFrame]:
    return {
        "enterprises": pd.DataFrame([
            {"uscc": "YC1", "name": "宜昌激光甲（示例）", "city": "宜昌市", "is_laser": True},
            {"uscc": "YC2", "name": "宜昌激光乙（示例）", "city": "宜昌市", "is_laser": True},
            {"uscc": "YC3", "name": "宜昌化工（示例）", "city": "宜昌市", "is_laser": False},
            {"uscc": "WH1", "name": "武汉激光（示例）", "city": "武汉市", "is_laser": True},
        ]),
        "financials": pd.DataFrame([
            # YC1: 6亿 in 2025 (tier 5亿: 30万), 12亿 in 2026 (tier 10亿: 60万, top-up 30万)
            {"uscc": "YC1", "year": 2025, "revenue_wan": 60000, "rd_expense_wan": 1000},
            {"uscc": "YC1", "year": 2026, "revenue_wan": 120000, "rd_expense_wan": 3000},
            # YC2: 4.9亿 — no tier; R&D 500 → 8 % = 40
            {"uscc": "YC2", "year": 2025, "revenue_wan": 49000, "rd_expense_wan": 500},
            # YC3 is not a laser firm, WH1 is outside the policy's region: nothing
            {"uscc": "YC3", "year": 2025, "revenue_wan": 300000, "rd_expense_wan": 5000},
            {"uscc": "WH1", "year": 2025, "revenue_wan": 300000, "rd_expense_wan": 5000},
        ]),
    }


def _rows(table: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [
        (r.incentive, r.uscc, r.year, r.amount_wan, r.province_wan, r.city_wan, r.clause)
        for r in table.itertuples()
    ]


def test_the_example_is_labelled_and_declares_its_own_incentives(example: PolicyModel) -> None:
    assert example.doc_number == "示例政办〔2025〕1号"
    assert "虚构示例" in example.title
    assert [(i.id, i.kind) for i in example.incentives] == [
        ("scale_reward", "tiered_once"), ("rd_subsidy", "capped_rate")]
    assert [p.payer for i in example.incentives for p in i.payers] == ["宜昌市", "宜昌市"]
    assert [t.id for t in example.targets] == ["city_laser_revenue"]


def test_the_engine_computes_the_example_policy_by_hand(example: PolicyModel) -> None:
    got = compute_entitlements(_package(), example)
    assert _rows(got) == [
        ("scale_reward", "YC1", 2025, 30.0, 0.0, 30.0, "一"),
        ("scale_reward", "YC1", 2026, 30.0, 0.0, 30.0, "一"),  # 晋档补差: 60 − 30
        ("rd_subsidy", "YC1", 2025, 80.0, 0.0, 80.0, "二"),   # 8 % of 1000
        ("rd_subsidy", "YC1", 2026, 200.0, 0.0, 200.0, "二"),  # 8 % of 3000 = 240, capped
        ("rd_subsidy", "YC2", 2025, 40.0, 0.0, 40.0, "二"),
    ]
    assert set(got["rules_version"]) == {example.version}
    sentences = list(got["explanation"])
    assert sentences[1] == (
        "2026年营业收入12亿元，首次达到10亿元档（≥10亿元），应奖60万元，已兑现30万元"
        "（本次计算中以前年度应付30万元），本次应付30万元（宜昌市30万元）。"
        "依据：示例政办〔2025〕1号第一条。"
    )
    assert sentences[3] == (
        "2026年企业YC1研发费用3000万元，按8%补助240万元，超过每家企业每年最高200万元，"
        "按200万元计，应补200万元，已兑现0万元，本次应付200万元（宜昌市200万元）。"
        "依据：示例政办〔2025〕1号第二条。"
    )


def test_the_example_ledger_counts_what_was_paid(example: PolicyModel) -> None:
    tables = _package()
    tables["awards"] = pd.DataFrame([
        {"uscc": "YC1", "incentive": "scale_reward", "year": 2025, "amount_wan": 30.0},
        {"uscc": "YC1", "incentive": "rd_subsidy", "year": 2025, "amount_wan": 80.0,
         "ref": "YC1"},
    ])
    got = compute_entitlements(tables, example)
    assert _rows(got) == [
        ("scale_reward", "YC1", 2026, 30.0, 0.0, 30.0, "一"),
        ("rd_subsidy", "YC1", 2026, 200.0, 0.0, 200.0, "二"),
        ("rd_subsidy", "YC2", 2025, 40.0, 0.0, 40.0, "二"),
    ]


def test_the_same_package_under_hubei_gives_hubei_s_incentives_only() -> None:
    got = compute_entitlements(_package(), load_policy())
    # 30亿 crosses 50亿? no: Hubei's lowest tier is 50亿, so nothing of this package is due
    assert got.empty


def _hubei_and_city_package() -> dict[str, pd.DataFrame]:
    tables = _package()
    extra = pd.DataFrame([
        {"uscc": "YC9", "name": "宜昌激光大厂（示例）", "city": "宜昌市", "is_laser": True}])
    tables["enterprises"] = pd.concat([tables["enterprises"], extra], ignore_index=True)
    big = pd.DataFrame([{"uscc": "YC9", "year": 2025, "revenue_wan": 520000,
                         "rd_expense_wan": 100}])
    tables["financials"] = pd.concat([tables["financials"], big], ignore_index=True)
    return tables


def test_several_policies_at_once_each_row_naming_its_policy(example: PolicyModel) -> None:
    from laser_policy.rules import compute_all

    hubei = load_policy()
    tables = _hubei_and_city_package()
    both = compute_all(tables, [hubei, example])
    assert list(both.columns[-3:]) == ["rules_version", "policy", "steps"]
    got = [(r.policy, r.incentive, r.uscc, r.year, r.amount_wan, r.province_wan, r.city_wan)
           for r in both.itertuples()]
    assert got == [
        # 52亿 crosses Hubei's 50亿 tier: 200万, half 湖北省, half the firm's city
        ("hubei-laser-2024", "revenue_milestone", "YC9", 2025, 200.0, 100.0, 100.0),
        # and the city's 25亿 tier: 150万, all paid by 宜昌市
        ("example-yichang-laser-2025", "scale_reward", "YC1", 2025, 30.0, 0.0, 30.0),
        ("example-yichang-laser-2025", "scale_reward", "YC1", 2026, 30.0, 0.0, 30.0),
        ("example-yichang-laser-2025", "scale_reward", "YC9", 2025, 150.0, 0.0, 150.0),
        ("example-yichang-laser-2025", "rd_subsidy", "YC1", 2025, 80.0, 0.0, 80.0),
        ("example-yichang-laser-2025", "rd_subsidy", "YC1", 2026, 200.0, 0.0, 200.0),
        ("example-yichang-laser-2025", "rd_subsidy", "YC2", 2025, 40.0, 0.0, 40.0),
        ("example-yichang-laser-2025", "rd_subsidy", "YC9", 2025, 8.0, 0.0, 8.0),
    ]
    # each policy's rows are exactly what it computes alone
    alone = compute_entitlements(tables, example)
    mine = both[both["policy"] == example.id].drop(columns="policy").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, alone)
    # a list given to compute_entitlements is the same as compute_all
    pd.testing.assert_frame_equal(compute_entitlements(tables, [hubei, example]), both)


def test_the_same_policy_twice_is_refused(example: PolicyModel) -> None:
    from laser_policy.errors import PolicyModelError
    from laser_policy.rules import compute_all

    with pytest.raises(PolicyModelError, match="given twice"):
        compute_all(_package(), [example, load_policy(EXAMPLE)])


def test_policy_check_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    from laser_policy.cli import main

    with pytest.raises(SystemExit) as info:
        main(["policy", "check", str(EXAMPLE)])
    assert info.value.code in (0, None)
    assert "示例政办〔2025〕1号" in capsys.readouterr().out


def test_a_contract_column_the_engine_does_not_read_is_refused_by_name(tmp_path: Path) -> None:
    import shutil

    from laser_policy.errors import PolicyModelError

    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "incentives.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("column: rd_expense_wan", "column: laser_revenue_wan"),
                    encoding="utf-8")
    model = load_policy(folder)  # in the data contract: the model is valid
    with pytest.raises(PolicyModelError, match=r"financials\.laser_revenue_wan"):
        compute_entitlements(_package(), model)
