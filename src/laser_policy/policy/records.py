"""The typed, frozen records a policy model is made of.

Read-only by construction: tuples for sequences, read-only mappings for maps.
:class:`Parameter` is the one with behaviour: the value in force at a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from laser_policy.errors import NotFoundError, PolicyModelError
from laser_policy.policy.numerals import to_numeral

#: a parameter's value as stored: scalars, or tuples for list-valued parameters
StoredValue = bool | int | float | str | tuple[int | float, ...] | tuple[str, ...]
#: a parameter's value as handed out: lists are fresh copies the caller may change
ParamValue = bool | int | float | str | list[int | float] | list[str]

#: units a parameter may have, with what they mean
PARAMETER_UNITS: Mapping[str, str] = {
    "currency-CNY-wan": "万元 (10,000 CNY), a number ≥ 0 or a list of them",
    "/1": "a fraction between 0 and 1 (rate, share), or a list of them",
    "year": "a calendar year",
    "count": "a whole number ≥ 0",
    "bool": "true or false",
    "list": "a list of texts",
    "enum": "one of the parameter's choices",
}


@dataclass(frozen=True)
class Note:
    """A reading the text leaves open, in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    text: str

    @property
    def numeral(self) -> str:
        return to_numeral(self.number)

    @property
    def clause(self) -> str:
        """How targets cite the chapter: 第一部分."""
        return f"第{self.numeral}部分"


@dataclass(frozen=True)
class Measure:
    number: int
    chapter: int
    title: str
    text: str
    lead_units: tuple[str, ...]
    responsible_units: tuple[str, ...]

    @property
    def numeral(self) -> str:
        """The clause as cited: 十八."""
        return to_numeral(self.number)

    @property
    def units(self) -> tuple[str, ...]:
        return self.lead_units + self.responsible_units


@dataclass(frozen=True)
class Unit:
    """A 牵头/责任单位. kind: provincial_department | city_government | other_body."""

    id: str
    name: str
    full_name: str
    kind: str
    collective: bool
    city: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Threshold:
    value: int | float
    unit: str


@dataclass(frozen=True)
class Actual:
    """How a target's actual is computed (``targets.yaml`` ``actual:``): a kind of the
    monitoring (:mod:`laser_policy.monitoring.kinds`) over a table of the data package."""

    kind: str
    table: str | None = None
    column: str | None = None
    #: only firms marked ``is_laser`` (a missing mark counts as laser)
    laser_only: bool = False
    #: only firms of the region's province (a missing province counts as in it)
    in_region: bool = False
    #: share: the true/false column choosing the rows the share is taken over
    among: str | None = None
    #: fewest_per_group: the column whose groups are compared
    group: str | None = None
    #: sum_whole_or_parts: the column naming the part (empty: the row is the whole)
    part: str | None = None
    #: rows kept: column → value it must equal
    where: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: rows kept: column → text it must contain
    contains: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Target:
    id: str
    label_zh: str
    label_en: str
    clause: str
    scope: str
    kind: str
    unit: str
    comparison: str
    basis: str
    aspirational: bool
    values: Mapping[int, int | float | None]
    quote: str
    note: Note | None = None
    threshold: Threshold | None = None
    parameter: str | None = None
    #: how the actual is computed; None: the data package has no table for it yet
    actual: Actual | None = None

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.values))

    @property
    def quantified(self) -> bool:
        return any(v is not None for v in self.values.values())


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    enterprise: str
    phase: int | None
    mentions: Mapping[str, str]
    related: tuple[str, ...]
    note: Note | None = None

    @property
    def clauses(self) -> tuple[str, ...]:
        return tuple(self.mentions)


@dataclass(frozen=True)
class Stage:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ChainItem:
    """A chain item the text names inside a segment (机械部件 in CMP-HEAD).

    ``strength`` is set when the text gives the item another strength than its segment.
    """

    name_zh: str
    clause: str
    quote: str
    strength: str | None = None
    strength_zh: str | None = None
    note: Note | None = None


@dataclass(frozen=True)
class Segment:
    code: str
    name_zh: str
    name_en: str
    stage: str
    strength: str
    strength_zh: str
    clause: str
    also: tuple[str, ...]
    keywords: tuple[str, ...]
    items: tuple[ChainItem, ...] = ()

    @property
    def clauses(self) -> tuple[str, ...]:
        return (self.clause, *self.also)


@dataclass(frozen=True)
class Chain:
    stages: tuple[Stage, ...]
    segments: tuple[Segment, ...]

    def segment(self, code_or_name: str) -> Segment:
        """A segment by code (``MAT-CRYSTAL``) or Chinese name (``激光晶体``)."""
        key = code_or_name.strip()
        for s in self.segments:
            if key in (s.code, s.name_zh):
                return s
        raise NotFoundError(f"产业链环节不存在 / no chain segment {key!r}")

    def in_stage(self, stage: str) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.stage == stage)


@dataclass(frozen=True)
class Parameter:
    """A named policy number (or switch) with its clause and dated values.

    ``values`` holds ``(date, value)`` pairs, oldest first; a value is in force from
    its date until the next one.
    """

    name: str
    label: str
    unit: str
    clause: str
    reference: str
    values: tuple[tuple[dt.date, StoredValue], ...]
    note: Note | None = None
    label_en: str | None = None
    choices: tuple[str, ...] = ()
    ascending: bool = False
    same_length_as: str | None = None
    #: the text gives no such number: the value is the model's assumption (shown as 假设)
    assumption: bool = False

    def at(self, when: int | dt.date) -> ParamValue:
        """The value in force at ``when``.

        An ``int`` is a calendar year and means the value in force on 31 December of
        that year (the rules compute on annual figures, so a change during a year
        applies to that year's figures). A ``datetime.date`` means that day.
        Lists are returned as fresh copies.

        >>> from laser_policy.policy.model import load_policy
        >>> load_policy().parameter("revenue_milestone.amounts_wan").at(2025)
        [200, 500, 1000]
        """
        day = dt.date(when, 12, 31) if isinstance(when, int) else when
        found: StoredValue | None = None
        for start, value in self.values:
            if start <= day:
                found = value
        if found is None:
            first = self.values[0][0] if self.values else None
            raise NotFoundError(
                f"参数 {self.name} 在 {day} 尚无取值（最早 {first}） / "
                f"parameter {self.name} has no value on {day} (first value {first})"
            )
        if isinstance(found, tuple):
            return list(found)  # type: ignore[return-value]  # list[int|float] or list[str]
        return found

    # typed accessors, for code that knows what it reads ---------------------------
    def number_at(self, when: int | dt.date) -> float:
        value = self.at(when)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong("number", value)
        return float(value)

    def int_at(self, when: int | dt.date) -> int:
        value = self.at(when)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong("int", value)
        return value

    def bool_at(self, when: int | dt.date) -> bool:
        value = self.at(when)
        if not isinstance(value, bool):
            raise self._wrong("bool", value)
        return value

    def str_at(self, when: int | dt.date) -> str:
        value = self.at(when)
        if not isinstance(value, str):
            raise self._wrong("str", value)
        return value

    def numbers_at(self, when: int | dt.date) -> list[float]:
        value = self.at(when)
        if not isinstance(value, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            raise self._wrong("list of numbers", value)
        return [float(v) for v in value]

    def strings_at(self, when: int | dt.date) -> list[str]:
        value = self.at(when)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._wrong("list of texts", value)
        return [str(v) for v in value]

    def _wrong(self, expected: str, value: object) -> PolicyModelError:
        return PolicyModelError(
            f"参数 {self.name} 的取值类型不符（应为 {expected}，实为 {value!r}） / "
            f"parameter {self.name} is not a {expected}: {value!r}"
        )


# -- provisions: funds, mechanisms, named things, task items, figures ------------------
@dataclass(frozen=True)
class Amount:
    value: int | float
    unit: str


@dataclass(frozen=True)
class Fund:
    """A fund of the text (十八) with its size where the text states one."""

    id: str
    name_zh: str
    name_en: str
    kind: str
    size: Amount | None
    purposes: tuple[str, ...]
    clause: str
    quote: str
    note: Note | None = None


@dataclass(frozen=True)
class Mechanism:
    """A support mechanism the text names; ``quantified`` False: no number in the text."""

    id: str
    name_zh: str
    name_en: str
    kind: str
    clause: str
    beneficiaries: str
    quantified: bool
    quote: str
    note: Note | None = None
    see: tuple[str, ...] = ()


@dataclass(frozen=True)
class Named:
    """An institution, platform, fund, programme, place, policy, standard or firm named."""

    id: str
    kind: str
    name_zh: str
    clause: str
    quote: str
    status: str = "existing"
    also: tuple[str, ...] = ()

    @property
    def clauses(self) -> tuple[str, ...]:
        return (self.clause, *self.also)


@dataclass(frozen=True)
class TaskItem:
    """A concrete deliverable under a measure, with its units, target and due date."""

    id: str
    clause: str
    name_zh: str
    name_en: str
    lead_units: tuple[str, ...]
    responsible_units: tuple[str, ...]
    deliverable: str
    cadence: str
    due: dt.date
    due_assumed: bool
    quote: str
    count: int | None = None
    unit_zh: str | None = None
    milestone_zh: str | None = None
    items: tuple[str, ...] = ()
    figure: Amount | None = None
    related: tuple[str, ...] = ()
    note: Note | None = None

    @property
    def units(self) -> tuple[str, ...]:
        return self.lead_units + self.responsible_units

    @property
    def target_zh(self) -> str:
        """What is to be delivered: 3家, 一批（原文无数量）, or the milestone."""
        if self.deliverable == "count":
            return f"{self.count}{self.unit_zh or ''}"
        if self.deliverable == "milestone":
            return self.milestone_zh or ""
        return "一批（原文无数量）"


@dataclass(frozen=True)
class Figure:
    """A number of the text that is not a target or parameter, and what it qualifies."""

    id: str
    label_zh: str
    label_en: str
    clause: str
    value: int | float
    unit: str
    of_kind: str
    of_id: str
    judged: bool
    quote: str
    note: Note | None = None
