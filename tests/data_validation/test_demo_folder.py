"""``laser-policy demo --dir X`` never replaces what X already holds without --force (issue 11)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from laser_policy.cli.web import demo
from laser_policy.errors import UsageError
from laser_policy.sample.enterprises import MIN_ENTERPRISES


def _run(*args: str) -> tuple[int, str]:
    """Exit status and output, as ``laser-policy`` gives them (a UsageError exits 2)."""
    result = CliRunner().invoke(demo, [*args, "--transactions", "0", "--no-serve"])
    if isinstance(result.exception, UsageError):
        return result.exception.exit_code, str(result.exception)
    return result.exit_code, result.output


def test_existing_data_folder_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / "data" / "enterprises.csv"
    mine.parent.mkdir()
    mine.write_text("我自己的数据\n", encoding="utf-8")
    code, output = _run("--dir", str(tmp_path), "--enterprises", str(MIN_ENTERPRISES))
    assert code == 2, output
    assert "--force" in output
    assert mine.read_text(encoding="utf-8") == "我自己的数据\n"
    assert not (tmp_path / "laser-policy-demo.db").exists()


def test_force_replaces_it(tmp_path: Path) -> None:
    mine = tmp_path / "data" / "enterprises.csv"
    mine.parent.mkdir()
    mine.write_text("我自己的数据\n", encoding="utf-8")
    code, output = _run("--dir", str(tmp_path), "--enterprises", str(MIN_ENTERPRISES), "--force")
    assert code == 0, output
    assert "我自己的数据" not in mine.read_text(encoding="utf-8")


def test_enterprises_option_states_the_real_minimum() -> None:
    help_text = CliRunner().invoke(demo, ["--help"]).output
    assert f"{MIN_ENTERPRISES}–100000" in help_text
    code, output = _run("--enterprises", str(MIN_ENTERPRISES - 1))
    assert code == 2
    assert f"{MIN_ENTERPRISES}<=x<=100000" in output.replace(" ", "")


def test_the_previous_demo_is_replaced_without_force(tmp_path: Path) -> None:
    """``bash scripts/demo.sh`` run twice: the second run replaces the first run's own
    synthetic output (marked by the demo), never a folder the demo did not write."""
    first, output = _run("--dir", str(tmp_path), "--enterprises", str(MIN_ENTERPRISES))
    assert first == 0, output
    again, output = _run("--dir", str(tmp_path), "--enterprises", str(MIN_ENTERPRISES))
    assert again == 0, output
    (tmp_path / ".laser-policy-demo").unlink()
    refused, output = _run("--dir", str(tmp_path), "--enterprises", str(MIN_ENTERPRISES))
    assert refused == 2, output
