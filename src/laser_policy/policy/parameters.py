"""Parsing and checking the dated parameters of ``parameters.yaml`` (and what-if overrides)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from laser_policy.policy.loader import Checker
from laser_policy.policy.numerals import from_numeral, to_numeral
from laser_policy.policy.records import PARAMETER_UNITS, Note, Parameter, StoredValue

_REQUIRED = ("label", "unit", "clause", "reference", "values")
_OPTIONAL = ("label_en", "note", "choices", "ascending", "same_length_as", "assumption")
_LIST_UNITS = ("currency-CNY-wan", "/1")
_FIRST_YEAR, _LAST_YEAR = 1900, 2200


@dataclass(frozen=True)
class ClauseContext:
    """What a parameter is checked against: the document and its clauses."""

    doc_number: str
    effective: dt.date | None
    measure_clauses: frozenset[str]
    chapter_clauses: frozenset[str]

    def exists(self, clause: str) -> bool:
        return clause in self.measure_clauses or clause in self.chapter_clauses


def parse_parameters(ck: Checker, file: str, raw: Any) -> dict[str, Parameter]:
    """``{group: {name: {...}}}`` → ``{"group.name": Parameter}``."""
    out: dict[str, Parameter] = {}
    with ck.item():
        groups = ck.mapping(file, "", raw, (), tuple(raw) if isinstance(raw, dict) else ())
        for group, body in groups.items():
            with ck.item():
                members = ck.mapping(
                    file, group, body, (), tuple(body) if isinstance(body, dict) else ()
                )
                if not members:
                    ck.fail(file, group, "参数组为空", "empty parameter group")
                for pname, pbody in members.items():
                    name = f"{group}.{pname}"
                    with ck.item():
                        out[name] = parse_parameter(ck, file, name, pbody)
    return out


def parse_parameter(ck: Checker, file: str, name: str, raw: Any) -> Parameter:
    body = ck.mapping(file, name, raw, _REQUIRED, _OPTIONAL)
    unit = ck.choice(file, f"{name}.unit", body["unit"], tuple(PARAMETER_UNITS))
    choices: tuple[str, ...] = ()
    if unit == "enum":
        if "choices" not in body:
            ck.fail(
                file, f"{name}.choices", "单位为 enum 时必须列出 choices", "unit enum needs choices"
            )
        choices = ck.strings(file, f"{name}.choices", body["choices"])
    elif "choices" in body:
        ck.fail(
            file,
            f"{name}.choices",
            "只有单位为 enum 时才可有 choices",
            "choices only with unit enum",
        )
    note = None
    if "note" in body:
        n = ck.mapping(file, f"{name}.note", body["note"], ("zh", "en"))
        note = Note(
            ck.string(file, f"{name}.note.zh", n["zh"]), ck.string(file, f"{name}.note.en", n["en"])
        )
    assumption = ck.boolean(file, f"{name}.assumption", body.get("assumption", False))
    if assumption and note is None:
        ck.fail(
            file,
            f"{name}.note",
            "假设取值须在 note 中说明原文未给出该数值",
            "an assumed value needs a note saying the text gives no such number",
        )
    return Parameter(
        name=name,
        label=ck.string(file, f"{name}.label", body["label"]),
        label_en=ck.optional_string(file, f"{name}.label_en", body.get("label_en")),
        unit=unit,
        clause=ck.string(file, f"{name}.clause", body["clause"]),
        reference=ck.string(file, f"{name}.reference", body["reference"]),
        values=parse_values(ck, file, name, body["values"], unit=unit, choices=choices),
        note=note,
        choices=choices,
        ascending=ck.boolean(file, f"{name}.ascending", body.get("ascending", False)),
        same_length_as=ck.optional_string(
            file, f"{name}.same_length_as", body.get("same_length_as")
        ),
        assumption=assumption,
    )


def parse_values(
    ck: Checker,
    file: str,
    name: str,
    raw: Any,
    *,
    unit: str,
    choices: tuple[str, ...],
    shape: bool | None = None,
) -> tuple[tuple[dt.date, StoredValue], ...]:
    """Dated values ``{YYYY-MM-DD: value}``, type-checked against the unit.

    ``shape`` (True = list, False = scalar) is enforced when given; otherwise all
    dated values must agree with each other.
    """
    path = f"{name}.values"
    if not isinstance(raw, dict) or not raw:
        ck.fail(
            file,
            path,
            "应为非空映射 {YYYY-MM-DD: 取值}",
            "expected a non-empty mapping {YYYY-MM-DD: value}",
        )
    pairs: list[tuple[dt.date, StoredValue]] = []
    for key, value in raw.items():
        with ck.item():
            day = ck.date(file, path, key)
            pairs.append(
                (day, parse_value(ck, file, f"{path}.{key}", value, unit=unit, choices=choices))
            )
    if len(pairs) != len(raw):
        ck.skip()
    shapes = {isinstance(v, tuple) for _, v in pairs}
    if shape is not None and shapes != {shape}:
        want = "列表 list" if shape else "单个值 scalar"
        ck.fail(
            file,
            path,
            f"取值形状应为{want}，与原参数一致",
            f"value must be a {want} like the parameter's",
        )
    if len(shapes) > 1:
        ck.fail(
            file,
            path,
            "各日期的取值须同为列表或同为单个值",
            "all dated values must be lists or all scalars",
        )
    if unit == "list" and shapes != {True}:
        ck.fail(file, path, "单位为 list 的取值须为列表", "unit list needs list values")
    return tuple(sorted(pairs, key=lambda p: p[0]))


def parse_value(
    ck: Checker, file: str, path: str, value: Any, *, unit: str, choices: tuple[str, ...]
) -> StoredValue:
    if unit == "list":
        return ck.strings(file, path, value)
    if unit in _LIST_UNITS and isinstance(value, list):
        if not value:
            ck.fail(file, path, "列表不能为空", "the list is empty")
        return tuple(_scalar(ck, file, f"{path}[{i}]", v, unit) for i, v in enumerate(value))  # type: ignore[misc]
    if unit == "enum":
        return ck.choice(file, path, value, choices)
    return _scalar(ck, file, path, value, unit)


def _scalar(ck: Checker, file: str, path: str, value: Any, unit: str) -> bool | int | float:
    if unit == "bool":
        return ck.boolean(file, path, value)
    if unit == "year":
        year = ck.integer(file, path, value)
        if not _FIRST_YEAR <= year <= _LAST_YEAR:
            ck.fail(file, path, f"年份 {year} 不合理", f"{year} is not a plausible year")
        return year
    if unit == "count":
        count = ck.integer(file, path, value)
        if count < 0:
            ck.fail(file, path, f"个数不能为负（{count}）", f"a count cannot be negative ({count})")
        return count
    number = ck.number(file, path, value)
    if unit == "/1" and not 0 <= number <= 1:
        ck.fail(
            file,
            path,
            f"比例 {number} 应在 0 到 1 之间（50％ 写作 0.5）",
            f"share {number} must be within [0, 1] (write 50 % as 0.5)",
        )
    if number < 0:
        ck.fail(file, path, f"金额不能为负（{number}）", f"an amount cannot be negative ({number})")
    return number


def check_parameters(
    ck: Checker, file: str, params: Mapping[str, Parameter], ctx: ClauseContext
) -> None:
    """Checks across a parameter's fields and across parameters."""
    for name, p in params.items():
        if not ctx.exists(p.clause):
            ck.add(
                file,
                f"{name}.clause",
                f"条款「{p.clause}」在文件中不存在（应为 一…{_last(ctx)} 或 第X部分）",
                f"clause {p.clause!r} does not exist in the document",
            )
        elif p.clause in ctx.measure_clauses and (
            ctx.doc_number not in p.reference or f"（{p.clause}）" not in p.reference
        ):
            ck.add(
                file,
                f"{name}.reference",
                f"出处应写明「{ctx.doc_number}」和「（{p.clause}）」",
                f"reference must name {ctx.doc_number} and （{p.clause}）",
            )
        first = p.values[0][0] if p.values else None
        if ctx.effective is not None and first is not None and first > ctx.effective:
            ck.add(
                file,
                f"{name}.values",
                f"取值未覆盖生效日期 {ctx.effective}（最早取值日期 {first}）",
                f"values do not cover the effective date {ctx.effective} (first value {first})",
            )
        for day, value in p.values:
            if p.ascending and isinstance(value, tuple) and not _ascending(value):
                ck.add(
                    file,
                    f"{name}.values.{day}",
                    f"档位须严格递增，实为 {list(value)}",
                    f"tiers must be strictly ascending, got {list(value)}",
                )
            if p.same_length_as is not None:
                _check_same_length(ck, file, params, p, day=day, value=value)


def _check_same_length(
    ck: Checker,
    file: str,
    params: Mapping[str, Parameter],
    p: Parameter,
    *,
    day: dt.date,
    value: StoredValue,
) -> None:
    other = params.get(p.same_length_as or "")
    if other is None:
        ck.add(
            file,
            f"{p.name}.same_length_as",
            f"参数 {p.same_length_as} 不存在",
            f"no parameter {p.same_length_as}",
        )
        return
    try:
        theirs = other.at(day)
    except LookupError:
        return
    if not isinstance(value, tuple) or not isinstance(theirs, list) or len(value) != len(theirs):
        ck.add(
            file,
            f"{p.name}.values.{day}",
            f"长度须与 {other.name} 相同（{_len(value)} ≠ {_len(theirs)}）",
            f"must have as many items as {other.name} ({_len(value)} ≠ {_len(theirs)})",
        )


def _ascending(values: tuple[int | float, ...] | tuple[str, ...]) -> bool:
    return all(a < b for a, b in itertools.pairwise(values))  # type: ignore[operator]


def _len(value: object) -> int | str:
    return len(value) if isinstance(value, list | tuple) else "-"


def _last(ctx: ClauseContext) -> str:
    top = max((from_numeral(c) or 0 for c in ctx.measure_clauses), default=0)
    return to_numeral(top) if top else "?"
