"""Broken funds, mechanisms, named things, tasks, figures and chain items: each refused with
a message naming file and key path (one broken copy of the packaged model per case)."""

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
            "named.yaml",
            "id: hgtech_central_institute",
            "quote: 加快建设华工科技中央研究院",
            "quote: 加快建设华工科技中央研究总院",
        ),
        [
            "named.yaml",
            "named[2].quote",
            "不在官方文本 document.txt 中",
            "not found in the official text",
        ],
        id="quote-not-in-the-text",
    ),
    pytest.param(
        ("named.yaml", "id: hgtech_central_institute", "clause: 一,", "clause: 二,"),
        ["named.yaml", "named[2].quote", "引文不在（二）原文中", "not found in the text of 二"],
        id="quote-in-the-text-but-not-in-its-clause",
    ),
    pytest.param(
        ("tasks.yaml", "id: pilot_platforms", "clause: 三", "clause: 二十四"),
        ["tasks.yaml", "tasks[6].clause", "条款「二十四」不存在", "does not exist"],
        id="unknown-clause",
    ),
    pytest.param(
        ("funds.yaml", "funds:", "id: chutian_fengming", "id: provincial_guidance_fund"),
        ["funds.yaml", "funds[1].id", "重复", "not unique"],
        id="duplicate-id",
    ),
    pytest.param(
        ("tasks.yaml", "id: rd_institutes_built", "    count: 3\n", "    count: 4\n"),
        ["tasks.yaml", "tasks[0].count", "与所列 3 项不符", "differs from the 3 items"],
        id="task-count-differs-from-its-items",
    ),
    pytest.param(
        (
            "tasks.yaml",
            "id: talent_measures_by_city",
            "lead_units: [省委人才办]",
            "lead_units: [省经信厅]",
        ),
        [
            "tasks.yaml",
            "lead_units[0]",
            "不是该措施的牵头单位",
            "not among the measure's lead_units",
        ],
        id="task-unit-not-of-its-measure",
    ),
    pytest.param(
        ("tasks.yaml", "id: rd_institutes_built", "due: 2026-12-31", "due: 2026-06-30"),
        ["tasks.yaml", "tasks[0].due", "规划期末 2026-12-31", "plan's end"],
        id="assumed-due-date-not-the-plan-end",
    ),
    pytest.param(
        ("tasks.yaml", "id: rd_institutes_built", "due: 2026-12-31", "due: 2027-12-31"),
        ["tasks.yaml", "tasks[0].due", "不在政策期限", "outside the policy period"],
        id="due-date-outside-the-period",
    ),
    pytest.param(
        ("funds.yaml", "id: chutian_fengming", "value: 500", "value: 600"),
        ["funds.yaml", "funds[1].size", "600亿元 不在引文中", "is not in the quote"],
        id="fund-size-not-in-its-quote",
    ),
    pytest.param(
        ("figures.yaml", "id: chutian_fengming_size", "value: 500", "value: 50"),
        ["figures.yaml", "figures[4].value", "不一致", "disagrees with the size 500"],
        id="figure-disagrees-with-its-fund",
    ),
    pytest.param(
        (
            "figures.yaml",
            "id: fibre_laser_market_rank",
            "id: fibre_laser_market_lead}",
            "id: no_such_task}",
        ),
        ["figures.yaml", "figures[2].of.id", "task no_such_task 不存在"],
        id="figure-of-an-unknown-item",
    ),
    pytest.param(
        (
            "funds.yaml",
            "id: optics_valley_laser_fund",
            "purposes: [mergers,",
            "purposes: [buyouts,",
        ),
        ["funds.yaml", "funds[2].purposes", "buyouts 未在 purposes 中列出"],
        id="fund-purpose-not-listed",
    ),
    pytest.param(
        ("named.yaml", "id: wnlo", "kind: institution", "kind: monument"),
        ["named.yaml", "named[0].kind", "不是允许的取值", "is not one of"],
        id="named-kind-unknown",
    ),
    pytest.param(
        ("named.yaml", "id: huawei", "name_zh: 华为", "name_zh: 中兴"),
        ["named.yaml", "named[", ".name_zh", "名称「中兴」不在引文中"],
        id="named-name-not-in-its-quote",
    ),
    pytest.param(
        ("mechanisms.yaml", "id: financing_guarantee", "    quantified: false\n", ""),
        ["mechanisms.yaml", "mechanisms[0].quantified", "缺少", "missing"],
        id="mechanism-without-quantified",
    ),
    pytest.param(
        (
            "tasks.yaml",
            "id: hundred_yi_leader",
            "related: [firms_revenue_over_100yi]",
            "related: [firms_over_100yi]",
        ),
        ["tasks.yaml", ".related", "firms_over_100yi 不存在"],
        id="task-related-to-an-unknown-id",
    ),
    pytest.param(
        (
            "chain.yaml",
            "name_zh: 激光雷达芯片",
            "quote: 引导相关企业加强对半固态和固态激光雷达及芯片的研发",
            "quote: 引导相关企业加强对激光雷达芯片的研发",
        ),
        ["chain.yaml", "segments[20].items[0].quote", "不在官方文本"],
        id="chain-item-quote-not-in-the-text",
    ),
]


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_a_broken_provision_is_refused_naming_file_and_key(
    model_copy: Path, change: tuple[str, str, str, str], expected: list[str]
) -> None:
    file, after, old, new = change
    edit(model_copy, file, old, new, after=after)
    with pytest.raises(PolicyModelError) as err:
        load_policy(model_copy)
    message = str(err.value)
    for words in expected:
        assert words in message, message


PROVISION_FILES = ["funds.yaml", "mechanisms.yaml", "named.yaml", "tasks.yaml", "figures.yaml"]


def test_a_folder_without_the_provision_files_loads_with_none(model_copy: Path) -> None:
    """A draft of a new policy (``policy draft``) has no funds, tasks …: it still loads."""
    for file in PROVISION_FILES:
        (model_copy / file).unlink()
    model = load_policy(model_copy)
    assert (model.funds, model.mechanisms, model.named, model.tasks, model.figures) == (
        (),
        (),
        (),
        (),
        (),
    )
    assert dict(model.fund_purposes) == {}
    assert len(model.measures) == 23


@pytest.mark.parametrize("file", PROVISION_FILES)
def test_an_empty_provisions_file_is_refused(model_copy: Path, file: str) -> None:
    (model_copy / file).write_text("", encoding="utf-8")
    with pytest.raises(PolicyModelError, match=file.replace(".", r"\.")):
        load_policy(model_copy)


def test_a_figure_of_a_missing_task_file_is_named(model_copy: Path) -> None:
    (model_copy / "tasks.yaml").unlink()
    with pytest.raises(PolicyModelError) as err:
        load_policy(model_copy)
    assert "figures.yaml: figures[2].of.id: task fibre_laser_market_lead 不存在" in str(err.value)


def test_a_quote_is_checked_against_the_shipped_document(model_copy: Path) -> None:
    """The clause texts of measures.yaml are transcriptions; the quote must be in
    document.txt itself: a document that lost the passage refuses the model."""
    doc = model_copy / "document.txt"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("海外服务驿站", "海外服务站"), encoding="utf-8")
    with pytest.raises(PolicyModelError) as err:
        load_policy(model_copy)
    message = str(err.value)
    assert "named.yaml: named[" in message
    assert "tasks.yaml: tasks[" in message
    assert "不在官方文本 document.txt 中" in message


def test_an_assumed_parameter_needs_a_note(model_copy: Path) -> None:
    path = model_copy / "parameters.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, ln in enumerate(lines) if ln.startswith("service_platform:"))
    at = next(i for i in range(start, len(lines)) if lines[i] == "    note:\n")
    del lines[at : at + 3]  # note:, zh:, en:
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(PolicyModelError) as err:
        load_policy(model_copy)
    message = str(err.value)
    assert "parameters.yaml: service_platform.rate.note: 假设取值须在 note 中说明" in message
    assert "needs a note" in message


def test_a_transcription_in_half_width_still_finds_its_quote_in_the_document(
    model_copy: Path,
) -> None:
    """document.txt writes 15％; a transcription (or a draft) may write 15%."""
    for file in ("targets.yaml", "measures.yaml"):
        path = model_copy / file
        path.write_text(path.read_text(encoding="utf-8").replace("15％左右", "15%左右"), "utf-8")
    model = load_policy(model_copy)
    assert model.target("invention_patents_growth").quote.endswith("15%左右")
