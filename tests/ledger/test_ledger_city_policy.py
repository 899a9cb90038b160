"""``ledger run / budget / what-if --model CITY`` read a package whose ``awards`` name the
city policy's incentives (issue 12: the awards ids are those of the models in force)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from laser_policy.cli.ledger import LEDGER_COMMANDS

EXAMPLE = Path(__file__).parents[1] / "policy_model" / "example_city_policy"


@click.group()
def group() -> None:
    """Stand-in for ``laser-policy incentives``."""


for _command in LEDGER_COMMANDS:
    group.add_command(_command)


def _run(*args: str) -> Result:
    return CliRunner().invoke(group, list(args))


@pytest.fixture(scope="module")
def city_package(sample_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's firms, with an awards ledger of the city policy's reward."""
    pkg = tmp_path_factory.mktemp("city-ledger") / "pkg"
    pkg.mkdir()
    for name in ("enterprises.csv", "financials.csv"):
        shutil.copy(sample_package / name, pkg / name)
    uscc = (sample_package / "enterprises.csv").read_text("utf-8-sig").splitlines()[1].split(",")[0]
    (pkg / "awards.csv").write_text(
        "uscc,incentive,year,amount_wan,tier,ref\n"
        f"{uscc},scale_reward,2025,30,,\n", "utf-8")
    return pkg


def test_the_city_policy_is_run_into_the_ledger(city_package: Path, db_url: str) -> None:
    result = _run("run", str(city_package), "--db", db_url, "--user", "宜昌专班",
                  "--model", str(EXAMPLE))
    assert result.exit_code == 0, (result.output, result.exception)
    listed = _run("list", "--db", db_url, "--format", "json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert rows
    assert {r["incentive"] for r in rows} <= {"scale_reward", "rd_subsidy"}


def test_what_if_on_the_city_policy_reads_its_awards(city_package: Path) -> None:
    result = _run("what-if", str(city_package), "--set", "rd_subsidy.rate=0.1",
                  "--format", "json", "--model", str(EXAMPLE))
    assert result.exit_code == 0, (result.output, result.exception)
    assert json.loads(result.output)["total_change_wan"] > 0


def test_without_the_city_model_its_awards_rows_are_refused(city_package: Path) -> None:
    result = _run("what-if", str(city_package), "--set", "first_set.rate=0.2")
    assert result.exit_code != 0
    assert "scale_reward" in str(result.exception)
