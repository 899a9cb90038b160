"""``laser-policy chain …`` and ``laser-policy match``: outputs and exit statuses."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.cli import main

Runner = Callable[..., "Result"]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run the CLI in this process (as ``laser-policy ARGS``), with its exit status."""

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        out = capsys.readouterr()
        return Result(int(exit_info.value.code or 0), out.out, out.err)

    return invoke


def test_supply_json_has_the_fixed_columns_and_totals(run: Runner, package: Path) -> None:
    result = run("chain", "supply", str(package), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {"segment", "city", "year", "purchases_wan", "local_wan", "local_rate",
            "same_city_wan", "same_city_rate"} <= set(rows[0])
    grand = [r for r in rows if r["segment"] is None and r["city"] is None and r["year"] is None]
    assert len(grand) == 1
    assert grand[0]["purchases_wan"] == 2850.0  # 1750 in 2024 + 1100 in 2025


def test_weak_links_csv_and_targets_json(run: Runner, package: Path) -> None:
    weak = run("chain", "weak-links", str(package), "--format", "csv")
    assert weak.returncode == 0, weak.stderr
    df = pd.read_csv(io.StringIO(weak.stdout))
    assert list(df.loc[df["weak"], "segment"]) == ["MAT-CRYSTAL", "CMP-HEAD"]
    targets = run("chain", "targets", str(package), "--format", "json", "--top", "1")
    assert targets.returncode == 0, targets.stderr
    body = json.loads(targets.stdout)
    assert [s["segment"] for s in body["segments"]] == ["MAT-CRYSTAL", "CMP-HEAD"]
    assert body["segments"][0]["suppliers"][0]["name"] == "苏州晶体科技有限公司（示例）"


def test_match_json_gives_reasons(run: Runner, package: Path) -> None:
    result = run("match", str(package), "--demand", "万瓦级激光切割头", "--top", "2",
                 "--format", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["matches"][0]["id"] == "O2"
    assert body["matches"][0]["reason_zh"]


def test_bad_usage_and_bad_input_exit_codes(run: Runner, package: Path, tmp_path: Path) -> None:
    both = run("match", str(package), "--demand", "x", "--offer", "y")
    assert both.returncode == 2
    assert "--demand" in both.stderr
    unknown = run("chain", "targets", str(package), "--segment", "NOPE")
    assert unknown.returncode == 2
    (tmp_path / "enterprises.csv").write_text("uscc,name\n", encoding="utf-8")
    empty = run("chain", "supply", str(tmp_path))
    assert empty.returncode == 1
    assert "transactions" in empty.stderr


def test_spark_settings_must_be_key_value(run: Runner, package: Path) -> None:
    bad = run("chain", "supply", str(package), "--engine", "spark", "--spark-conf", "oops")
    assert bad.returncode == 2
    assert "key=value" in bad.stderr


def test_an_empty_result_says_so(run: Runner, package: Path) -> None:
    result = run("chain", "map", str(package), "--propose")
    assert result.returncode == 0
    assert "无结果" in result.stdout or "segment" in result.stdout
