"""From a model folder's YAML files to checked records.

Each file is read strictly (:mod:`laser_policy.policy.loader`), each entry is
type-checked, then the files are checked against each other: measure numbers
contiguous, units named in measures registered, clauses existing, targets agreeing
with parameters, project mentions found in their clause. Every problem is
collected and raised once as a :class:`~laser_policy.errors.PolicyModelError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from laser_policy.contracts.cities import normalise_city
from laser_policy.errors import PolicyModelError
from laser_policy.policy.loader import Checker, load_yaml
from laser_policy.policy.parameters import ClauseContext, check_parameters, parse_parameters
from laser_policy.policy.records import (
    Chain,
    Chapter,
    Measure,
    Note,
    Parameter,
    Project,
    Segment,
    Stage,
    Target,
    Threshold,
    Unit,
)

FILES = (
    "meta.yaml", "measures.yaml", "units.yaml", "targets.yaml",
    "parameters.yaml", "projects.yaml", "chain.yaml",
)
UNIT_KINDS = ("provincial_department", "city_government", "other_body")
TARGET_KINDS = ("level", "growth_rate", "count", "share", "qualitative")
TARGET_UNITS = ("currency-CNY-yi", "currency-CNY-wan", "/1", "count", "none")
COMPARISONS = ("ge", "gt", "le", "lt", "eq", "approx", "batch")
BASES = ("level", "annual", "cumulative")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Meta:
    id: str
    doc_number: str
    title: str
    title_en: str
    issuer: str
    issued: dt.date
    effective: dt.date
    start_year: int
    end_year: int
    version: str
    document: str
    source: Note


@dataclass(frozen=True)
class Parts:
    meta: Meta
    chapters: tuple[Chapter, ...]
    measures: tuple[Measure, ...]
    units: tuple[Unit, ...]
    targets: tuple[Target, ...]
    projects: tuple[Project, ...]
    chain: Chain
    parameters: Mapping[str, Parameter]
    digest: str


def digest(folder: Path) -> str:
    """A short hash of the YAML files: any edit changes it."""
    h = hashlib.sha256()
    for name in sorted(p.name for p in folder.glob("*.yaml")):
        h.update(name.encode())
        h.update((folder / name).read_bytes())
    return h.hexdigest()[:8]


def build(folder: Path) -> Parts:
    if not folder.is_dir():
        raise PolicyModelError(f"{folder}: 政策模型目录不存在 / policy model folder does not exist")
    ck = Checker()
    raw: dict[str, Any] = {}
    for name in FILES:
        try:
            raw[name] = load_yaml(folder / name)
        except PolicyModelError as exc:
            ck.problems.append(str(exc))
    ck.raise_if_any()

    meta = None
    with ck.item():
        meta = _meta(ck, raw["meta.yaml"], folder)
    chapters, measures = _measures(ck, raw["measures.yaml"])
    units = _units(ck, raw["units.yaml"])
    targets = _targets(ck, raw["targets.yaml"])
    projects = _projects(ck, raw["projects.yaml"])
    chain = _chain(ck, raw["chain.yaml"])
    parameters = parse_parameters(ck, "parameters.yaml", raw["parameters.yaml"])

    texts = {m.numeral: _flat(m.text) for m in measures} | {c.clause: _flat(c.text) for c in chapters}
    ctx = ClauseContext(
        doc_number=meta.doc_number if meta else "",
        effective=meta.effective if meta else None,
        measure_clauses=frozenset(m.numeral for m in measures),
        chapter_clauses=frozenset(c.clause for c in chapters),
    )
    check_parameters(ck, "parameters.yaml", parameters, ctx)
    _check_units_named(ck, measures, units)
    _check_targets(ck, targets, texts, parameters, meta)
    _check_projects(ck, projects, texts)
    _check_chain(ck, chain, ctx)
    ck.raise_if_any()
    assert meta is not None  # raise_if_any() raised otherwise
    return Parts(
        meta=meta, chapters=chapters, measures=measures, units=units, targets=targets,
        projects=projects, chain=chain, parameters=MappingProxyType(dict(parameters)),
        digest=digest(folder),
    )


def _flat(text: str) -> str:
    return _SPACE.sub("", text)


def _note(ck: Checker, file: str, path: str, value: Any) -> Note | None:
    if value is None:
        return None
    n = ck.mapping(file, path, value, ("zh", "en"))
    return Note(ck.string(file, f"{path}.zh", n["zh"]), ck.string(file, f"{path}.en", n["en"]))


def _items(ck: Checker, file: str, raw: Any, key: str) -> list[tuple[str, Any]]:
    """The list under ``key`` of a file, as ``(path, item)`` pairs."""
    with ck.item():
        top = ck.mapping(file, "", raw, (key,))
        if not isinstance(top[key], list) or not top[key]:
            ck.fail(file, key, "应为非空列表", "expected a non-empty list")
        return [(f"{key}[{i}]", item) for i, item in enumerate(top[key])]
    return []


# -- meta.yaml ------------------------------------------------------------------------
def _meta(ck: Checker, raw: Any, folder: Path) -> Meta:
    f = "meta.yaml"
    m = ck.mapping(
        f, "", raw,
        ("id", "doc_number", "title", "title_en", "issuer", "issued", "effective", "period",
         "version", "document", "source"),
    )
    period = ck.mapping(f, "period", m["period"], ("start_year", "end_year"))
    start = ck.integer(f, "period.start_year", period["start_year"])
    end = ck.integer(f, "period.end_year", period["end_year"])
    if end < start:
        ck.fail(f, "period", f"截止年 {end} 早于起始年 {start}", f"end year {end} before start year {start}")
    document = ck.string(f, "document", m["document"])
    if not (folder / document).is_file():
        ck.add(f, "document", f"文件 {document} 不存在", f"file {document} does not exist")
    source = _note(ck, f, "source", m["source"])
    assert source is not None
    return Meta(
        id=ck.string(f, "id", m["id"]),
        doc_number=ck.string(f, "doc_number", m["doc_number"]),
        title=ck.string(f, "title", m["title"]),
        title_en=ck.string(f, "title_en", m["title_en"]),
        issuer=ck.string(f, "issuer", m["issuer"]),
        issued=ck.date(f, "issued", m["issued"]),
        effective=ck.date(f, "effective", m["effective"]),
        start_year=start,
        end_year=end,
        version=ck.string(f, "version", str(m["version"])),
        document=document,
        source=source,
    )


# -- measures.yaml --------------------------------------------------------------------
def _measures(ck: Checker, raw: Any) -> tuple[tuple[Chapter, ...], tuple[Measure, ...]]:
    f = "measures.yaml"
    chapters: list[Chapter] = []
    measures: list[Measure] = []
    with ck.item():
        top = ck.mapping(f, "", raw, ("chapters", "measures"))
        for key in ("chapters", "measures"):
            if not isinstance(top[key], list) or not top[key]:
                ck.fail(f, key, "应为非空列表", "expected a non-empty list")
        for i, item in enumerate(top["chapters"]):
            with ck.item():
                p = f"chapters[{i}]"
                c = ck.mapping(f, p, item, ("number", "title", "text"))
                chapters.append(Chapter(
                    number=ck.integer(f, f"{p}.number", c["number"]),
                    title=ck.string(f, f"{p}.title", c["title"]),
                    text=ck.string(f, f"{p}.text", c["text"], empty=True),
                ))
        for i, item in enumerate(top["measures"]):
            with ck.item():
                p = f"measures[{i}]"
                m = ck.mapping(
                    f, p, item,
                    ("number", "chapter", "title", "text", "lead_units", "responsible_units"),
                )
                measures.append(Measure(
                    number=ck.integer(f, f"{p}.number", m["number"]),
                    chapter=ck.integer(f, f"{p}.chapter", m["chapter"]),
                    title=ck.string(f, f"{p}.title", m["title"]),
                    text=ck.string(f, f"{p}.text", m["text"]),
                    lead_units=ck.strings(f, f"{p}.lead_units", m["lead_units"]),
                    responsible_units=ck.strings(f, f"{p}.responsible_units", m["responsible_units"]),
                ))
    _contiguous(ck, f, "chapters", [c.number for c in chapters])
    _contiguous(ck, f, "measures", [m.number for m in measures])
    known = {c.number for c in chapters}
    for i, m in enumerate(measures):
        if m.chapter not in known:
            ck.add(f, f"measures[{i}].chapter", f"第{m.chapter}部分不存在", f"no chapter {m.chapter}")
    if [m.chapter for m in measures] != sorted(m.chapter for m in measures):
        ck.add(f, "measures", "各条所属部分须按顺序", "measures must follow their chapters in order")
    return tuple(chapters), tuple(measures)


def _contiguous(ck: Checker, f: str, key: str, numbers: list[int]) -> None:
    expected = list(range(1, len(numbers) + 1))
    if numbers != expected:
        missing = sorted(set(expected) - set(numbers))
        ck.add(
            f, f"{key}.number",
            f"编号须从1起连续递增（实为 {numbers}；缺 {missing}）",
            f"numbers must run 1..{len(numbers)} in order (got {numbers}; missing {missing})",
        )


# -- units.yaml -----------------------------------------------------------------------
def _units(ck: Checker, raw: Any) -> tuple[Unit, ...]:
    f = "units.yaml"
    units: list[Unit] = []
    for p, item in _items(ck, f, raw, "units"):
        with ck.item():
            u = ck.mapping(f, p, item, ("id", "name", "full_name", "kind", "collective"), ("city", "note"))
            uid = ck.string(f, f"{p}.id", u["id"])
            if not _SLUG.match(uid):
                ck.fail(f, f"{p}.id", f"编号 {uid!r} 须为ASCII小写短横线格式", f"id {uid!r} must be an ASCII slug")
            city = ck.optional_string(f, f"{p}.city", u.get("city"))
            if city is not None and normalise_city(city) != city:
                ck.fail(f, f"{p}.city", f"{city} 不是湖北省市州全称", f"{city} is not a Hubei division")
            units.append(Unit(
                id=uid,
                name=ck.string(f, f"{p}.name", u["name"]),
                full_name=ck.string(f, f"{p}.full_name", u["full_name"]),
                kind=ck.choice(f, f"{p}.kind", u["kind"], UNIT_KINDS),
                collective=ck.boolean(f, f"{p}.collective", u["collective"]),
                city=city,
                note=ck.optional_string(f, f"{p}.note", u.get("note")),
            ))
    _unique(ck, f, "units", [u.id for u in units], "id")
    _unique(ck, f, "units", [u.name for u in units], "name")
    return tuple(units)


def _unique(ck: Checker, f: str, key: str, values: list[str], field: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            ck.add(f, f"{key}[{i}].{field}", f"{v!r} 重复", f"{v!r} is not unique")
        seen.add(v)


def _check_units_named(ck: Checker, measures: tuple[Measure, ...], units: tuple[Unit, ...]) -> None:
    names = {u.name for u in units}
    for i, m in enumerate(measures):
        for field in ("lead_units", "responsible_units"):
            for name in getattr(m, field):
                if name not in names:
                    ck.add(
                        "measures.yaml", f"measures[{i}].{field}",
                        f"（{m.numeral}）所列单位「{name}」不在 units.yaml 中",
                        f"unit {name!r} of measure {m.number} is not in units.yaml",
                    )


# -- targets.yaml ---------------------------------------------------------------------
def _targets(ck: Checker, raw: Any) -> tuple[Target, ...]:
    f = "targets.yaml"
    out: list[Target] = []
    for p, item in _items(ck, f, raw, "targets"):
        with ck.item():
            t = ck.mapping(
                f, p, item,
                ("id", "label_zh", "label_en", "clause", "scope", "kind", "unit", "comparison",
                 "basis", "aspirational", "values", "quote"),
                ("note", "threshold", "parameter"),
            )
            comparison = ck.choice(f, f"{p}.comparison", t["comparison"], COMPARISONS)
            values = _target_values(ck, f, f"{p}.values", t["values"], qualitative=comparison == "batch")
            threshold = None
            if "threshold" in t:
                th = ck.mapping(f, f"{p}.threshold", t["threshold"], ("value", "unit"))
                threshold = Threshold(
                    ck.number(f, f"{p}.threshold.value", th["value"]),
                    ck.choice(f, f"{p}.threshold.unit", th["unit"], TARGET_UNITS),
                )
            out.append(Target(
                id=ck.string(f, f"{p}.id", t["id"]),
                label_zh=ck.string(f, f"{p}.label_zh", t["label_zh"]),
                label_en=ck.string(f, f"{p}.label_en", t["label_en"]),
                clause=ck.string(f, f"{p}.clause", t["clause"]),
                scope=ck.string(f, f"{p}.scope", t["scope"]),
                kind=ck.choice(f, f"{p}.kind", t["kind"], TARGET_KINDS),
                unit=ck.choice(f, f"{p}.unit", t["unit"], TARGET_UNITS),
                comparison=comparison,
                basis=ck.choice(f, f"{p}.basis", t["basis"], BASES),
                aspirational=ck.boolean(f, f"{p}.aspirational", t["aspirational"]),
                values=values,
                quote=ck.string(f, f"{p}.quote", t["quote"]),
                note=_note(ck, f, f"{p}.note", t.get("note")),
                threshold=threshold,
                parameter=ck.optional_string(f, f"{p}.parameter", t.get("parameter")),
            ))
    _unique(ck, f, "targets", [t.id for t in out], "id")
    return tuple(out)


def _target_values(
    ck: Checker, f: str, path: str, raw: Any, *, qualitative: bool
) -> Mapping[int, int | float | None]:
    if not isinstance(raw, dict) or not raw:
        ck.fail(f, path, "应为非空映射 {年份: 数值}", "expected a non-empty mapping {year: value}")
    out: dict[int, int | float | None] = {}
    for key, value in raw.items():
        year = ck.integer(f, path, key)
        if value is None:
            if not qualitative:
                ck.fail(f, f"{path}.{key}", "只有 comparison 为 batch 时才可为空", "null only with comparison batch")
            out[year] = None
        else:
            out[year] = ck.number(f, f"{path}.{key}", value)
    return MappingProxyType(out)


def _check_targets(
    ck: Checker,
    targets: tuple[Target, ...],
    texts: Mapping[str, str],
    parameters: Mapping[str, Parameter],
    meta: Meta | None,
) -> None:
    f = "targets.yaml"
    for i, t in enumerate(targets):
        p = f"targets[{i}]"
        if t.clause not in texts:
            ck.add(f, f"{p}.clause", f"条款「{t.clause}」不存在", f"clause {t.clause!r} does not exist")
        elif _flat(t.quote) not in texts[t.clause]:
            ck.add(f, f"{p}.quote", f"引文不在（{t.clause}）原文中", f"quote not found in the text of {t.clause}")
        if meta is not None:
            for year in t.values:
                if not meta.start_year <= year <= meta.end_year:
                    ck.add(
                        f, f"{p}.values.{year}",
                        f"年份不在政策期限 {meta.start_year}–{meta.end_year} 内",
                        f"year outside the policy period {meta.start_year}–{meta.end_year}",
                    )
        if t.parameter is not None:
            param = parameters.get(t.parameter)
            if param is None:
                ck.add(f, f"{p}.parameter", f"参数 {t.parameter} 不存在", f"no parameter {t.parameter}")
                continue
            for year, value in t.values.items():
                try:
                    in_force = param.at(year)
                except LookupError:
                    continue
                if in_force != value:
                    ck.add(
                        f, f"{p}.values.{year}",
                        f"与参数 {t.parameter} 的取值 {in_force} 不一致",
                        f"disagrees with parameter {t.parameter} = {in_force}",
                    )


# -- projects.yaml --------------------------------------------------------------------
def _projects(ck: Checker, raw: Any) -> tuple[Project, ...]:
    f = "projects.yaml"
    out: list[Project] = []
    for p, item in _items(ck, f, raw, "projects"):
        with ck.item():
            d = ck.mapping(f, p, item, ("id", "name", "enterprise", "phase", "mentions", "related"), ("note",))
            mentions = ck.mapping(f, f"{p}.mentions", d["mentions"], (), tuple(d["mentions"] or ()))
            if not mentions:
                ck.fail(f, f"{p}.mentions", "至少列出一处提及", "list at least one mention")
            phase = None if d["phase"] is None else ck.integer(f, f"{p}.phase", d["phase"])
            out.append(Project(
                id=ck.string(f, f"{p}.id", d["id"]),
                name=ck.string(f, f"{p}.name", d["name"]),
                enterprise=ck.string(f, f"{p}.enterprise", d["enterprise"]),
                phase=phase,
                mentions=MappingProxyType({
                    str(k): ck.string(f, f"{p}.mentions.{k}", v) for k, v in mentions.items()
                }),
                related=ck.strings(f, f"{p}.related", d["related"]),
                note=_note(ck, f, f"{p}.note", d.get("note")),
            ))
    _unique(ck, f, "projects", [p.id for p in out], "id")
    return tuple(out)


def _check_projects(ck: Checker, projects: tuple[Project, ...], texts: Mapping[str, str]) -> None:
    f = "projects.yaml"
    ids = {p.id for p in projects}
    for i, proj in enumerate(projects):
        for clause, mention in proj.mentions.items():
            if clause not in texts:
                ck.add(f, f"projects[{i}].mentions.{clause}", "条款不存在", "clause does not exist")
            elif _flat(mention) not in texts[clause]:
                ck.add(
                    f, f"projects[{i}].mentions.{clause}",
                    f"「{mention}」不在（{clause}）原文中", f"{mention!r} not found in the text of {clause}",
                )
        for rel in proj.related:
            if rel not in ids:
                ck.add(f, f"projects[{i}].related", f"项目 {rel} 不存在", f"no project {rel}")


# -- chain.yaml -----------------------------------------------------------------------
def _chain(ck: Checker, raw: Any) -> Chain:
    f = "chain.yaml"
    stages: list[Stage] = []
    segments: list[Segment] = []
    with ck.item():
        top = ck.mapping(f, "", raw, ("stages", "strengths", "segments"))
        strengths = ck.mapping(f, "strengths", top["strengths"], (), tuple(top["strengths"] or ()))
        for i, item in enumerate(top["stages"] or []):
            with ck.item():
                s = ck.mapping(f, f"stages[{i}]", item, ("code", "name_zh", "name_en"))
                stages.append(Stage(*(ck.string(f, f"stages[{i}].{k}", s[k]) for k in ("code", "name_zh", "name_en"))))
        for i, item in enumerate(top["segments"] or []):
            with ck.item():
                p = f"segments[{i}]"
                s = ck.mapping(
                    f, p, item,
                    ("code", "name_zh", "name_en", "stage", "strength", "clause", "also", "keywords"),
                )
                strength = ck.choice(f, f"{p}.strength", s["strength"], tuple(strengths))
                segments.append(Segment(
                    code=ck.string(f, f"{p}.code", s["code"]),
                    name_zh=ck.string(f, f"{p}.name_zh", s["name_zh"]),
                    name_en=ck.string(f, f"{p}.name_en", s["name_en"]),
                    stage=ck.string(f, f"{p}.stage", s["stage"]),
                    strength=strength,
                    strength_zh=ck.string(f, f"strengths.{strength}", strengths[strength]),
                    clause=ck.string(f, f"{p}.clause", s["clause"]),
                    also=ck.strings(f, f"{p}.also", s["also"]),
                    keywords=ck.strings(f, f"{p}.keywords", s["keywords"]),
                ))
    return Chain(tuple(stages), tuple(segments))


def _check_chain(ck: Checker, chain: Chain, ctx: ClauseContext) -> None:
    f = "chain.yaml"
    stage_codes = {s.code for s in chain.stages}
    _unique(ck, f, "stages", [s.code for s in chain.stages], "code")
    _unique(ck, f, "segments", [s.code for s in chain.segments], "code")
    _unique(ck, f, "segments", [s.name_zh for s in chain.segments], "name_zh")
    for i, s in enumerate(chain.segments):
        if s.stage not in stage_codes:
            ck.add(f, f"segments[{i}].stage", f"环节 {s.stage} 不存在", f"no stage {s.stage}")
        elif not s.code.startswith(f"{s.stage}-"):
            ck.add(f, f"segments[{i}].code", f"编码须以 {s.stage}- 开头", f"code must start with {s.stage}-")
        for clause in s.clauses:
            if not ctx.exists(clause):
                ck.add(f, f"segments[{i}].clause", f"条款「{clause}」不存在", f"clause {clause!r} does not exist")

