"""``incentives compute DATA --model A --model B``: the entitlements of every policy in force,
each row naming its policy; with one model the output is unchanged (issue 12)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.cli.incentives import TABLES, render
from laser_policy.io import read_package
from laser_policy.model import model_path
from laser_policy.policy.model import incentive_names, load_policy
from laser_policy.rules import compute_entitlements
from laser_policy.sample import write_sample

EXAMPLE = Path(__file__).parent / "example_city_policy"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("several") / "pkg"
    write_sample(out, enterprises=120, transactions=2000, seed=5)
    return out


def _compute(data: Path, *models: Path) -> pd.DataFrame:
    args = ["incentives", "compute", str(data)]
    for m in models:
        args += ["--model", str(m)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.output), dtype=str, keep_default_na=False)


def test_two_policies_list_both_entitlements_each_row_naming_its_policy(data: Path) -> None:
    hubei = _compute(data, model_path())
    both = _compute(data, model_path(), EXAMPLE)
    # the city policy alone, through the library (alone, the sample's Hubei awards rows name
    # incentives it does not declare: see test_awards_of_policies)
    example = load_policy(EXAMPLE)
    tables = read_package(data, tables=TABLES,
                          incentives=incentive_names([load_policy(), example])).tables
    city = pd.read_csv(io.BytesIO(render(compute_entitlements(tables, example, with_steps=False),
                                         "csv")), dtype=str, keep_default_na=False)
    assert "policy" not in hubei.columns
    assert list(both["policy"].unique()) == ["hubei-laser-2024", "example-yichang-laser-2025"]
    per = {p: both[both["policy"] == p].drop(columns="policy").reset_index(drop=True)
           for p in both["policy"].unique()}
    pd.testing.assert_frame_equal(per["hubei-laser-2024"], hubei)
    pd.testing.assert_frame_equal(per["example-yichang-laser-2025"], city)
    assert set(city["incentive"]) == {"scale_reward", "rd_subsidy"}
    assert set(city["clause"]) == {"一", "二"}


def test_one_model_given_is_the_output_of_the_default(data: Path) -> None:
    default = CliRunner().invoke(cli, ["incentives", "compute", str(data)])
    given = CliRunner().invoke(cli, ["incentives", "compute", str(data),
                                     "--model", str(model_path())])
    assert default.exit_code == given.exit_code == 0
    assert given.output == default.output
