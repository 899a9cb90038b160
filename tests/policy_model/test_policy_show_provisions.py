"""``policy show funds|mechanisms|named|tasks|figures|chain|parameters``: every provision is
listed with its clause, and assumed values are marked 假设."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from laser_policy.cli.policy_show import show
from laser_policy.policy.model import PolicyModel


def run(*args: str) -> str:
    result = CliRunner().invoke(show, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def row_of(out: str, key: str) -> str:
    return next(ln for ln in out.splitlines() if ln.startswith(key + " "))


def clause_zh(ref: str) -> str:
    return ref if ref.startswith("第") else f"（{ref}）"


@pytest.mark.parametrize(
    ("view", "attr"),
    [
        ("funds", "funds"),
        ("mechanisms", "mechanisms"),
        ("named", "named"),
        ("tasks", "tasks"),
        ("figures", "figures"),
    ],
)
def test_every_provision_is_listed_with_its_clause(
    model: PolicyModel, view: str, attr: str
) -> None:
    out = run(view)
    items = getattr(model, attr)
    assert items
    for item in items:
        assert clause_zh(item.clause) in row_of(out, item.id), item.id
    data = json.loads(run(view, "--format", "json"))
    listed = data[attr]
    assert [x["id"] for x in listed] == [x.id for x in items]
    assert all(x["clause"] and x["quote"] for x in listed)


def test_the_funds_table_shows_sizes_and_purposes(model: PolicyModel) -> None:
    out = run("funds")
    assert "500亿元" in row_of(out, "chutian_fengming")
    assert "100亿元" in row_of(out, "optics_valley_laser_fund")
    assert "原文未写" in row_of(out, "provincial_guidance_fund")
    assert "并购重组、技术创新、成果转化、应用示范" in row_of(out, "provincial_guidance_fund")


def test_the_tasks_table_shows_target_units_and_assumed_due_dates(model: PolicyModel) -> None:
    out = run("tasks")
    row = row_of(out, "rd_institutes_built")
    assert "3家" in row
    assert "省科技厅" in row
    assert "2026-12-31（假设）" in row
    assert "（假设）" not in row_of(out, "hundred_yi_leader")
    data = json.loads(run("tasks", "--format", "json"))
    first = data["tasks"][0]
    assert (first["number"], first["target_zh"], first["due_assumed"]) == (1, "3家", True)


def test_mechanisms_without_a_number_say_so(model: PolicyModel) -> None:
    assert "原文无数字" in row_of(run("mechanisms"), "major_project_subsidy")


def test_the_chain_view_lists_the_items_under_their_segment(model: PolicyModel) -> None:
    out = run("chain")
    lines = out.splitlines()
    for s in model.chain.segments:
        for item in s.items:
            row = next(ln for ln in lines if f"└ {item.name_zh}" in ln)
            assert row.startswith(s.code)
            assert clause_zh(item.clause) in row
    doping = next(ln for ln in lines if "激光掺杂和消融" in ln)
    assert "长板" in doping
    assert "（五）" in doping
    data = json.loads(run("chain", "--format", "json"))
    lidar = next(s for s in data["segments"] if s["code"] == "APP-LIDAR")
    assert lidar["items"][0]["name_zh"] == "激光雷达芯片"


def test_an_assumed_parameter_is_shown_as_an_assumption(model: PolicyModel) -> None:
    out = run("parameters")
    row = row_of(out, "service_platform.rate")
    assert "10％（假设）" in row
    assert row.split()[-2:] == ["假设", "有"]
    assert "假设" not in row_of(out, "service_platform.cap_wan")
    data = json.loads(run("parameters", "--format", "json"))
    flags = {p["name"]: p["assumption"] for p in data["parameters"]}
    assert flags["service_platform.rate"] is True
    assert flags["service_platform.cap_wan"] is False
    assert {n for n, f in flags.items() if f} == {
        n for n, p in model.parameters.items() if p.assumption
    }


def test_meta_counts_the_provisions(model: PolicyModel) -> None:
    data = json.loads(run("meta", "--format", "json"))
    counts = data["counts"]
    assert counts["funds"] == 3
    assert counts["tasks"] == len(model.tasks)
    assert counts["named"] == len(model.named)
    assert "任务数" in run("meta")
