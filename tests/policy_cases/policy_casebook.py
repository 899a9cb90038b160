"""Reading and checking the YAML policy cases (shared by the collector and the Spark parity test).

A case file holds a list of cases::

    - name: A firm whose 2025 revenue is exactly 50亿 receives 200万.   # a sentence
      overrides: {revenue_milestone.threshold_inclusive: false}       # optional what-if
      year: 2025                                                      # optional --year
      tables:
        enterprises: [{uscc: A, name: 甲（示例）, city: 武汉市}]
        financials:  [{uscc: A, year: 2025, revenue_wan: 500000}]
      expected:                                                       # every row, any order
        - {uscc: A, incentive: revenue_milestone, year: 2025, amount_wan: 200}

An expected row names only the columns it checks; ``explanation_contains``
checks a fragment of the sentence. The output must hold exactly as many rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from laser_policy.policy.model import load_policy
from laser_policy.rules import compute_entitlements

CASES_DIR = Path(__file__).parent
_CASE_KEYS = {"name", "overrides", "year", "tables", "expected"}


@dataclass(frozen=True)
class PolicyCase:
    name: str
    file: str
    tables: dict[str, list[dict[str, Any]]]
    expected: list[dict[str, Any]]
    overrides: dict[str, Any] = field(default_factory=dict)
    year: int | None = None


class CaseMismatchError(AssertionError):
    """A case whose output differs from what the policy text says."""

    def __init__(self, case: PolicyCase, expected: list[dict[str, Any]], got: pd.DataFrame,
                 problems: list[str]):
        self.case = case
        self.expected = expected
        self.got = got
        self.problems = problems
        super().__init__(case.name)

    def report(self) -> str:
        shown = [c for c in ("uscc", "incentive", "year", "role", "ref", "amount_wan",
                             "province_wan", "city_wan") if c in self.got.columns]
        got = self.got[shown].to_string(index=False) if len(self.got) else "(no rows)"
        expected = "\n".join(f"  {row}" for row in self.expected) or "  (no rows)"
        sentences = "\n".join(f"  {s}" for s in self.got.get("explanation", []))
        problems = "\n".join(f"  - {p}" for p in self.problems)
        return (
            f"Policy case failed: {self.case.name}\n  ({self.case.file})\n"
            f"problems:\n{problems}\nexpected:\n{expected}\ngot:\n{got}\n"
            f"explanations:\n{sentences}"
        )


def load_cases(path: Path) -> list[PolicyCase]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    cases = []
    for item in raw:
        unknown = set(item) - _CASE_KEYS
        if unknown or "name" not in item or "expected" not in item:
            raise ValueError(f"{path.name}: bad case {item.get('name')!r}: keys {sorted(unknown)}")
        cases.append(PolicyCase(
            name=item["name"], file=path.name, tables=item.get("tables") or {},
            expected=item["expected"] or [], overrides=item.get("overrides") or {},
            year=item.get("year"),
        ))
    return cases


def all_cases() -> list[PolicyCase]:
    return [c for path in sorted(CASES_DIR.glob("*.yaml")) for c in load_cases(path)]


_ID_COLUMNS = ("uscc", "developer_uscc", "user_uscc", "operator_uscc", "product_id",
               "platform_id", "project_id", "ref")


def _prefix(index: int) -> str:
    return f"c{index:03d}-"


@dataclass
class CaseBatch:
    """Cases sharing overrides and year, their identifiers prefixed per case, in ONE package."""

    model: Any
    year: int | None
    members: list[tuple[int, PolicyCase]]
    tables: dict[str, pd.DataFrame]


def case_batches(cases: list[PolicyCase]) -> list[CaseBatch]:
    """The cases grouped by overrides and year; each case's identifiers get a case
    prefix, so the cases of one batch cannot see each other."""
    groups: dict[str, list[tuple[int, PolicyCase]]] = {}
    for index, case in enumerate(cases):
        key = yaml.safe_dump([sorted(case.overrides.items()), case.year])
        groups.setdefault(key, []).append((index, case))
    base = load_policy()
    batches = []
    for members in groups.values():
        first = members[0][1]
        model = base.with_overrides(first.overrides) if first.overrides else base
        frames: dict[str, list[pd.DataFrame]] = {}
        for index, case in members:
            for name, rows in case.tables.items():
                frame = pd.DataFrame(rows)
                for column in _ID_COLUMNS:
                    if column in frame.columns:
                        frame[column] = [
                            None if pd.isna(v) else _prefix(index) + str(v) for v in frame[column]
                        ]
                frames.setdefault(name, []).append(frame)
        tables = {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}
        batches.append(CaseBatch(model, first.year, members, tables))
    return batches


def run_cases(cases: list[PolicyCase], con: Any) -> dict[str, pd.DataFrame]:
    """Every case's output, computing each batch (:func:`case_batches`) in ONE run.

    The case prefix is removed from the output (uscc, ref, explanation) before checking.
    """
    out: dict[str, pd.DataFrame] = {}
    for batch in case_batches(cases):
        got = compute_entitlements(batch.tables, batch.model, year=batch.year, con=con)
        for index, case in batch.members:
            prefix = _prefix(index)
            mine = got[got["uscc"].str.startswith(prefix)].reset_index(drop=True).copy()
            for column in ("uscc", "ref", "explanation"):
                mine[column] = [
                    None if v is None else str(v).replace(prefix, "") for v in mine[column]
                ]
            out[case.name] = mine
    return out


def run_case(case: PolicyCase, con: Any) -> pd.DataFrame:
    """One case on its own (what ``run_cases`` batches)."""
    return run_cases([case], con)[case.name]


def _matches(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    for key, want in expected.items():
        if key == "explanation_contains":
            fragments = want if isinstance(want, list) else [want]
            if not all(f in (got.get("explanation") or "") for f in fragments):
                return False
            continue
        have = got.get(key)
        if isinstance(want, float | int) and not isinstance(want, bool):
            if have is None or abs(float(have) - float(want)) > 1e-9:
                return False
        elif have != want:
            return False
    return True


def check_case(case: PolicyCase, got: pd.DataFrame) -> None:
    rows = got.to_dict("records")
    remaining = list(rows)
    problems = []
    for want in case.expected:
        hit = next((r for r in remaining if _matches(want, r)), None)
        if hit is None:
            problems.append(f"no row matches expected {want}")
        else:
            remaining.remove(hit)
    problems.extend(
        f"unexpected row {r['uscc']} {r['incentive']} {r['year']} {r['role']} {r['ref']} "
        f"amount {r['amount_wan']}" for r in remaining
    )
    for r in rows:
        total = round(r["province_wan"] + r["city_wan"], 2)
        if total != r["amount_wan"]:
            problems.append(f"province + city != amount in {r}")
    if problems:
        raise CaseMismatchError(case, case.expected, got, problems)
