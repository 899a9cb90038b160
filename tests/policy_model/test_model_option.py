"""``--model DIR`` (repeatable) on the commands that read policy: the packaged model by
default, behaviour unchanged with one model; several models each name their policy; the
chain's "local" is the given model's region (issue 12)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from model_edits import edit

from laser_policy.cli import cli, main
from laser_policy.model import model_path
from laser_policy.sample import write_sample


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("opt") / "pkg"
    write_sample(out, enterprises=120, transactions=2000, seed=5)
    return out


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(model_path(), folder)
    return folder


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_one_model_given_is_the_same_as_the_default(data: Path, tmp_path: Path) -> None:
    copy = _copy(tmp_path, "hubei")
    default = _invoke("monitor", str(data), "--format", "json")
    given = _invoke("monitor", str(data), "--format", "json", "--model", str(copy))
    assert given == default
    assert "policy" not in json.loads(default)[0]


def test_two_models_list_the_targets_of_each_naming_its_policy(
    data: Path, tmp_path: Path
) -> None:
    city = _copy(tmp_path, "city")
    edit(city, "meta.yaml", "id: hubei-laser-2024", "id: example-city-2025")
    rows = json.loads(_invoke("monitor", str(data), "--format", "json",
                              "--model", str(model_path()), "--model", str(city)))
    policies = {r["policy"] for r in rows}
    assert policies == {"hubei-laser-2024", "example-city-2025"}
    per = {p: [r for r in rows if r["policy"] == p] for p in policies}
    assert len(per["hubei-laser-2024"]) == len(per["example-city-2025"])


def test_the_same_policy_twice_is_refused(data: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["monitor", str(data), "--model", str(model_path()),
              "--model", str(_copy(tmp_path, "again"))])
    assert info.value.code == 1
    assert "given twice" in capsys.readouterr().err


def test_a_broken_model_is_refused_naming_file_and_key(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _copy(tmp_path, "broken")
    edit(broken, "region.yaml", 'code: "420100"', 'code: "4201"')
    with pytest.raises(SystemExit) as info:
        main(["monitor", str(data), "--model", str(broken)])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "region.yaml: divisions[0].code" in err


def test_local_supply_reads_the_region_of_the_model_given(data: Path, tmp_path: Path) -> None:
    # a model whose region is another province: the package's Hubei firms are not its
    # buyers, so there is nothing to rate; the packaged model rates them
    other = _copy(tmp_path, "hunan")
    text = (other / "region.yaml").read_text("utf-8")
    text = text.replace("湖北省", "湖南省").replace("[湖北]", "[湖南]").replace('"42', '"43')
    (other / "region.yaml").write_text(text, "utf-8")
    hubei = json.loads(_invoke("chain", "supply", str(data), "--format", "json"))
    hunan = json.loads(_invoke("chain", "supply", str(data), "--format", "json",
                               "--model", str(other)))
    assert any(r["local_rate"] for r in hubei)
    assert hunan == [] or all(not r["purchases_wan"] for r in hunan)


EXAMPLE = Path(__file__).parent / "example_city"


def test_the_documented_city_example_passes_policy_check_and_is_monitored(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the worked example of docs/policy-model.md: its own document, a region subset
    # (one division), one target whose actual is the sum of laser revenue
    with pytest.raises(SystemExit) as info:
        main(["policy", "check", str(EXAMPLE)])
    assert info.value.code == 0, capsys.readouterr().err
    rows = json.loads(_invoke("monitor", str(data), "--format", "json",
                              "--model", str(model_path()), "--model", str(EXAMPLE)))
    city = [r for r in rows if r["policy"] == "example-city-laser-2025"]
    assert {r["kpi"] for r in city} == {"city_industry_scale"}
    hubei_scale = {r["year"]: r["actual"] for r in rows
                   if r["policy"] == "hubei-laser-2024" and r["kpi"] == "industry_scale"}
    assert {r["year"]: r["actual"] for r in city if r["year"] in hubei_scale} == {
        y: v for y, v in hubei_scale.items() if y in {r["year"] for r in city}}
