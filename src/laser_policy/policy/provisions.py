"""The provisions of a model folder beyond its money rules: funds, mechanisms, named things,
task items and figures (``funds.yaml``, ``mechanisms.yaml``, ``named.yaml``,
``tasks.yaml``, ``figures.yaml``).

Every item carries its clause and a quote; :class:`Sources` checks that the clause
exists and that the quote occurs, whitespace aside, both in the official text
(``document.txt``) and in that clause's text. Problems name file and key path.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from laser_policy.policy.loader import Checker
from laser_policy.policy.records import (
    Amount,
    Figure,
    Fund,
    Measure,
    Mechanism,
    Named,
    TaskItem,
)
from laser_policy.policy.structure import Meta, flat, items, note, unique

FUND_KINDS = ("guidance_fund", "state_mother_fund", "industry_fund")
MECHANISM_KINDS = ("guarantee", "subsidy", "fund", "channel", "talent", "other")
NAMED_KINDS = (
    "institution",
    "platform",
    "fund",
    "programme",
    "place",
    "policy",
    "standard",
    "enterprise",
)
NAMED_STATUSES = ("existing", "to_build", "to_attract")
DELIVERABLES = ("count", "batch", "milestone")
CADENCES = ("once", "annual")
AMOUNT_UNITS = ("currency-CNY-yi", "currency-CNY-wan", "ratio", "rank", "count")
FIGURE_OF = ("target", "fund", "task", "segment")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def comparable(text: str) -> str:
    """Text without whitespace, in NFKC form, for finding a quote in the official text.

    >>> comparable("年均增速 15％ 左右") == comparable("年均增速15%左右")
    True
    """
    return flat(unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Sources:
    """The texts quotes are checked against: each clause's text and the whole document."""

    texts: Mapping[str, str]
    #: the official text, without whitespace and in NFKC form (see :func:`comparable`)
    document: str | None

    def check(self, ck: Checker, file: str, path: str, clause: str, quote: str) -> None:
        """The clause exists; the quote is in document.txt and in the clause's text.

        Against document.txt the comparison ignores whitespace and character width
        (NFKC: ％ and %, full- and half-width digits are the same), since a
        transcription may write either.
        """
        if clause not in self.texts:
            ck.add(
                file,
                f"{path}.clause",
                f"条款「{clause}」不存在",
                f"clause {clause!r} does not exist",
            )
            return
        words = flat(quote)
        if self.document is not None and comparable(words) not in self.document:
            ck.add(
                file,
                f"{path}.quote",
                f"引文「{quote}」不在官方文本 document.txt 中",
                f"quote {quote!r} not found in the official text document.txt",
            )
        elif words not in self.texts[clause]:
            ck.add(
                file,
                f"{path}.quote",
                f"引文不在（{clause}）原文中",
                f"quote not found in the text of {clause}",
            )

    def exists(self, clause: str) -> bool:
        return clause in self.texts


@dataclass(frozen=True)
class Provisions:
    fund_purposes: Mapping[str, str]
    funds: tuple[Fund, ...]
    mechanisms: tuple[Mechanism, ...]
    named: tuple[Named, ...]
    tasks: tuple[TaskItem, ...]
    figures: tuple[Figure, ...]


def _id(ck: Checker, f: str, path: str, value: Any) -> str:
    text = ck.string(f, path, value)
    if not _ID.match(text):
        ck.fail(
            f,
            path,
            f"编号 {text!r} 须为ASCII小写下划线格式",
            f"id {text!r} must be snake_case ASCII",
        )
    return text


def _amount(ck: Checker, f: str, path: str, raw: Any) -> Amount:
    a = ck.mapping(f, path, raw, ("value", "unit"))
    value = ck.number(f, f"{path}.value", a["value"])
    if value < 0:
        ck.fail(f, f"{path}.value", "数值不能为负", "a figure cannot be negative")
    return Amount(value, ck.choice(f, f"{path}.unit", a["unit"], AMOUNT_UNITS))


# -- funds.yaml -----------------------------------------------------------------------
def read_funds(ck: Checker, raw: Any, src: Sources) -> tuple[Mapping[str, str], tuple[Fund, ...]]:
    f = "funds.yaml"
    purposes: dict[str, str] = {}
    out: list[Fund] = []
    with ck.item():
        top = ck.mapping(f, "", raw, ("purposes", "funds"))
        with ck.item():
            pur = ck.mapping(f, "purposes", top["purposes"], ("clause", "quote", "items"))
            clause = ck.string(f, "purposes.clause", pur["clause"])
            quote = ck.string(f, "purposes.quote", pur["quote"])
            src.check(ck, f, "purposes", clause, quote)
            listed = ck.mapping(f, "purposes.items", pur["items"], (), tuple(pur["items"] or ()))
            for code, name in listed.items():
                zh = ck.string(f, f"purposes.items.{code}", name)
                if flat(zh) not in flat(quote):
                    ck.add(
                        f,
                        f"purposes.items.{code}",
                        f"「{zh}」不在 purposes.quote 中",
                        f"{zh!r} is not in purposes.quote",
                    )
                purposes[str(code)] = zh
        for p, item in items(ck, f, {"funds": top["funds"]}, "funds"):
            with ck.item():
                d = ck.mapping(
                    f,
                    p,
                    item,
                    ("id", "name_zh", "name_en", "kind", "size", "purposes", "clause", "quote"),
                    ("note",),
                )
                fund = Fund(
                    id=_id(ck, f, f"{p}.id", d["id"]),
                    name_zh=ck.string(f, f"{p}.name_zh", d["name_zh"]),
                    name_en=ck.string(f, f"{p}.name_en", d["name_en"]),
                    kind=ck.choice(f, f"{p}.kind", d["kind"], FUND_KINDS),
                    size=None if d["size"] is None else _amount(ck, f, f"{p}.size", d["size"]),
                    purposes=ck.strings(f, f"{p}.purposes", d["purposes"]),
                    clause=ck.string(f, f"{p}.clause", d["clause"]),
                    quote=ck.string(f, f"{p}.quote", d["quote"]),
                    note=note(ck, f, f"{p}.note", d.get("note")),
                )
                src.check(ck, f, p, fund.clause, fund.quote)
                for code in fund.purposes:
                    if code not in purposes:
                        ck.add(
                            f,
                            f"{p}.purposes",
                            f"用途 {code} 未在 purposes 中列出",
                            f"purpose {code} is not listed under purposes",
                        )
                if fund.size is not None and _figure_text(fund.size) not in flat(fund.quote):
                    ck.add(
                        f,
                        f"{p}.size",
                        f"规模 {_figure_text(fund.size)} 不在引文中",
                        f"size {_figure_text(fund.size)} is not in the quote",
                    )
                out.append(fund)
    unique(ck, f, "funds", [x.id for x in out], "id")
    return MappingProxyType(purposes), tuple(out)


def _figure_text(a: Amount) -> str:
    unit = {"currency-CNY-yi": "亿元", "currency-CNY-wan": "万元"}.get(a.unit, "")
    return f"{a.value:g}{unit}"


# -- mechanisms.yaml ------------------------------------------------------------------
def read_mechanisms(ck: Checker, raw: Any, src: Sources) -> tuple[Mechanism, ...]:
    f = "mechanisms.yaml"
    out: list[Mechanism] = []
    for p, item in items(ck, f, raw, "mechanisms"):
        with ck.item():
            d = ck.mapping(
                f,
                p,
                item,
                (
                    "id",
                    "name_zh",
                    "name_en",
                    "kind",
                    "clause",
                    "beneficiaries",
                    "quantified",
                    "quote",
                    "note",
                ),
                ("see",),
            )
            m = Mechanism(
                id=_id(ck, f, f"{p}.id", d["id"]),
                name_zh=ck.string(f, f"{p}.name_zh", d["name_zh"]),
                name_en=ck.string(f, f"{p}.name_en", d["name_en"]),
                kind=ck.choice(f, f"{p}.kind", d["kind"], MECHANISM_KINDS),
                clause=ck.string(f, f"{p}.clause", d["clause"]),
                beneficiaries=ck.string(f, f"{p}.beneficiaries", d["beneficiaries"]),
                quantified=ck.boolean(f, f"{p}.quantified", d["quantified"]),
                quote=ck.string(f, f"{p}.quote", d["quote"]),
                note=note(ck, f, f"{p}.note", d["note"]),
                see=ck.strings(f, f"{p}.see", d.get("see", [])),
            )
            src.check(ck, f, p, m.clause, m.quote)
            out.append(m)
    unique(ck, f, "mechanisms", [m.id for m in out], "id")
    return tuple(out)


# -- named.yaml -----------------------------------------------------------------------
def read_named(ck: Checker, raw: Any, src: Sources) -> tuple[Named, ...]:
    f = "named.yaml"
    out: list[Named] = []
    for p, item in items(ck, f, raw, "named"):
        with ck.item():
            d = ck.mapping(
                f, p, item, ("id", "kind", "name_zh", "clause", "quote"), ("status", "also")
            )
            n = Named(
                id=_id(ck, f, f"{p}.id", d["id"]),
                kind=ck.choice(f, f"{p}.kind", d["kind"], NAMED_KINDS),
                name_zh=ck.string(f, f"{p}.name_zh", d["name_zh"]),
                clause=ck.string(f, f"{p}.clause", d["clause"]),
                quote=ck.string(f, f"{p}.quote", d["quote"]),
                status=ck.choice(f, f"{p}.status", d.get("status", "existing"), NAMED_STATUSES),
                also=ck.strings(f, f"{p}.also", d.get("also", [])),
            )
            src.check(ck, f, p, n.clause, n.quote)
            if flat(n.name_zh) not in flat(n.quote):
                ck.add(
                    f,
                    f"{p}.name_zh",
                    f"名称「{n.name_zh}」不在引文中",
                    f"name {n.name_zh!r} is not in the quote",
                )
            for i, other in enumerate(n.also):
                if not src.exists(other):
                    ck.add(f, f"{p}.also[{i}]", f"条款「{other}」不存在", f"no clause {other!r}")
                elif flat(n.name_zh) not in src.texts[other]:
                    ck.add(
                        f,
                        f"{p}.also[{i}]",
                        f"「{n.name_zh}」不在（{other}）原文中",
                        f"{n.name_zh!r} not found in the text of {other}",
                    )
            out.append(n)
    unique(ck, f, "named", [n.id for n in out], "id")
    unique(ck, f, "named", [n.name_zh for n in out], "name_zh")
    return tuple(out)


# -- tasks.yaml -----------------------------------------------------------------------
_TASK_REQUIRED = (
    "id",
    "clause",
    "name_zh",
    "name_en",
    "deliverable",
    "cadence",
    "due",
    "due_assumed",
    "quote",
)
_TASK_OPTIONAL = (
    "count",
    "unit_zh",
    "milestone_zh",
    "items",
    "figure",
    "related",
    "note",
    "lead_units",
    "responsible_units",
)


def read_tasks(
    ck: Checker,
    raw: Any,
    src: Sources,
    measures: Mapping[str, Measure],
    meta: Meta | None,
) -> tuple[TaskItem, ...]:
    f = "tasks.yaml"
    out: list[TaskItem] = []
    for p, item in items(ck, f, raw, "tasks"):
        with ck.item():
            d = ck.mapping(f, p, item, _TASK_REQUIRED, _TASK_OPTIONAL)
            clause = ck.string(f, f"{p}.clause", d["clause"])
            quote = ck.string(f, f"{p}.quote", d["quote"])
            src.check(ck, f, p, clause, quote)
            measure = measures.get(clause)
            if measure is None:
                ck.fail(
                    f,
                    f"{p}.clause",
                    f"任务须属于某条措施（一…二十三），实为「{clause}」",
                    f"a task belongs to a measure, got {clause!r}",
                )
            lead = _units(ck, f, p, d, "lead_units", measure.lead_units)
            resp = _units(ck, f, p, d, "responsible_units", measure.responsible_units)
            if not lead + resp:
                ck.add(
                    f,
                    f"{p}.clause",
                    f"（{clause}）未列单位，任务无人负责",
                    f"measure {clause} names no unit to deliver the task",
                )
            deliverable = ck.choice(f, f"{p}.deliverable", d["deliverable"], DELIVERABLES)
            count = None
            if deliverable == "count":
                count = ck.integer(f, f"{p}.count", d.get("count"))
                if count < 1:
                    ck.add(f, f"{p}.count", "数量须至少为1", "count must be at least 1")
                if "unit_zh" not in d:
                    ck.add(f, f"{p}.unit_zh", "数量任务须写明量词", "a count needs unit_zh")
            elif "count" in d:
                ck.add(
                    f,
                    f"{p}.count",
                    "只有 deliverable 为 count 时才可有 count",
                    "count only with deliverable count",
                )
            milestone = ck.optional_string(f, f"{p}.milestone_zh", d.get("milestone_zh"))
            if deliverable == "milestone" and milestone is None:
                ck.add(
                    f,
                    f"{p}.milestone_zh",
                    "里程碑任务须写明 milestone_zh",
                    "a milestone needs milestone_zh",
                )
            listed = ck.strings(f, f"{p}.items", d.get("items", []))
            for i, name in enumerate(listed):
                if flat(name) not in flat(quote):
                    ck.add(
                        f,
                        f"{p}.items[{i}]",
                        f"「{name}」不在引文中",
                        f"{name!r} is not in the quote",
                    )
            if count is not None and listed and len(listed) != count:
                ck.add(
                    f,
                    f"{p}.count",
                    f"数量 {count} 与所列 {len(listed)} 项不符",
                    f"count {count} differs from the {len(listed)} items listed",
                )
            due = ck.date(f, f"{p}.due", d["due"])
            due_assumed = ck.boolean(f, f"{p}.due_assumed", d["due_assumed"])
            if meta is not None:
                _check_due(ck, f, p, due, due_assumed, meta)
            out.append(
                TaskItem(
                    id=_id(ck, f, f"{p}.id", d["id"]),
                    clause=clause,
                    name_zh=ck.string(f, f"{p}.name_zh", d["name_zh"]),
                    name_en=ck.string(f, f"{p}.name_en", d["name_en"]),
                    lead_units=lead,
                    responsible_units=resp,
                    deliverable=deliverable,
                    cadence=ck.choice(f, f"{p}.cadence", d["cadence"], CADENCES),
                    due=due,
                    due_assumed=due_assumed,
                    quote=quote,
                    count=count,
                    unit_zh=ck.optional_string(f, f"{p}.unit_zh", d.get("unit_zh")),
                    milestone_zh=milestone,
                    items=listed,
                    figure=None
                    if "figure" not in d
                    else _amount(ck, f, f"{p}.figure", d["figure"]),
                    related=ck.strings(f, f"{p}.related", d.get("related", [])),
                    note=note(ck, f, f"{p}.note", d.get("note")),
                )
            )
    unique(ck, f, "tasks", [t.id for t in out], "id")
    return tuple(out)


def _units(
    ck: Checker, f: str, p: str, d: Mapping[str, Any], key: str, of_measure: tuple[str, ...]
) -> tuple[str, ...]:
    """The task's units: the measure's, or a subset of them when the task names some."""
    if key not in d:
        return of_measure
    named = ck.strings(f, f"{p}.{key}", d[key])
    for i, name in enumerate(named):
        if name not in of_measure:
            ck.add(
                f,
                f"{p}.{key}[{i}]",
                f"「{name}」不是该措施的{'牵头' if key == 'lead_units' else '责任'}单位"
                f"（{'、'.join(of_measure) or '无'}）",
                f"{name!r} is not among the measure's {key} ({', '.join(of_measure) or 'none'})",
            )
    return named


def _check_due(ck: Checker, f: str, p: str, due: dt.date, assumed: bool, meta: Meta) -> None:
    end = dt.date(meta.end_year, 12, 31)
    if not meta.effective <= due <= end:
        ck.add(
            f,
            f"{p}.due",
            f"截止日期 {due} 不在政策期限 {meta.effective}—{end} 内",
            f"due date {due} outside the policy period {meta.effective}–{end}",
        )
    elif assumed and due != end:
        ck.add(
            f,
            f"{p}.due",
            f"原文未给日期时截止日期取规划期末 {end}（实为 {due}）",
            f"with no date in the text the due date is the plan's end {end} (got {due})",
        )


# -- figures.yaml ---------------------------------------------------------------------
def read_figures(ck: Checker, raw: Any, src: Sources) -> tuple[Figure, ...]:
    f = "figures.yaml"
    out: list[Figure] = []
    for p, item in items(ck, f, raw, "figures"):
        with ck.item():
            d = ck.mapping(
                f,
                p,
                item,
                (
                    "id",
                    "label_zh",
                    "label_en",
                    "clause",
                    "value",
                    "unit",
                    "of",
                    "judged",
                    "quote",
                    "note",
                ),
            )
            of = ck.mapping(f, f"{p}.of", d["of"], ("kind", "id"))
            fig = Figure(
                id=_id(ck, f, f"{p}.id", d["id"]),
                label_zh=ck.string(f, f"{p}.label_zh", d["label_zh"]),
                label_en=ck.string(f, f"{p}.label_en", d["label_en"]),
                clause=ck.string(f, f"{p}.clause", d["clause"]),
                value=ck.number(f, f"{p}.value", d["value"]),
                unit=ck.choice(f, f"{p}.unit", d["unit"], AMOUNT_UNITS),
                of_kind=ck.choice(f, f"{p}.of.kind", of["kind"], FIGURE_OF),
                of_id=ck.string(f, f"{p}.of.id", of["id"]),
                judged=ck.boolean(f, f"{p}.judged", d["judged"]),
                quote=ck.string(f, f"{p}.quote", d["quote"]),
                note=note(ck, f, f"{p}.note", d["note"]),
            )
            src.check(ck, f, p, fig.clause, fig.quote)
            out.append(fig)
    unique(ck, f, "figures", [x.id for x in out], "id")
    return tuple(out)


# -- across files ---------------------------------------------------------------------
def check_references(
    ck: Checker,
    prov: Provisions,
    *,
    targets: frozenset[str],
    projects: frozenset[str],
    segments: frozenset[str],
    parameters: frozenset[str],
) -> None:
    """Ids that items point to exist; a figure of a fund agrees with the fund's size."""
    funds = {x.id: x for x in prov.funds}
    tasks = {t.id for t in prov.tasks}
    named = {n.id for n in prov.named}
    mechanisms = {m.id for m in prov.mechanisms}
    for i, m in enumerate(prov.mechanisms):
        for ref in m.see:
            if ref not in funds.keys() | parameters | targets | mechanisms:
                ck.add(
                    "mechanisms.yaml",
                    f"mechanisms[{i}].see",
                    f"{ref} 不存在",
                    f"{ref} is not a fund, parameter, target or mechanism",
                )
    known = targets | projects | named | funds.keys() | mechanisms | tasks
    for i, t in enumerate(prov.tasks):
        for ref in t.related:
            if ref not in known:
                ck.add(
                    "tasks.yaml",
                    f"tasks[{i}].related",
                    f"{ref} 不存在",
                    f"{ref} is not a target, project, named thing, fund, mechanism or task",
                )
    kinds = {"target": targets, "fund": funds.keys(), "task": tasks, "segment": segments}
    for i, fig in enumerate(prov.figures):
        if fig.of_id not in kinds[fig.of_kind]:
            ck.add(
                "figures.yaml",
                f"figures[{i}].of.id",
                f"{fig.of_kind} {fig.of_id} 不存在",
                f"no {fig.of_kind} {fig.of_id}",
            )
        fund = funds.get(fig.of_id) if fig.of_kind == "fund" else None
        if fund is not None and (fund.size is None or fund.size.value != fig.value):
            size = None if fund.size is None else fund.size.value
            ck.add(
                "figures.yaml",
                f"figures[{i}].value",
                f"与 funds.yaml 中 {fund.id} 的规模 {size} 不一致",
                f"disagrees with the size {size} of {fund.id} in funds.yaml",
            )
