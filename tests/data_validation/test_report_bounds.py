"""Problem reports stay small however large the input: counts and the first rows only (issue 11)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from laser_policy.contracts.validate import MAX_ROWS_PER_RULE
from laser_policy.errors import DataValidationError, Problem
from laser_policy.io import read_package

from .conftest import financials


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(DataValidationError) as info:
        read_package(path)
    return info.value.problems


def _size(problems: list[Problem]) -> int:
    return sum(len(p.format("zh")) + len(p.format("en")) for p in problems)


def test_one_key_repeated_on_many_rows_gives_a_bounded_report(
    package: Callable[..., Path],
) -> None:
    rows = 5000
    frame = pd.concat([financials().iloc[[0]]] * rows, ignore_index=True)
    problems = _problems(package(financials=frame))
    dup = [p for p in problems if p.rule == "key.duplicate"]
    assert len(dup) == MAX_ROWS_PER_RULE
    assert dup[0].row == 2
    assert "3、4、5" in dup[0].message_zh
    assert f"共{rows}行" in dup[0].message_zh  # the group's size is said, not listed
    assert max(len(p.message_zh) + len(p.message_en) for p in dup) < 400
    more = [p for p in problems if p.rule == "rule.more"]
    assert len(more) == 1
    assert f"共{rows}行" in more[0].message_zh
    assert _size(problems) < 60_000


def test_a_huge_bad_cell_is_shortened_in_the_report(package: Callable[..., Path]) -> None:
    frame = financials().astype(object)
    frame.loc[0, "revenue_wan"] = "x" * 1_000_000
    problems = _problems(package(financials=frame))
    bad = [p for p in problems if p.rule == "value.number"]
    assert bad
    assert bad[0].row == 2
    assert isinstance(bad[0].value, str)
    assert bad[0].value.startswith("xxx")
    assert len(bad[0].value) <= 210
    assert _size(problems) < 5_000
