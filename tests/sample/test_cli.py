"""``laser-policy sample``: formats, exit statuses, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from laser_policy.cli import cli
from laser_policy.io.package import read_package
from laser_policy.sample import GROUND_TRUTH


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["sample", *args])
    return result.exit_code, result.output


def test_help_says_synthetic() -> None:
    code, out = _run("--help")
    assert code == 0
    assert "合成" in out
    assert "--transactions" in out


@pytest.mark.parametrize(("fmt", "package"), [("parquet", "."), ("xlsx", "sample.xlsx")])
def test_other_formats_are_valid_packages(tmp_path: Path, fmt: str, package: str) -> None:
    out = tmp_path / "p"
    code, text = _run(str(out), "--enterprises", "80", "--transactions", "500", "--seed", "2",
                      "--format", fmt)
    assert code == 0, text
    assert "synthetic" in text
    assert (out / GROUND_TRUTH).is_file()
    assert (out / "README.txt").is_file()
    pkg = read_package(out / package)
    assert len(pkg.get("enterprises")) == 80
    assert len(pkg.get("transactions")) == 500


def test_refuses_an_existing_output_with_exit_status_2(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "laser_policy", "sample", str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "输出位置已存在" in result.stderr
    assert "--overwrite" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_the_sample_passes_laser_policy_validate(package: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "laser_policy", "validate", str(package)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "transactions" in result.stdout
