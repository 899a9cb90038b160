"""One root error with families beneath it.

Each family also inherits the built-in type it resembles, so callers that know
nothing of laser-policy can still catch it (pattern of ibis ``common/exceptions``).
Errors are translated only at the edges: the CLI turns them into one line on
stderr and an exit status, the web layer into a status page and a JSON shape.

Messages are Chinese first, English second, and say what, where, got vs
expected and how to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any


class LaserPolicyError(Exception):
    """Root of every error laser-policy raises on purpose."""

    #: exit status the CLI uses for this family
    exit_code: int = 1


class InputError(LaserPolicyError, ValueError):
    """Bad input: a file, a value or a document the user supplied (exit 1)."""


class DocumentError(InputError):
    """A policy document that cannot be read or is not a policy document."""


class PolicyModelError(InputError):
    """The policy model (YAML package data) is malformed: names file and key."""


class UsageError(LaserPolicyError):
    """The command was called wrongly: options missing or contradictory (exit 2)."""

    exit_code = 2


class LedgerError(LaserPolicyError, RuntimeError):
    """A ledger operation that would break its rules (e.g. a second payment)."""


class NotFoundError(LaserPolicyError, LookupError):
    """Something asked for by key does not exist."""


@dataclass(frozen=True)
class Problem:
    """One problem found in input data, located as a spreadsheet user counts.

    ``row`` is the row number the user sees: 1 is the header, 2 the first data
    row (CSV and xlsx alike); ``None`` for a file-level problem.
    """

    file: str
    rule: str
    message_zh: str
    message_en: str
    row: int | None = None
    column: str | None = None
    value: Any = None

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column is not None:
            parts.append(f"列「{self.column}」")
        return " ".join(parts)

    def format(self, lang: str = "zh") -> str:
        value = "" if self.value is None else f"（值: {self.value!r}）"
        msg = self.message_zh if lang == "zh" else self.message_en
        return f"{self.where()}: {msg}{value} [{self.rule}]"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["value"] is not None and not isinstance(d["value"], str | int | float | bool):
            d["value"] = str(d["value"])
        return d


class DataValidationError(InputError):
    """Every problem of an input, collected and raised once (pattern of splink's ErrorLogger)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        first = self.problems[0].format() if self.problems else ""
        more = f"；另有{n - 1}个问题 / and {n - 1} more" if n > 1 else ""
        super().__init__(f"数据校验未通过，共{n}个问题 / {n} problem(s): {first}{more}")

    def report(self, lang: str = "zh") -> str:
        return "\n".join(p.format(lang) for p in self.problems)


class ProblemCollector:
    """Collects problems and raises them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataValidationError(self.problems)
