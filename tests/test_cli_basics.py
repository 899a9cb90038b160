"""The CLI's contract: help, version, exit statuses."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "laser_policy", *args], capture_output=True, text=True, check=False
    )


def test_help_lists_the_policy_group() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "policy" in result.stdout


def test_unknown_command_is_bad_usage() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert "no-such-command" in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert "0.1.0" in result.stdout
