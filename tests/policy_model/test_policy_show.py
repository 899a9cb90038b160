"""``laser-policy policy show``: every view as a Chinese table and as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from laser_policy.cli.policy_show import VIEWS, display_width, render_table, show
from laser_policy.policy.model import PolicyModel


def run(*args: str) -> str:
    result = CliRunner().invoke(show, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_as_a_table(view: str, model: PolicyModel) -> None:
    out = run(view)
    assert model.doc_number in out
    lines = out.splitlines()
    rule = next(i for i, ln in enumerate(lines) if set(ln) <= {"-", " "} and ln)
    header, body = lines[rule - 1], lines[rule + 1 :]
    assert body
    assert all(display_width(ln) <= display_width(lines[rule]) for ln in [header, *body])


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_as_json(view: str, model: PolicyModel) -> None:
    data = json.loads(run(view, "--format", "json"))
    assert data["version"] == model.version
    assert data["doc_number"] == model.doc_number


def test_measures_json_matches_the_parse_output_shape(model: PolicyModel) -> None:
    data = json.loads(run("measures", "--format", "json"))
    assert [c["number"] for c in data["chapters"]] == list(range(1, 8))
    m18 = data["measures"][17]
    assert (m18["number"], m18["chapter"], m18["numeral"]) == (18, 6, "十八")
    assert set(m18) >= {"title", "text", "lead_units", "responsible_units"}
    assert m18["lead_units"] == ["省经信厅"]


def test_every_target_and_parameter_is_shown_with_its_clause(model: PolicyModel) -> None:
    targets = run("targets")
    for t in model.targets:
        assert t.id in targets
        row = next(ln for ln in targets.splitlines() if ln.startswith(t.id + " "))
        assert model.clause_label(t.clause)[:8] in row
    parameters = run("parameters")
    for p in model.parameters.values():
        row = next(ln for ln in parameters.splitlines() if ln.startswith(p.name[:38]))
        assert f"（{p.clause}）" in row
    data = json.loads(run("parameters", "--format", "json"))
    assert all(p["clause"] and p["reference"] for p in data["parameters"])
    assert {p["name"] for p in data["parameters"]} == set(model.parameters)


def test_parameters_json_keeps_dated_values(model: PolicyModel) -> None:
    data = json.loads(run("parameters", "--format", "json"))
    amounts = next(p for p in data["parameters"] if p["name"] == "revenue_milestone.amounts_wan")
    assert amounts["values"] == {"2024-07-22": [200, 500, 1000]}
    assert amounts["unit"] == "currency-CNY-wan"


def test_units_view_lists_what_each_unit_leads(model: PolicyModel) -> None:
    data = json.loads(run("units", "--format", "json"))
    miit = next(u for u in data["units"] if u["name"] == "省经信厅")
    assert 18 in miit["leads"]
    assert {u["kind"] for u in data["units"]} == {
        "provincial_department",
        "city_government",
        "other_body",
    }


def test_render_table_aligns_chinese_columns() -> None:
    out = render_table(["名称", "n"], [["省经信厅", "x"], ["ab", "yy"]]).splitlines()
    header, rule, first, second = out
    starts = {
        display_width(header[: header.index("n")]),
        display_width(rule[: rule.rindex(" ") + 1]),
        display_width(first[: first.index("x")]),
        display_width(second[: second.index("yy")]),
    }
    assert starts == {10}  # 省经信厅 takes 8 columns, then two spaces


def test_a_broken_model_exits_1_naming_file_and_key(model_copy: Path) -> None:
    path = model_copy / "parameters.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2024-07-22: 0.15", "2024-13-01: 0.15")
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "laser_policy",
            "policy",
            "show",
            "parameters",
            "--model",
            str(model_copy),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "parameters.yaml: first_set.rate.values: 2024-13-01 不是有效日期" in result.stderr


def test_unknown_view_is_bad_usage() -> None:
    result = CliRunner().invoke(show, ["budgets"])
    assert result.exit_code == 2
