"""Collects the YAML policy cases as pytest items (pattern of openfisca's ``tools/test_runner``).

Each case runs on DuckDB; a failure prints the case's sentence and expected vs
got, not a traceback. ``test_spark_parity.py`` runs every case on Spark too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest

from .policy_casebook import CaseMismatchError, PolicyCase, check_case, load_cases, run_cases


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent == Path(__file__).parent:
        return YamlFile.from_parent(parent, path=file_path)
    return None


def pytest_configure(config: pytest.Config) -> None:
    # ibis asks pandas about an option pandas 3 deprecates; not ours to fix
    config.addinivalue_line("filterwarnings", "ignore::pandas.errors.Pandas4Warning")


class YamlFile(pytest.File):
    """One YAML file of cases; its cases are computed together once, checked one by one."""

    def collect(self) -> Iterator[pytest.Item]:
        self.cases = load_cases(self.path)
        self._results: dict[str, pd.DataFrame] | None = None
        for case in self.cases:
            yield YamlItem.from_parent(self, name=case.name, case=case)

    def results(self) -> dict[str, pd.DataFrame]:
        if self._results is None:
            self._results = run_cases(self.cases, ibis.duckdb.connect())
        return self._results


class YamlItem(pytest.Item):
    def __init__(self, *, case: PolicyCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, YamlFile)
        check_case(self.case, parent.results()[self.case.name])

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseMismatchError):
            return excinfo.value.report()
        return f"Policy case errored: {self.case.name}\n{super().repr_failure(excinfo)}"

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"policy case: {self.case.name}"


@pytest.fixture(scope="session")
def spark_con() -> Any:
    """One Spark (local mode) Ibis backend for the whole test session."""
    from laser_policy.engine import connect

    return connect("spark")
