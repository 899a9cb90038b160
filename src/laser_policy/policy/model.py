"""The policy model: measures, units, targets, parameters, projects and chain of a policy,
and its provisions: funds, mechanisms, named things, task items and figures.

>>> m = load_policy()
>>> m.doc_number, len(m.measures)
('鄂政办发〔2024〕35号', 23)
>>> m.parameter("first_set.cap_wan").at(2025)
1000

``load_policy()`` loads the packaged model of 鄂政办发〔2024〕35号 once and caches it;
``load_policy(folder)`` loads (uncached) any folder of the same shape. Every number
carries its clause; :attr:`PolicyModel.version` names the model and a hash of its
YAML, so a result records exactly which policy content it came from.

``Parameter.at(year)`` gives the value in force on **31 December** of that year (a
change during a year applies to that year's annual figures); ``at(date)`` that day.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from laser_policy.errors import NotFoundError, PolicyModelError
from laser_policy.model import model_path
from laser_policy.policy.build import build
from laser_policy.policy.incentives import Incentive
from laser_policy.policy.loader import Checker
from laser_policy.policy.numerals import from_numeral
from laser_policy.policy.parameters import ClauseContext, check_parameters, parse_values
from laser_policy.policy.records import (
    Amount,
    Chain,
    ChainItem,
    Chapter,
    Figure,
    Fund,
    Measure,
    Mechanism,
    Named,
    Note,
    Parameter,
    ParamValue,
    Project,
    Segment,
    Stage,
    Target,
    TaskItem,
    Threshold,
    Unit,
)
from laser_policy.policy.region import Region
from laser_policy.policy.structure import Meta

__all__ = [
    "Amount",
    "Chain",
    "ChainItem",
    "Chapter",
    "Figure",
    "Fund",
    "Incentive",
    "Measure",
    "Mechanism",
    "Named",
    "Note",
    "ParamValue",
    "Parameter",
    "PolicyModel",
    "Project",
    "Segment",
    "Stage",
    "Target",
    "TaskItem",
    "Threshold",
    "Unit",
    "load_models",
    "load_policy",
    "region_of",
]


@dataclass(frozen=True, eq=False)
class PolicyModel:
    """One policy document as data. Immutable: what-ifs are new models.

    Compared and hashed by identity (usable as a cache key); compare ``version``
    to know whether two models hold the same content.
    """

    meta: Meta
    chapters: tuple[Chapter, ...]
    measures: tuple[Measure, ...]
    units: tuple[Unit, ...]
    targets: tuple[Target, ...]
    projects: tuple[Project, ...]
    chain: Chain
    parameters: Mapping[str, Parameter]
    version: str
    folder: Path
    overrides: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: funds.yaml: purpose code → 中文 (并购重组 …), and the funds of 十八
    fund_purposes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    funds: tuple[Fund, ...] = ()
    #: mechanisms.yaml: guarantees, subsidies and channels the text names without a rule
    mechanisms: tuple[Mechanism, ...] = ()
    #: named.yaml: institutions, platforms, programmes, places, policies … the text names
    named: tuple[Named, ...] = ()
    #: tasks.yaml: concrete deliverables under their measures
    tasks: tuple[TaskItem, ...] = ()
    #: figures.yaml: numbers of the text that are not targets or parameters
    figures: tuple[Figure, ...] = ()
    #: incentives.yaml: the money rules, each of a kind the engine computes
    incentives: tuple[Incentive, ...] = ()
    #: region.yaml: the province, its divisions and the map (None: the folder has none)
    region: Region | None = None

    # -- identity -------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def doc_number(self) -> str:
        return self.meta.doc_number

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def issuer(self) -> str:
        return self.meta.issuer

    @property
    def effective(self) -> dt.date:
        return self.meta.effective

    @property
    def period(self) -> tuple[int, int]:
        """First and last year of the plan (2024, 2026)."""
        return self.meta.start_year, self.meta.end_year

    def document_text(self) -> str:
        """The official text shipped with the model."""
        return (self.folder / self.meta.document).read_text(encoding="utf-8")

    # -- look-ups ---------------------------------------------------------------------
    def measure(self, number: int | str) -> Measure:
        """A measure by number (18) or numeral (十八, （十八））."""
        n = number if isinstance(number, int) else from_numeral(number.strip("（）() "))
        for m in self.measures:
            if m.number == n:
                return m
        raise NotFoundError(f"措施（{number}）不存在 / no measure {number!r}")

    def clause(self, ref: str) -> Measure | Chapter:
        """What a clause reference points to: 十八 → measure, 第一部分 → chapter."""
        for c in self.chapters:
            if ref == c.clause:
                return c
        return self.measure(ref)

    def clause_label(self, ref: str) -> str:
        """A clause as a reader sees it: （十八）强化对企业引培及金融支持."""
        target = self.clause(ref)
        if isinstance(target, Chapter):
            return f"{target.numeral}、{target.title}"
        return f"（{target.numeral}）{target.title}"

    def unit(self, name_or_id: str) -> Unit:
        for u in self.units:
            if name_or_id in (u.id, u.name, u.full_name):
                return u
        raise NotFoundError(f"单位不存在 / no unit {name_or_id!r}")

    def measures_of(self, unit: str, *, lead_only: bool = False) -> tuple[Measure, ...]:
        """The measures a unit (name or id) leads, or leads or shares."""
        name = self.unit(unit).name
        return tuple(
            m
            for m in self.measures
            if name in m.lead_units or (not lead_only and name in m.responsible_units)
        )

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise NotFoundError(f"目标不存在 / no target {target_id!r}")

    def fund(self, fund_id: str) -> Fund:
        for f in self.funds:
            if f.id == fund_id:
                return f
        raise NotFoundError(f"基金不存在 / no fund {fund_id!r}")

    def task(self, task_id: str) -> TaskItem:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise NotFoundError(f"任务不存在 / no task item {task_id!r}")

    def tasks_of(self, measure: int | str) -> tuple[TaskItem, ...]:
        """The task items under a measure (18, 十八)."""
        numeral = self.measure(measure).numeral
        return tuple(t for t in self.tasks if t.clause == numeral)

    def incentive(self, incentive_id: str) -> Incentive:
        for i in self.incentives:
            if i.id == incentive_id:
                return i
        raise NotFoundError(f"奖补不存在 / no incentive {incentive_id!r}")

    def project(self, project_id: str) -> Project:
        for p in self.projects:
            if p.id == project_id:
                return p
        raise NotFoundError(f"项目不存在 / no project {project_id!r}")

    # -- parameters -------------------------------------------------------------------
    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise NotFoundError(
                f"参数不存在 / no parameter {name!r} (known: {', '.join(sorted(self.parameters))})"
            ) from None

    def parameters_at(self, when: int | dt.date) -> dict[str, ParamValue]:
        """Every parameter's value in force at ``when`` (year → 31 December), by full name."""
        return {name: p.at(when) for name, p in self.parameters.items()}

    def with_overrides(self, overrides: Mapping[str, Any]) -> PolicyModel:
        """A what-if copy with some parameters replaced; this model is untouched.

        A plain value replaces the parameter's whole history (in force from its first
        date); a mapping ``{date: value}`` gives new dated values. Each value is
        checked against the parameter's unit and shape, then the model-wide checks
        (ascending tiers, equal lengths, shares in [0, 1]) run again.
        """
        ck = Checker()
        params = dict(self.parameters)
        for name, value in overrides.items():
            with ck.item():
                p = params.get(name)
                if p is None:
                    ck.fail("overrides", name, "参数不存在", "no such parameter")
                raw = (
                    {str(k): v for k, v in value.items()}
                    if isinstance(value, Mapping)
                    else {p.values[0][0].isoformat(): value}
                )
                shape = isinstance(p.values[0][1], tuple)
                params[name] = replace(
                    p,
                    values=parse_values(
                        ck, "overrides", name, raw, unit=p.unit, choices=p.choices, shape=shape
                    ),
                )
        ck.raise_if_any()
        check_parameters(ck, "overrides", params, self._clause_context())
        ck.raise_if_any()
        merged = {**self.overrides, **overrides}
        canonical = {n: [(d.isoformat(), v) for d, v in params[n].values] for n in merged}
        blob = json.dumps(canonical, sort_keys=True).encode()
        tag = hashlib.sha256(blob).hexdigest()[:6]
        base = self.version.split("~", 1)[0]
        return replace(
            self,
            parameters=MappingProxyType(params),
            version=f"{base}~what-if.{tag}",
            overrides=MappingProxyType(merged),
        )

    def _clause_context(self) -> ClauseContext:
        return ClauseContext(
            doc_number=self.doc_number,
            effective=self.effective,
            measure_clauses=frozenset(m.numeral for m in self.measures),
            chapter_clauses=frozenset(c.clause for c in self.chapters),
        )


def load_policy(path: str | Path | None = None) -> PolicyModel:
    """The packaged model (cached) or the model in folder ``path`` (read afresh).

    Raises :class:`~laser_policy.errors.PolicyModelError` naming file and key path
    for every problem found.
    """
    if path is None:
        return _default()
    return _load(Path(path))


def load_models(folders: Sequence[str | Path]) -> tuple[PolicyModel, ...]:
    """The policies in force: the models of ``folders`` (each checked by the strict
    loader, the first given first), or the packaged one when none is given. For the
    edges (CLI ``--model``, web ``LASER_POLICY_MODELS``); engine code receives models."""
    if not folders:
        return (load_policy(),)
    models = tuple(load_policy(f) for f in folders)
    seen: dict[str, str | Path] = {}
    for folder, m in zip(folders, models, strict=True):
        if m.id in seen:
            raise PolicyModelError(
                f"{folder}: 政策模型 {m.id} 与 {seen[m.id]} 重复 / "
                f"policy model {m.id} is given twice ({seen[m.id]})"
            )
        seen[m.id] = folder
    return models


def region_of(models: Sequence[PolicyModel]) -> Region:
    """The region of the policies in force: that of the first model declaring one."""
    for m in models:
        if m.region is not None:
            return m.region
    raise PolicyModelError(
        "政策模型没有地区（region.yaml）/ no policy model in force declares a region (region.yaml)"
    )


def incentive_names(models: Sequence[PolicyModel]) -> tuple[tuple[str, str], ...]:
    """``(id, Chinese label)`` of every incentive of the policies in force, in order: what a
    data package's ``awards.incentive`` may name (``read_package(..., incentives=...)``)."""
    return tuple((i.id, i.label) for m in models for i in m.incentives)


@functools.cache
def _default() -> PolicyModel:
    return _load(model_path())


def _load(folder: Path) -> PolicyModel:
    parts = build(folder)
    return PolicyModel(
        meta=parts.meta,
        chapters=parts.chapters,
        measures=parts.measures,
        units=parts.units,
        targets=parts.targets,
        projects=parts.projects,
        chain=parts.chain,
        parameters=parts.parameters,
        version=f"{parts.meta.id}/{parts.meta.version}+{parts.digest}",
        folder=folder,
        fund_purposes=parts.provisions.fund_purposes,
        funds=parts.provisions.funds,
        mechanisms=parts.provisions.mechanisms,
        named=parts.provisions.named,
        tasks=parts.provisions.tasks,
        figures=parts.provisions.figures,
        incentives=parts.incentives,
        region=parts.region,
    )
