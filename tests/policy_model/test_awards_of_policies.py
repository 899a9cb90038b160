"""``awards.incentive`` accepts the incentive ids the policies in force declare (issue 12):
a city policy's awards rows validate when its model is given; an id no policy in force
declares is refused naming file, row, column; the default is the packaged model's ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from laser_policy.cli import cli, main
from laser_policy.errors import DataValidationError
from laser_policy.io import read_package
from laser_policy.policy.model import incentive_names, load_policy
from laser_policy.sample import write_sample

EXAMPLE = Path(__file__).parent / "example_city_policy"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("awards") / "pkg"
    write_sample(out, enterprises=60, transactions=200, seed=3)
    return out


def _with_awards(sample: Path, tmp_path: Path, *rows: str) -> Path:
    """The sample's enterprises and financials, and an awards.csv of ``rows``."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for name in ("enterprises.csv", "financials.csv"):
        shutil.copy(sample / name, pkg / name)
    uscc = (sample / "enterprises.csv").read_text("utf-8-sig").splitlines()[1].split(",")[0]
    lines = ["uscc,incentive,year,amount_wan,tier,ref",
             *(r.format(uscc=uscc) for r in rows)]
    (pkg / "awards.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return pkg


def test_a_city_policys_awards_validate_when_its_model_is_in_force(
    sample: Path, tmp_path: Path
) -> None:
    pkg = _with_awards(sample, tmp_path,
                       "{uscc},scale_reward,2025,30,,",
                       "{uscc},研发投入补助（示例）,2025,40,,",
                       "{uscc},营收突破奖励,2025,200,,")
    names = incentive_names([load_policy(), load_policy(EXAMPLE)])
    awards = read_package(pkg, tables=["awards"], incentives=names).tables["awards"]
    # the label and the contract's spellings are read as the id
    assert list(awards["incentive"]) == ["scale_reward", "rd_subsidy", "revenue_milestone"]


def test_by_default_only_the_packaged_models_ids_are_accepted(
    sample: Path, tmp_path: Path
) -> None:
    pkg = _with_awards(sample, tmp_path, "{uscc},revenue_milestone,2025,200,,",
                       "{uscc},scale_reward,2025,30,,")
    with pytest.raises(DataValidationError) as info:
        read_package(pkg, tables=["awards"])
    text = str(info.value)
    assert "awards.csv" in text
    assert "scale_reward" in text
    assert read_package(pkg, tables=["awards"], incentives=incentive_names(
        [load_policy(), load_policy(EXAMPLE)])).tables["awards"]["incentive"].tolist() == [
        "revenue_milestone", "scale_reward"]


def test_an_id_no_policy_in_force_declares_is_refused_naming_row_and_column(
    sample: Path, tmp_path: Path
) -> None:
    pkg = _with_awards(sample, tmp_path, "{uscc},scale_reward,2025,30,,",
                       "{uscc},scale_rewrd,2025,30,,", "{uscc},first_set,2025,30,,")
    names = incentive_names([load_policy(EXAMPLE)])
    with pytest.raises(DataValidationError) as info:
        read_package(pkg, tables=["awards"], incentives=names)
    # every problem at once: the typo and Hubei's id (not in force), each located
    got = [(p.file, p.row, p.column, p.value, p.rule) for p in info.value.problems]
    assert got == [("awards.csv", 3, "incentive", "scale_rewrd", "value.choice"),
                   ("awards.csv", 4, "incentive", "first_set", "value.choice")]
    assert "scale_reward（规模晋档奖励（示例））" in info.value.problems[0].message_zh


def test_compute_reads_awards_of_the_models_given(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = _with_awards(sample, tmp_path, "{uscc},scale_reward,2025,30,,")
    with pytest.raises(SystemExit) as info:  # the packaged model alone: not its id
        main(["incentives", "compute", str(pkg)])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "awards.csv" in err
    assert "incentive" in err
    assert "scale_reward" in err
    result = CliRunner().invoke(cli, ["incentives", "compute", str(pkg),
                                      "--model", str(EXAMPLE)])
    assert result.exit_code == 0, result.output


def test_monitor_reads_awards_of_the_models_given(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = _with_awards(sample, tmp_path, "{uscc},scale_reward,2025,30,,")
    with pytest.raises(SystemExit) as info:  # the packaged model alone: not its id
        main(["monitor", str(pkg), "--format", "json"])
    assert info.value.code == 1
    assert "scale_reward" in capsys.readouterr().err
    result = CliRunner().invoke(cli, ["monitor", str(pkg), "--format", "json",
                                      "--model", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
