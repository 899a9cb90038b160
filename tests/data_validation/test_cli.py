"""``laser-policy validate`` and ``template``: exit status, report language, JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from laser_policy.cli import cli

from .conftest import enterprises


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_valid_package_exits_0_with_a_summary(package: Callable[..., Path]) -> None:
    result = run("validate", str(package()))
    assert result.exit_code == 0, result.stderr
    assert "校验通过" in result.stdout
    assert "financials: 8行" in result.stdout


def test_broken_package_exits_1_with_every_problem(package: Callable[..., Path]) -> None:
    frame = enterprises()
    frame.loc[0, "city"] = "长沙"
    frame.loc[1, "uscc"] = frame.loc[1, "uscc"].lower()
    folder = package(enterprises=frame)
    zh = run("validate", str(folder))
    assert zh.exit_code == 1
    lines = zh.stderr.strip().splitlines()
    assert "共" in lines[0]
    assert any("第2行" in line and "value.city" in line for line in lines)
    assert any("小写" in line for line in lines)
    en = run("validate", str(folder), "--lang", "en", "--format", "json")
    assert en.exit_code == 1
    assert "upper case" in en.stderr
    report = json.loads(en.stdout)
    assert report["valid"] is False
    assert {p["rule"] for p in report["problems"]} >= {"value.city", "uscc.lowercase"}


def test_template_command_writes_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = run("template", str(out))
    assert result.exit_code == 0, result.stderr
    again = run("validate", str(out), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["tables"]["enterprises"] == 0
