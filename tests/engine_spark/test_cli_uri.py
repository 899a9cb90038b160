"""``incentives compute --engine spark`` takes the package as a URI and hands it to Spark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from laser_policy.cli import main
from laser_policy.sample import write_sample

pytestmark = pytest.mark.spark


def _compute(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    try:
        main(["incentives", "compute", *args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:  # pragma: no cover - main always exits
        code = 0
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


def test_a_file_uri_gives_the_csv_the_path_gives(
    session: Any, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    package = tmp_path / "pkg"
    write_sample(package, enterprises=120, transactions=0)
    code, duck, err = _compute(capsysbinary, str(package))
    assert code == 0, err
    code, spark, err = _compute(capsysbinary, package.as_uri(), "--engine", "spark")
    assert code == 0, err[-2000:]
    assert spark == duck
    assert duck.count(b"\n") > 1


def test_a_uri_that_is_not_there_is_bad_input(
    session: Any, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, _, err = _compute(capsysbinary, (tmp_path / "nowhere").as_uri(), "--engine", "spark")
    assert code == 1
    assert "nowhere" in err
