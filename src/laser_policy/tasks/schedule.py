"""The reporting calendar (督办): periods, who reports on what, and when it is due.

Period format
-------------
A reporting period is written as a year and an optional part of it:

- ``2025Q3`` — the third quarter of 2025 (1 July – 30 September);
- ``2025H1`` — the first half of 2025 (1 January – 30 June);
- ``2025`` — the whole year 2025.

Lower case (``2025q3``) and the forms officials type in a spreadsheet are accepted
and normalised: ``2025年第三季度`` / ``2025年3季度`` → ``2025Q3``, ``2025年上半年`` →
``2025H1``, ``2025年下半年`` → ``2025H2``, ``2025年`` / ``2025年度`` → ``2025``.

>>> p = Period.parse("2025年第三季度")
>>> str(p), p.start.isoformat(), p.end.isoformat()
('2025Q3', '2025-07-01', '2025-09-30')
>>> Period.parse("2025h1").end.isoformat()
'2025-06-30'

Who reports and when
--------------------
Every lead unit (牵头单位) and responsible unit (责任单位) of a measure reports on that
measure once per period; measures that name no unit (二十一–二十三) have no reports.
A report is due :attr:`ScheduleSettings.due_days` days after its period ends. That
number is an administrative setting of the task force, **not** a number of the policy
text, so it lives here with a documented default and can be changed per deployment
through the environment (``LASER_POLICY_TASKS_DUE_DAYS``, ``…_WARN_DAYS``,
``…_FREQUENCY``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Literal

from laser_policy.errors import InputError
from laser_policy.policy.model import PolicyModel

Frequency = Literal["Q", "H", "Y"]
FREQUENCIES: tuple[Frequency, ...] = ("Q", "H", "Y")
#: months in one period of each frequency
_MONTHS = {"Q": 3, "H": 6, "Y": 12}
_PARTS = {"Q": 4, "H": 2, "Y": 1}
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

#: days are counted in China Standard Time (UTC+8, no daylight saving): a report handed in
#: at 23:30 Beijing time on its due day is on time
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")

DUE_DAYS_ENV = "LASER_POLICY_TASKS_DUE_DAYS"
WARN_DAYS_ENV = "LASER_POLICY_TASKS_WARN_DAYS"
FREQUENCY_ENV = "LASER_POLICY_TASKS_FREQUENCY"

_CODE = re.compile(r"^(\d{4})(?:([QH])([1-4]))?Y?$")
_ZH_QUARTER = re.compile(r"^(\d{4})年?第?([一二三四1-4])季度?$")
_ZH_HALF = re.compile(r"^(\d{4})年?([上下])半年$")
_ZH_YEAR = re.compile(r"^(\d{4})年度?$")


@dataclass(frozen=True)
class ScheduleSettings:
    """How the task force runs reporting; administrative, not policy.

    - ``due_days`` (default 15): a report is due this many days after its period ends
      (the common 督办 practice of reporting by the middle of the next month);
    - ``warn_days`` (default 7): a missing report turns amber this many days before
      it is due;
    - ``frequency`` (default ``Q``): the periods units report on, ``Q`` quarterly,
      ``H`` half-yearly, ``Y`` yearly; used where no period is given.
    """

    due_days: int = 15
    warn_days: int = 7
    frequency: Frequency = "Q"

    def __post_init__(self) -> None:
        if self.due_days < 0 or self.warn_days < 0:
            raise InputError(f"报送期限天数须为非负整数 / due_days and warn_days must be >= 0 "
                             f"(got {self.due_days}, {self.warn_days})")
        if self.frequency not in FREQUENCIES:
            raise InputError(f"报送频次须为 Q、H 或 Y / frequency must be Q, H or Y "
                             f"(got {self.frequency!r})")

    @classmethod
    def from_env(cls) -> ScheduleSettings:
        """Defaults, overridden by ``LASER_POLICY_TASKS_*`` environment variables."""
        base = cls()

        def number(name: str, default: int) -> int:
            raw = os.environ.get(name)
            if raw is None or raw.strip() == "":
                return default
            try:
                return int(raw)
            except ValueError:
                raise InputError(f"环境变量 {name} 须为整数 / {name} must be an integer "
                                 f"(got {raw!r})") from None

        freq = os.environ.get(FREQUENCY_ENV, base.frequency).strip().upper() or base.frequency
        if freq not in FREQUENCIES:
            raise InputError(f"环境变量 {FREQUENCY_ENV} 须为 Q、H 或 Y / must be Q, H or Y "
                             f"(got {freq!r})")
        return cls(number(DUE_DAYS_ENV, base.due_days), number(WARN_DAYS_ENV, base.warn_days),
                   freq)  # type: ignore[arg-type]


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: ``kind`` Q (quarter), H (half year) or Y (year), ``index`` 1-based."""

    year: int
    kind: Frequency
    index: int

    @classmethod
    def parse(cls, text: object) -> Period:
        """Read ``2025Q3``, ``2025H1``, ``2025`` or their Chinese forms; raise InputError."""
        raw = str(text).strip() if text is not None else ""
        if isinstance(text, float) and text.is_integer():
            raw = str(int(text))
        s = raw.replace(" ", "").upper()
        if m := _CODE.match(s):
            kind = m.group(2) or "Y"
            return cls(int(m.group(1)), kind, int(m.group(3) or 1))  # type: ignore[arg-type]
        if (m := _ZH_QUARTER.match(s)) and m.group(2) in _ZH_DIGITS:
            return cls(int(m.group(1)), "Q", _ZH_DIGITS[m.group(2)])
        if m := _ZH_HALF.match(s):
            return cls(int(m.group(1)), "H", 1 if m.group(2) == "上" else 2)
        if m := _ZH_YEAR.match(s):
            return cls(int(m.group(1)), "Y", 1)
        raise InputError(f"报告期格式不对：{raw!r}；应为 2025Q3（季度）、2025H1（半年）"
                         f"或 2025（年度） / bad period {raw!r}: expected e.g. 2025Q3, 2025H1 "
                         "or 2025")

    def __post_init__(self) -> None:
        if not 1 <= self.index <= _PARTS[self.kind]:
            raise InputError(f"报告期不存在 / no such period: {self.year}{self.kind}{self.index}")

    def __str__(self) -> str:
        return str(self.year) if self.kind == "Y" else f"{self.year}{self.kind}{self.index}"

    @property
    def label_zh(self) -> str:
        if self.kind == "Q":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        if self.kind == "H":
            return f"{self.year}年{'上下'[self.index - 1]}半年"
        return f"{self.year}年度"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> dt.date:
        month = self.index * _MONTHS[self.kind]
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def due(self, settings: ScheduleSettings) -> dt.date:
        """The day the report on this period is due (inclusive)."""
        return self.end + dt.timedelta(days=settings.due_days)

    def next(self) -> Period:
        if self.index < _PARTS[self.kind]:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    @classmethod
    def containing(cls, day: dt.date, kind: Frequency) -> Period:
        return cls(day.year, kind, (day.month - 1) // _MONTHS[kind] + 1)


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day in China of a moment (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA_TZ).date()


def latest_ended(as_of: dt.date, kind: Frequency) -> Period:
    """The last period of ``kind`` that ended on or before ``as_of``.

    >>> str(latest_ended(dt.date(2025, 10, 5), "Q")), str(latest_ended(dt.date(2025, 9, 30), "Q"))
    ('2025Q3', '2025Q3')
    """
    current = Period.containing(as_of, kind)
    if current.end <= as_of:
        return current
    if current.index > 1:
        return Period(current.year, kind, current.index - 1)
    return Period(current.year - 1, kind, _PARTS[kind])


def periods_between(first: dt.date, last: dt.date, kind: Frequency) -> list[Period]:
    """Every period of ``kind`` that overlaps [first, last], in order."""
    out: list[Period] = []
    p = Period.containing(first, kind)
    while p.start <= last:
        out.append(p)
        p = p.next()
    return out


@dataclass(frozen=True)
class Assignment:
    """One unit's duty to report on one measure: role ``lead`` (牵头) or ``responsible`` (责任)."""

    measure: int
    numeral: str
    title: str
    unit: str
    role: Literal["lead", "responsible"]

    @property
    def role_zh(self) -> str:
        return "牵头单位" if self.role == "lead" else "责任单位"


def assignments(model: PolicyModel, unit: str | None = None) -> list[Assignment]:
    """Every (measure, unit) pair that reports, measure order, lead units first.

    >>> from laser_policy.policy.model import load_policy
    >>> [a.unit for a in assignments(load_policy()) if a.measure == 4]
    ['省市场监管局', '武汉市人民政府']
    """
    name = model.unit(unit).name if unit is not None else None
    out: list[Assignment] = []
    for m in model.measures:
        for role, units in (("lead", m.lead_units), ("responsible", m.responsible_units)):
            out.extend(Assignment(m.number, m.numeral, m.title, u, role)  # type: ignore[arg-type]
                       for u in units if name is None or u == name)
    return out
