"""From a model folder's YAML files to checked records.

Each file is read strictly (:mod:`laser_policy.policy.loader`), each entry is
type-checked, then the files are checked against each other: measure numbers
contiguous, units named in measures registered, clauses existing, targets agreeing
with parameters, project mentions found in their clause. Every problem is
collected and raised once as a :class:`~laser_policy.errors.PolicyModelError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from laser_policy.errors import PolicyModelError
from laser_policy.policy.incentives import Incentive, read_incentives, region_divisions
from laser_policy.policy.loader import Checker, load_yaml
from laser_policy.policy.parameters import ClauseContext, check_parameters, parse_parameters
from laser_policy.policy.provisions import (
    Provisions,
    Sources,
    check_references,
    comparable,
    read_figures,
    read_funds,
    read_mechanisms,
    read_named,
    read_tasks,
)
from laser_policy.policy.records import (
    Chain,
    ChainItem,
    Chapter,
    Measure,
    Parameter,
    Project,
    Segment,
    Stage,
    Target,
    Threshold,
    Unit,
)
from laser_policy.policy.region import Region, read_region
from laser_policy.policy.structure import (
    Meta,
    check_units_named,
    flat,
    items,
    note,
    read_measures,
    read_meta,
    read_units,
    unique,
)
from laser_policy.policy.target_actuals import read_actual

FILES = (
    "meta.yaml",
    "measures.yaml",
    "units.yaml",
    "targets.yaml",
    "parameters.yaml",
    "projects.yaml",
    "chain.yaml",
)
#: the provisions beyond the money rules; a folder without one (a draft of a new policy,
#: ``policy draft``) has none of that kind. When present, each is checked like the others.
OPTIONAL_FILES = (
    "funds.yaml",
    "mechanisms.yaml",
    "named.yaml",
    "tasks.yaml",
    "figures.yaml",
    "incentives.yaml",
    "region.yaml",
)
TARGET_KINDS = ("level", "growth_rate", "count", "share", "qualitative")
TARGET_UNITS = ("currency-CNY-yi", "currency-CNY-wan", "/1", "count", "none")
#: batch: 一批 (a number of, none given); increase: 提升 (raise, no number)
COMPARISONS = ("ge", "gt", "le", "lt", "eq", "approx", "batch", "increase")
QUALITATIVE = ("batch", "increase")
BASES = ("level", "annual", "cumulative")


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
    provisions: Provisions
    digest: str
    incentives: tuple[Incentive, ...] = ()
    region: Region | None = None


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
    for name in FILES + OPTIONAL_FILES:
        if name in OPTIONAL_FILES and not (folder / name).exists():
            continue
        try:
            raw[name] = load_yaml(folder / name)
        except PolicyModelError as exc:
            ck.problems.append(str(exc))
    ck.raise_if_any()

    # each file on its own first; cross-file checks only between files that passed,
    # so that one broken entry does not echo as problems elsewhere
    clean: set[str] = set()

    def section(name: str, before: int) -> None:
        if len(ck.problems) == before:
            clean.add(name)

    meta = None
    n = len(ck.problems)
    with ck.item():
        meta = read_meta(ck, raw["meta.yaml"], folder)
    section("meta", n)
    n = len(ck.problems)
    chapters, measures = read_measures(ck, raw["measures.yaml"])
    section("measures", n)
    n = len(ck.problems)
    units = read_units(ck, raw["units.yaml"])
    section("units", n)
    targets = _targets(ck, raw["targets.yaml"])
    projects = _projects(ck, raw["projects.yaml"])
    n = len(ck.problems)
    parameters = parse_parameters(ck, "parameters.yaml", raw["parameters.yaml"])
    section("parameters", n)

    texts = {m.numeral: flat(m.text) for m in measures} | {c.clause: flat(c.text) for c in chapters}
    src = Sources(texts, _document(folder, meta))
    chain = _chain(ck, raw["chain.yaml"], src)
    purposes, funds = read_funds(ck, raw["funds.yaml"], src) if "funds.yaml" in raw else ({}, ())
    provisions = Provisions(
        fund_purposes=MappingProxyType(dict(purposes)),
        funds=funds,
        mechanisms=read_mechanisms(ck, raw["mechanisms.yaml"], src)
        if "mechanisms.yaml" in raw
        else (),
        named=read_named(ck, raw["named.yaml"], src) if "named.yaml" in raw else (),
        tasks=read_tasks(ck, raw["tasks.yaml"], src, {m.numeral: m for m in measures}, meta)
        if "tasks.yaml" in raw
        else (),
        figures=read_figures(ck, raw["figures.yaml"], src) if "figures.yaml" in raw else (),
    )
    ctx = ClauseContext(
        doc_number=meta.doc_number if meta else "",
        effective=meta.effective if meta else None,
        measure_clauses=frozenset(m.numeral for m in measures),
        chapter_clauses=frozenset(c.clause for c in chapters),
    )
    region = read_region(ck, raw["region.yaml"]) if "region.yaml" in raw else None
    check_parameters(ck, "parameters.yaml", parameters, ctx)
    incentives = (
        read_incentives(ck, raw["incentives.yaml"], src=src, parameters=parameters,
                        divisions=region_divisions(region),
                        check_parameter_keys="parameters" in clean)
        if "incentives.yaml" in raw
        else ()
    )
    if {"measures", "units"} <= clean:
        check_units_named(ck, measures, units)
    _check_targets(ck, targets, src, parameters if "parameters" in clean else {}, meta)
    _check_projects(ck, projects, texts)
    _check_chain(ck, chain, ctx)
    check_references(
        ck,
        provisions,
        targets=frozenset(t.id for t in targets),
        projects=frozenset(p.id for p in projects),
        segments=frozenset(s.code for s in chain.segments),
        parameters=frozenset(parameters),
    )
    ck.raise_if_any()
    assert meta is not None  # raise_if_any() raised otherwise
    return Parts(
        meta=meta,
        chapters=chapters,
        measures=measures,
        units=units,
        targets=targets,
        projects=projects,
        chain=chain,
        parameters=MappingProxyType(dict(parameters)),
        provisions=provisions,
        digest=digest(folder),
        incentives=incentives,
        region=region,
    )


def _document(folder: Path, meta: Meta | None) -> str | None:
    """The official text, comparable form, for finding quotes in it (None: unreadable)."""
    if meta is None:
        return None
    try:
        return comparable((folder / meta.document).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


# -- targets.yaml ---------------------------------------------------------------------
def _targets(ck: Checker, raw: Any) -> tuple[Target, ...]:
    f = "targets.yaml"
    out: list[Target] = []
    for p, item in items(ck, f, raw, "targets", required=False):
        with ck.item():
            t = ck.mapping(
                f,
                p,
                item,
                (
                    "id",
                    "label_zh",
                    "label_en",
                    "clause",
                    "scope",
                    "kind",
                    "unit",
                    "comparison",
                    "basis",
                    "aspirational",
                    "values",
                    "quote",
                ),
                ("note", "threshold", "parameter", "actual"),
            )
            comparison = ck.choice(f, f"{p}.comparison", t["comparison"], COMPARISONS)
            values = _target_values(
                ck, f, f"{p}.values", t["values"], qualitative=comparison in QUALITATIVE
            )
            threshold = None
            if "threshold" in t:
                th = ck.mapping(f, f"{p}.threshold", t["threshold"], ("value", "unit"))
                threshold = Threshold(
                    ck.number(f, f"{p}.threshold.value", th["value"]),
                    ck.choice(f, f"{p}.threshold.unit", th["unit"], TARGET_UNITS),
                )
            actual = (
                read_actual(ck, f"{p}.actual", t["actual"], threshold) if "actual" in t else None
            )
            out.append(
                Target(
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
                    note=note(ck, f, f"{p}.note", t.get("note")),
                    threshold=threshold,
                    parameter=ck.optional_string(f, f"{p}.parameter", t.get("parameter")),
                    actual=actual,
                )
            )
    unique(ck, f, "targets", [t.id for t in out], "id")
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
                ck.fail(
                    f,
                    f"{path}.{key}",
                    "只有 comparison 为 batch 时才可为空",
                    "null only with comparison batch",
                )
            out[year] = None
        else:
            out[year] = ck.number(f, f"{path}.{key}", value)
    return MappingProxyType(out)


def _check_targets(
    ck: Checker,
    targets: tuple[Target, ...],
    src: Sources,
    parameters: Mapping[str, Parameter],
    meta: Meta | None,
) -> None:
    f = "targets.yaml"
    for i, t in enumerate(targets):
        p = f"targets[{i}]"
        src.check(ck, f, p, t.clause, t.quote)
        if meta is not None:
            for year in t.values:
                if not meta.start_year <= year <= meta.end_year:
                    ck.add(
                        f,
                        f"{p}.values.{year}",
                        f"年份不在政策期限 {meta.start_year}–{meta.end_year} 内",
                        f"year outside the policy period {meta.start_year}–{meta.end_year}",
                    )
        if t.parameter is not None:
            param = parameters.get(t.parameter)
            if param is None and not parameters:
                continue
            if param is None:
                ck.add(
                    f, f"{p}.parameter", f"参数 {t.parameter} 不存在", f"no parameter {t.parameter}"
                )
                continue
            for year, value in t.values.items():
                try:
                    in_force = param.at(year)
                except LookupError:
                    continue
                if in_force != value:
                    ck.add(
                        f,
                        f"{p}.values.{year}",
                        f"与参数 {t.parameter} 的取值 {in_force} 不一致",
                        f"disagrees with parameter {t.parameter} = {in_force}",
                    )


# -- projects.yaml --------------------------------------------------------------------
def _projects(ck: Checker, raw: Any) -> tuple[Project, ...]:
    f = "projects.yaml"
    out: list[Project] = []
    for p, item in items(ck, f, raw, "projects", required=False):
        with ck.item():
            d = ck.mapping(
                f, p, item, ("id", "name", "enterprise", "phase", "mentions", "related"), ("note",)
            )
            mentions = ck.mapping(f, f"{p}.mentions", d["mentions"], (), tuple(d["mentions"] or ()))
            if not mentions:
                ck.fail(f, f"{p}.mentions", "至少列出一处提及", "list at least one mention")
            phase = None if d["phase"] is None else ck.integer(f, f"{p}.phase", d["phase"])
            out.append(
                Project(
                    id=ck.string(f, f"{p}.id", d["id"]),
                    name=ck.string(f, f"{p}.name", d["name"]),
                    enterprise=ck.string(f, f"{p}.enterprise", d["enterprise"]),
                    phase=phase,
                    mentions=MappingProxyType(
                        {str(k): ck.string(f, f"{p}.mentions.{k}", v) for k, v in mentions.items()}
                    ),
                    related=ck.strings(f, f"{p}.related", d["related"]),
                    note=note(ck, f, f"{p}.note", d.get("note")),
                )
            )
    unique(ck, f, "projects", [p.id for p in out], "id")
    return tuple(out)


def _check_projects(ck: Checker, projects: tuple[Project, ...], texts: Mapping[str, str]) -> None:
    f = "projects.yaml"
    ids = {p.id for p in projects}
    for i, proj in enumerate(projects):
        for clause, mention in proj.mentions.items():
            if clause not in texts:
                ck.add(f, f"projects[{i}].mentions.{clause}", "条款不存在", "clause does not exist")
            elif flat(mention) not in texts[clause]:
                ck.add(
                    f,
                    f"projects[{i}].mentions.{clause}",
                    f"「{mention}」不在（{clause}）原文中",
                    f"{mention!r} not found in the text of {clause}",
                )
        for rel in proj.related:
            if rel not in ids:
                ck.add(f, f"projects[{i}].related", f"项目 {rel} 不存在", f"no project {rel}")


# -- chain.yaml -----------------------------------------------------------------------
def _chain(ck: Checker, raw: Any, src: Sources) -> Chain:
    f = "chain.yaml"
    stages: list[Stage] = []
    segments: list[Segment] = []
    with ck.item():
        top = ck.mapping(f, "", raw, ("stages", "strengths", "segments"))
        strengths = ck.mapping(f, "strengths", top["strengths"], (), tuple(top["strengths"] or ()))
        for i, item in enumerate(top["stages"] or []):
            with ck.item():
                s = ck.mapping(f, f"stages[{i}]", item, ("code", "name_zh", "name_en"))
                stages.append(
                    Stage(
                        *(
                            ck.string(f, f"stages[{i}].{k}", s[k])
                            for k in ("code", "name_zh", "name_en")
                        )
                    )
                )
        for i, item in enumerate(top["segments"] or []):
            with ck.item():
                p = f"segments[{i}]"
                s = ck.mapping(
                    f,
                    p,
                    item,
                    (
                        "code",
                        "name_zh",
                        "name_en",
                        "stage",
                        "strength",
                        "clause",
                        "also",
                        "keywords",
                    ),
                    ("items",),
                )
                strength = ck.choice(f, f"{p}.strength", s["strength"], tuple(strengths))
                chain_items = _chain_items(ck, f, p, s.get("items", []), strengths, src)
                segments.append(
                    Segment(
                        code=ck.string(f, f"{p}.code", s["code"]),
                        name_zh=ck.string(f, f"{p}.name_zh", s["name_zh"]),
                        name_en=ck.string(f, f"{p}.name_en", s["name_en"]),
                        stage=ck.string(f, f"{p}.stage", s["stage"]),
                        strength=strength,
                        strength_zh=ck.string(f, f"strengths.{strength}", strengths[strength]),
                        clause=ck.string(f, f"{p}.clause", s["clause"]),
                        also=ck.strings(f, f"{p}.also", s["also"]),
                        keywords=ck.strings(f, f"{p}.keywords", s["keywords"]),
                        items=chain_items,
                    )
                )
    return Chain(tuple(stages), tuple(segments))


def _chain_items(
    ck: Checker, f: str, p: str, raw: Any, strengths: Mapping[str, Any], src: Sources
) -> tuple[ChainItem, ...]:
    if not isinstance(raw, list):
        ck.fail(f, f"{p}.items", "应为列表", "expected a list")
    out: list[ChainItem] = []
    for i, item in enumerate(raw):
        q = f"{p}.items[{i}]"
        with ck.item():
            d = ck.mapping(f, q, item, ("name_zh", "clause", "quote"), ("strength", "note"))
            strength = None
            if "strength" in d:
                strength = ck.choice(f, f"{q}.strength", d["strength"], tuple(strengths))
            ci = ChainItem(
                name_zh=ck.string(f, f"{q}.name_zh", d["name_zh"]),
                clause=ck.string(f, f"{q}.clause", d["clause"]),
                quote=ck.string(f, f"{q}.quote", d["quote"]),
                strength=strength,
                strength_zh=None if strength is None else str(strengths[strength]),
                note=note(ck, f, f"{q}.note", d.get("note")),
            )
            src.check(ck, f, q, ci.clause, ci.quote)
            out.append(ci)
    return tuple(out)


def _check_chain(ck: Checker, chain: Chain, ctx: ClauseContext) -> None:
    f = "chain.yaml"
    stage_codes = {s.code for s in chain.stages}
    unique(ck, f, "stages", [s.code for s in chain.stages], "code")
    unique(ck, f, "segments", [s.code for s in chain.segments], "code")
    unique(ck, f, "segments", [s.name_zh for s in chain.segments], "name_zh")
    for i, s in enumerate(chain.segments):
        if s.stage not in stage_codes:
            ck.add(f, f"segments[{i}].stage", f"环节 {s.stage} 不存在", f"no stage {s.stage}")
        elif not s.code.startswith(f"{s.stage}-"):
            ck.add(
                f,
                f"segments[{i}].code",
                f"编码须以 {s.stage}- 开头",
                f"code must start with {s.stage}-",
            )
        for clause in s.clauses:
            if not ctx.exists(clause):
                ck.add(
                    f,
                    f"segments[{i}].clause",
                    f"条款「{clause}」不存在",
                    f"clause {clause!r} does not exist",
                )
