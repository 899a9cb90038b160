"""``policy check`` refuses a broken region.yaml or a broken target ``actual:`` block:
one failure mode per case, each message naming file and key path (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_edits import edit

from laser_policy.cli import main

_LADDER = "  - id: firms_revenue_over_200yi"
_ACTUAL = "actual: {kind: count_at_least, table: financials, column: revenue_wan"

# (file, anchor, old, new) and the words the message must contain
CASES = [
    pytest.param(
        ("region.yaml", "", 'code: "420100", short: 武汉', "short: 武汉"),
        ["region.yaml", "divisions[0].code", "缺少必需的键", "required key is missing"],
        id="division-without-code",
    ),
    pytest.param(
        ("region.yaml", "", 'code: "420100"', 'code: "42010"'),
        ["region.yaml", "divisions[0].code", "6位数字", "six digits"],
        id="division-code-not-six-digits",
    ),
    pytest.param(
        ("region.yaml", "", 'code: "420100"', 'code: "430100"'),
        ["region.yaml", "divisions[0].code", "不在本省", "not within the province"],
        id="division-code-outside-the-province",
    ),
    pytest.param(
        ("region.yaml", "", 'code: "420200"', 'code: "420100"'),
        ["region.yaml", "divisions[1].code", "重复", "not unique"],
        id="two-divisions-with-one-code",
    ),
    pytest.param(
        ("region.yaml", "", "short: 黄石}", "short: 武汉}"),
        ["region.yaml", "divisions[1]", "武汉", "already names 武汉市"],
        id="one-short-name-for-two-divisions",
    ),
    pytest.param(
        ("region.yaml", "", "  name: hubei\n", "  name: hubei\n  colour: blue\n"),
        ["region.yaml", "map.colour", "未知的键", "unknown key"],
        id="unknown-key-in-region",
    ),
    pytest.param(
        ("region.yaml", "", "province:\n  name: 湖北省\n", "province:\n"),
        ["region.yaml", "province.name", "缺少必需的键", "required key is missing"],
        id="province-without-name",
    ),
    pytest.param(
        ("targets.yaml", _LADDER, "kind: count_at_least", "kind: median"),
        ["targets.yaml", "targets[3].actual.kind", "'median'", "is not one of"],
        id="unknown-actual-kind",
    ),
    pytest.param(
        ("targets.yaml", _LADDER, "column: revenue_wan", "column: turnover_wan"),
        ["targets.yaml", "targets[3].actual.column", "没有列 turnover_wan",
         "no column turnover_wan"],
        id="unknown-column",
    ),
    pytest.param(
        ("targets.yaml", _LADDER, "table: financials", "table: accounts"),
        ["targets.yaml", "targets[3].actual.table", "没有表 accounts", "no table accounts"],
        id="unknown-table",
    ),
    pytest.param(
        ("targets.yaml", _LADDER, "    threshold: {value: 200, unit: currency-CNY-yi}\n", ""),
        ["targets.yaml", "targets[3].actual", "threshold", "needs the target's threshold"],
        id="count-at-least-without-threshold",
    ),
    pytest.param(
        ("targets.yaml", _LADDER, _ACTUAL,
         "actual: {kind: count_at_least, table: transactions, column: amount_wan"),
        ["targets.yaml", "targets[3].actual", "没有 uscc 列", "no uscc column"],
        id="firms-chosen-on-a-table-without-firms",
    ),
    pytest.param(
        ("targets.yaml", "  - id: rd_institution_coverage", "column: has_rd_institution",
         "column: revenue_wan"),
        ["targets.yaml", "targets[9].actual.column", "类型为 float", "needs bool"],
        id="share-of-a-column-that-is-not-true-false",
    ),
    pytest.param(
        ("targets.yaml", "  - id: industry_scale", "column: laser_revenue_wan",
         "column: laser_revenue_wan, group: channel"),
        ["targets.yaml", "targets[0].actual.group", "不用此键", "takes no group"],
        id="a-key-the-kind-does-not-take",
    ),
    pytest.param(
        ("targets.yaml", "  - id: industry_scale", "table: financials, ", ""),
        ["targets.yaml", "targets[0].actual.table", "必需此键", "needs table"],
        id="a-kind-without-its-table",
    ),
]


def _check(capsys: pytest.CaptureFixture[str], folder: Path) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(["policy", "check", str(folder)])
    _, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), err


@pytest.mark.parametrize(("change", "words"), CASES)
def test_policy_check_refuses_a_broken_region_or_target_actual(
    model_copy: Path, capsys: pytest.CaptureFixture[str],
    change: tuple[str, str, str, str], words: list[str],
) -> None:
    file, anchor, old, new = change
    edit(model_copy, file, old, new, after=anchor)
    code, err = _check(capsys, model_copy)
    assert code == 1
    for w in words:
        assert w in err, f"{w!r} not in {err!r}"


def test_the_intact_copy_passes_policy_check(
    model_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["policy", "check", str(model_copy)])
    assert info.value.code == 0
