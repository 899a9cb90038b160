"""``policy check`` refuses a broken incentives.yaml: one failure mode per test, each named
with file and key path, Chinese then English; nothing is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_edits import edit

from laser_policy.cli import main
from laser_policy.errors import PolicyModelError
from laser_policy.policy.model import load_policy

F = "incentives.yaml"

# (anchor, old, new) in incentives.yaml, and the words the message must contain
CASES = [
    pytest.param(
        ("revenue_milestone:", "kind: tiered_once", "kind: tiered_twice"),
        ["revenue_milestone.kind", "未知的奖补类型", "unknown incentive kind 'tiered_twice'"],
        id="unknown-kind",
    ),
    pytest.param(
        ("revenue_milestone:", "column: revenue_wan", "column: turnover_wan"),
        ["revenue_milestone.columns.base.column", "没有列「turnover_wan」",
         "table 'financials' has no column 'turnover_wan'"],
        id="column-not-in-the-contract-table",
    ),
    pytest.param(
        ("innovation_source:", "column: kind, equals", "column: sort, equals"),
        ["innovation_source.eligible[0].column", "table 'projects' has no column 'sort'"],
        id="eligibility-column-not-in-the-contract-table",
    ),
    pytest.param(
        ("revenue_milestone:", "{of: enterprise, column: is_laser",
         "{of: enterprise, column: is_optical"),
        ["revenue_milestone.eligible[0].column", "table 'enterprises' has no column"],
        id="enterprise-column-not-in-the-contract",
    ),
    pytest.param(
        ("first_set:", "share: first_set.province_share}", "share: 1.2}"),
        ["first_set.payers[0].share", "应在0到1之间", "must lie in [0, 1]"],
        id="share-above-one",
    ),
    pytest.param(
        ("first_set:",
         ("    - {payer: province, share: first_set.province_share}\n"
          "    - {payer: enterprise_city, share: rest}"),
         "    - {payer: province, share: 0.5}\n    - {payer: enterprise_city, share: 0.3}"),
        ["first_set.payers", "份额合计 0.8，应为1", "shares sum to 0.8, not 1"],
        id="shares-not-summing-to-one",
    ),
    pytest.param(
        ("first_set:", "{payer: enterprise_city, share: rest}", "{payer: 长沙市, share: rest}"),
        ["first_set.payers[1].payer", "长沙市", "not the province", "division of the region"],
        id="payer-not-a-division-of-the-region",
    ),
    pytest.param(
        ("first_set:", "  clause: 十九", "  clause: 二十九"),
        ["first_set.clause", "条款「二十九」不存在", "clause '二十九' does not exist"],
        id="clause-that-does-not-exist",
    ),
    pytest.param(
        ("first_set:", "  quote: 对纳入", "  quote: 对纳入全球"),
        ["first_set.quote", "不在官方文本", "not found in the official text"],
        id="quote-not-in-the-document",
    ),
    pytest.param(
        ("service_platform:", "cap_wan: service_platform.cap_wan",
         "cap_wan: service_platform.ceiling_wan"),
        ["service_platform.parameters.cap_wan", "parameters.yaml 中没有参数",
         "'service_platform.ceiling_wan' is not in parameters.yaml"],
        id="parameter-key-not-in-parameters-yaml",
    ),
    pytest.param(
        ("service_platform:", "    rate: service_platform.rate\n", ""),
        ["service_platform.parameters.rate", "缺少必需的键", "required key is missing"],
        id="parameter-the-kind-needs-missing",
    ),
    pytest.param(
        ("innovation_source:", "match: [enterprise, item]", "match: [item]"),
        ["innovation_source.ledger.match", "台账匹配键", "matches the ledger on"],
        id="ledger-keys-the-kind-cannot-match",
    ),
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


@pytest.mark.parametrize(("change", "words"), CASES)
def test_policy_check_refuses_a_broken_incentive(
    model_copy: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str, str],
    words: list[str],
) -> None:
    anchor, old, new = change
    edit(model_copy, F, old, new, after=anchor)
    code, _, err = run(capsys, "policy", "check", str(model_copy))
    assert code == 1
    assert f"{F}: " in err
    for word in words:
        assert word in err, f"{word!r} not in {err!r}"
    with pytest.raises(PolicyModelError):
        load_policy(model_copy)


def test_every_problem_of_the_file_is_listed_at_once(
    model_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(model_copy, F, "kind: tiered_once", "kind: tiered_twice")
    edit(model_copy, F, "share: first_set.province_share}", "share: 1.2}")
    edit(model_copy, F, "  clause: 十七", "  clause: 九十", after="service_platform:")
    code, _, err = run(capsys, "policy", "check", str(model_copy))
    assert code == 1
    assert "3个问题" in err
    for path in ("revenue_milestone.kind", "first_set.payers[0].share", "service_platform.clause"):
        assert path in err


def test_the_packaged_incentives_pass_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    model = load_policy()
    assert [i.id for i in model.incentives] == [
        "revenue_milestone", "first_set", "service_platform", "innovation_source"]
    assert model.incentive("revenue_milestone").eligible[0].column == "is_laser"
