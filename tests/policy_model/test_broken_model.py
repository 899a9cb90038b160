"""One broken model file per failure mode: each refused with a message naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_edits import edit

from laser_policy.errors import PolicyModelError
from laser_policy.policy.model import load_policy

# (file, anchor, old, new) and the words the message must contain
CASES = [
    pytest.param(
        (
            "parameters.yaml",
            "  rate:\n    label: 首台",
            "    clause: 十九\n",
            "    clause: 十九\n    clause: 十八\n",
        ),
        ["parameters.yaml", "first_set.rate.clause", "重复", "duplicate key"],
        id="duplicate-key",
    ),
    pytest.param(
        (
            "parameters.yaml",
            "  cap_wan:\n    label: 研制方",
            "    unit:",
            "    colour: red\n    unit:",
        ),
        ["parameters.yaml", "first_set.cap_wan.colour", "未知的键", "unknown key"],
        id="unknown-key",
    ),
    pytest.param(
        ("units.yaml", "name: 省卫健委", "    kind: provincial_department\n", ""),
        ["units.yaml", "units[6].kind", "缺少", "missing"],
        id="missing-key",
    ),
    pytest.param(
        ("parameters.yaml", "  rate:\n    label: 首台", "2024-07-22:", "2024-02-30:"),
        [
            "parameters.yaml",
            "first_set.rate.values",
            "2024-02-30",
            "不是有效日期",
            "not a valid date",
        ],
        id="bad-date",
    ),
    pytest.param(
        ("parameters.yaml", "  rate:\n    label: 首台", "2024-07-22:", "2025-01-01:"),
        ["parameters.yaml", "first_set.rate.values", "生效日期", "do not cover"],
        id="values-not-covering-the-effective-date",
    ),
    pytest.param(
        ("parameters.yaml", "service_platform:", "2024-07-22: 500\n", "2024-07-22: 五百万\n"),
        [
            "parameters.yaml",
            "service_platform.cap_wan.values.2024-07-22",
            "应为数值",
            "expected a number",
        ],
        id="non-numeric-value",
    ),
    pytest.param(
        ("parameters.yaml", "  province_share:\n    label: 奖励资金", "    clause: 十八\n", ""),
        ["parameters.yaml", "revenue_milestone.province_share.clause", "缺少", "missing"],
        id="missing-clause",
    ),
    pytest.param(
        (
            "parameters.yaml",
            "  cap_wan:\n    label: 研制方",
            "    clause: 十九\n",
            "    clause: 二十四\n",
        ),
        ["parameters.yaml", "first_set.cap_wan.clause", "二十四", "does not exist"],
        id="clause-not-in-the-document",
    ),
    pytest.param(
        ("measures.yaml", "", "lead_units: [省卫健委]", "lead_units: [省卫生厅]"),
        ["measures.yaml", "measures[10].lead_units", "省卫生厅", "units.yaml"],
        id="unknown-unit-in-a-measure",
    ),
    pytest.param(
        ("measures.yaml", "", "  - number: 18  #", "  - number: 24  #"),
        ["measures.yaml", "measures.number", "连续", "1..23"],
        id="measure-numbers-not-contiguous",
    ),
    pytest.param(
        ("parameters.yaml", "", "[500000, 1000000, 2000000]", "[500000, 2000000, 1000000]"),
        [
            "parameters.yaml",
            "revenue_milestone.thresholds_wan.values.2024-07-22",
            "递增",
            "ascending",
        ],
        id="non-ascending-thresholds",
    ),
    pytest.param(
        ("parameters.yaml", "", "[200, 500, 1000]", "[200, 500]"),
        [
            "parameters.yaml",
            "revenue_milestone.amounts_wan.values.2024-07-22",
            "长度",
            "as many items",
        ],
        id="amounts-and-thresholds-of-different-length",
    ),
    pytest.param(
        ("parameters.yaml", "  developer_share:", "2024-07-22: 0.5", "2024-07-22: 50"),
        ["parameters.yaml", "first_set.developer_share.values.2024-07-22", "0 到 1", "[0, 1]"],
        id="share-above-one",
    ),
    pytest.param(
        ("targets.yaml", "id: special_fund_projects", "2025: 3,", "2025: 4,"),
        ["targets.yaml", "targets[10].values.2025", "special_fund.projects_per_channel_per_year"],
        id="target-disagrees-with-parameter",
    ),
    pytest.param(
        ("meta.yaml", "", "issued: 2024-07-22", "issued: 2024-7-222"),
        ["meta.yaml", "issued", "不是有效日期"],
        id="bad-date-in-meta",
    ),
    pytest.param(
        ("chain.yaml", "code: APP-LIDAR", "strength: new", "strength: shiny"),
        ["chain.yaml", "segments[20].strength", "shiny"],
        id="unknown-chain-strength",
    ),
    pytest.param(
        ("projects.yaml", "", "十九: 帝尔激光三期", "十九: 帝尔激光四期"),
        ["projects.yaml", "projects[5].mentions.十九", "帝尔激光四期"],
        id="project-not-in-its-clause",
    ),
    pytest.param(
        ("units.yaml", "", "  - id: hb-sti\n", "  - id: HB STI\n"),
        ["units.yaml", "units[0].id", "ASCII"],
        id="unit-id-not-a-slug",
    ),
    pytest.param(
        ("targets.yaml", "", "quote: 新增3家左右上市企业", "quote: 新增30家左右上市企业"),
        ["targets.yaml", "targets[6].quote"],
        id="target-quote-not-in-the-text",
    ),
]


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_a_broken_model_is_refused_naming_file_and_key(
    model_copy: Path, change: tuple[str, str, str, str], expected: list[str]
) -> None:
    file, after, old, new = change
    edit(model_copy, file, old, new, after=after)
    with pytest.raises(PolicyModelError) as err:
        load_policy(model_copy)
    message = str(err.value)
    for words in expected:
        assert words in message, message


def test_all_problems_are_reported_at_once(model_copy: Path) -> None:
    edit(model_copy, "parameters.yaml", "2024-07-22: 0.15", "2024-02-30: 0.15")
    edit(model_copy, "units.yaml", "    kind: provincial_department\n", "")
    with pytest.raises(PolicyModelError) as err:
        load_policy(model_copy)
    message = str(err.value)
    assert "first_set.rate.values" in message
    assert "units[0].kind" in message
    assert "2 problem(s)" in message


def test_a_yaml_syntax_error_names_the_file(model_copy: Path) -> None:
    edit(model_copy, "chain.yaml", "stages:\n", "stages: [\n")
    with pytest.raises(PolicyModelError, match=r"chain\.yaml: YAML"):
        load_policy(model_copy)


def test_a_missing_file_is_named(model_copy: Path) -> None:
    (model_copy / "projects.yaml").unlink()
    with pytest.raises(PolicyModelError, match=r"projects\.yaml"):
        load_policy(model_copy)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(PolicyModelError, match="does not exist"):
        load_policy(tmp_path / "nowhere")


def test_an_intact_copy_loads_and_any_edit_changes_the_version(model_copy: Path) -> None:
    original = load_policy(model_copy)
    assert original.version == load_policy().version
    edit(model_copy, "units.yaml", "full_name: 湖北省教育厅", "full_name: 湖北省教育厅 ")
    assert load_policy(model_copy).version != original.version
