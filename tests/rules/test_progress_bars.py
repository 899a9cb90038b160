"""Progress bars on stderr when it is a terminal (a pseudo-terminal here), none otherwise."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from laser_policy.sample import write_sample

PHASES = ("读取并校验数据包", "计算应享奖补", "写出结果")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("progress") / "pkg"
    write_sample(out, enterprises=100, transactions=50, seed=2)
    return out


def _command(sample: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "laser_policy", "incentives", "compute", str(sample),
            "--format", "csv", "--output", str(out)]


def _env() -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}


def test_bars_are_drawn_on_a_terminal(sample: Path, tmp_path: Path) -> None:
    master, slave = pty.openpty()
    child = subprocess.Popen(_command(sample, tmp_path / "out.csv"), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=slave, env=_env())
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal is closed once the child exits (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert child.wait(timeout=300) == 0
    text = b"".join(chunks).decode("utf-8", errors="replace")
    for phase in PHASES:
        assert phase in text, text
    assert "━" in text  # rich's bar
    assert "已写出" in text  # the summary still follows


def test_no_bars_when_stderr_is_not_a_terminal(sample: Path, tmp_path: Path) -> None:
    done = subprocess.run(_command(sample, tmp_path / "out.csv"), capture_output=True,
                          env=_env(), check=True)
    stderr = done.stderr.decode("utf-8")
    assert "已写出" in stderr
    for phase in PHASES:
        assert phase not in stderr
    assert "━" not in stderr
    assert "\x1b[" not in stderr
