"""The policy model as the web pages need it: the only place that reads ``PolicyModel``.

``PolicyInfo.load()`` wraps ``laser_policy.policy.model.load_policy()``; pages
never touch the model's classes, so a change there is absorbed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from laser_policy.web.data import WebData

#: unit conversion (not a policy number)
WAN_PER_YI = 10_000
MILESTONE_THRESHOLDS = "revenue_milestone.thresholds_wan"


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _text(value: Any, lang: str) -> str:
    """A text that may be a plain string or a {zh, en} mapping."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or "")
    if hasattr(value, "zh"):
        return str(getattr(value, lang, None) or value.zh)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class TargetInfo:
    id: str
    label_zh: str
    label_en: str
    clause: str
    kind: str
    unit: str
    comparison: str
    values: dict[int, float | None]
    threshold_wan: float | None = None
    note_zh: str = ""

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_zh


@dataclass(frozen=True)
class MeasureInfo:
    number: int
    chapter: int
    title: str
    text: str
    lead_units: tuple[str, ...]
    responsible_units: tuple[str, ...]


@dataclass(frozen=True)
class ParameterInfo:
    name: str
    label: str
    unit: str
    clause: str
    note: str
    value: Any
    #: the text gives no such number: the value is the model's assumption (假设)
    assumption: bool = False


@dataclass(frozen=True)
class ProvisionsInfo:
    """funds, mechanisms, named things, tasks, figures and chain items, as plain rows."""

    funds: tuple[dict[str, Any], ...] = ()
    mechanisms: tuple[dict[str, Any], ...] = ()
    named: tuple[dict[str, Any], ...] = ()
    tasks: tuple[dict[str, Any], ...] = ()
    figures: tuple[dict[str, Any], ...] = ()
    chain_items: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class SegmentInfo:
    code: str
    name_zh: str
    stage: str
    strength: str
    clause: str


@dataclass(frozen=True)
class PolicyInfo:
    version: str
    doc_number: str
    title: str
    measures: tuple[MeasureInfo, ...]
    targets: tuple[TargetInfo, ...]
    parameters: tuple[ParameterInfo, ...]
    segments: dict[str, SegmentInfo] = field(default_factory=dict)
    milestone_thresholds_wan: tuple[float, ...] = ()
    milestone_clause: str = ""
    units: tuple[str, ...] = ()
    provisions: ProvisionsInfo = field(default_factory=ProvisionsInfo)

    def target(self, target_id: str) -> TargetInfo | None:
        return next((t for t in self.targets if t.id == target_id), None)

    @classmethod
    def load(cls, year: int | None = None) -> PolicyInfo | None:
        """The packaged model, or None when the model loader is not installed."""
        try:
            from laser_policy.policy.model import load_policy
        except ImportError:
            return None
        return cls.from_model(load_policy(), year or dt.date.today().year)

    @classmethod
    def from_model(cls, model: Any, year: int) -> PolicyInfo:
        return cls(
            version=str(_get(model, "version", "")),
            doc_number=str(_get(model, "doc_number", "")),
            title=str(_get(model, "title", "")),
            measures=tuple(_measure(m) for m in _get(model, "measures", ()) or ()),
            targets=tuple(_target(t) for t in _get(model, "targets", ()) or ()),
            parameters=_parameters(model, year),
            segments=_segments(model),
            milestone_thresholds_wan=_thresholds(model, year),
            milestone_clause=_param_clause(model, MILESTONE_THRESHOLDS),
            units=tuple(str(_get(u, "name", u)) for u in _get(model, "units", ()) or ()),
            provisions=_provisions(model),
        )


def _measure(m: Any) -> MeasureInfo:
    return MeasureInfo(
        number=int(_get(m, "number", 0)),
        chapter=int(_get(m, "chapter", 0) or 0),
        title=str(_get(m, "title", "")),
        text=str(_get(m, "text", "")),
        lead_units=tuple(_get(m, "lead_units", ()) or ()),
        responsible_units=tuple(_get(m, "responsible_units", ()) or ()),
    )


def _target(t: Any) -> TargetInfo:
    threshold = _get(t, "threshold")
    threshold_wan: float | None = None
    if threshold is not None:
        value = float(_get(threshold, "value", 0) or 0)
        unit = str(_get(threshold, "unit", ""))
        threshold_wan = value * WAN_PER_YI if unit.endswith("-yi") else value
    values = {
        int(y): (None if v is None else float(v)) for y, v in (_get(t, "values", {}) or {}).items()
    }
    label_zh = _get(t, "label_zh") or _text(_get(t, "label"), "zh")
    label_en = _get(t, "label_en") or _text(_get(t, "label"), "en")
    return TargetInfo(
        id=str(_get(t, "id", "")),
        label_zh=str(label_zh),
        label_en=str(label_en),
        clause=str(_get(t, "clause", "")),
        kind=str(_get(t, "kind", "")),
        unit=str(_get(t, "unit", "")),
        comparison=str(_get(t, "comparison", "")),
        values=values,
        threshold_wan=threshold_wan,
        note_zh=_text(_get(t, "note"), "zh"),
    )


def _param_clause(model: Any, name: str) -> str:
    try:
        return str(_get(model.parameter(name), "clause", ""))
    except (AttributeError, KeyError, LookupError):
        return ""


def _thresholds(model: Any, year: int) -> tuple[float, ...]:
    try:
        values = model.parameter(MILESTONE_THRESHOLDS).at(year)
    except (AttributeError, KeyError, LookupError):
        return ()
    return tuple(float(v) for v in values)


def _parameters(model: Any, year: int) -> tuple[ParameterInfo, ...]:
    try:
        flat = model.parameters_at(year)
    except (AttributeError, KeyError, LookupError):
        return ()
    out = []
    for name in sorted(flat):
        try:
            p = model.parameter(name)
        except (KeyError, LookupError):
            p = None
        out.append(
            ParameterInfo(
                name=name,
                label=_text(_get(p, "label", name), "zh"),
                unit=str(_get(p, "unit", "")),
                clause=str(_get(p, "clause", "")),
                note=_text(_get(p, "note", ""), "zh"),
                value=flat[name],
                assumption=bool(_get(p, "assumption", False)),
            )
        )
    return tuple(out)


def _segments(model: Any) -> dict[str, SegmentInfo]:
    chain = _get(model, "chain")
    segs = _get(chain, "segments", chain if isinstance(chain, list | tuple) else ()) or ()
    out = {}
    for s in segs:
        code = str(_get(s, "code", ""))
        out[code] = SegmentInfo(
            code=code,
            name_zh=str(_get(s, "name_zh", code)),
            stage=str(_get(s, "stage", "")),
            strength=str(_get(s, "strength_zh", "") or _get(s, "strength", "")),
            clause=str(_get(s, "clause", "")),
        )
    return out


_YI = {"currency-CNY-yi": "亿元", "currency-CNY-wan": "万元", "ratio": "倍", "rank": "名"}


def _amount(a: Any) -> str:
    if a is None:
        return ""
    return f"{float(_get(a, 'value', 0)):g}{_YI.get(str(_get(a, 'unit', '')), '')}"


def _clause(ref: str) -> str:
    return ref if ref.startswith("第") else f"（{ref}）"


def _provisions(model: Any) -> ProvisionsInfo:
    """The model's provisions as rows for the 政策 page (empty for an older model)."""
    purposes = dict(_get(model, "fund_purposes", {}) or {})
    return ProvisionsInfo(
        funds=tuple(
            {
                "id": f.id,
                "name": f.name_zh,
                "size": _amount(f.size) if f.size is not None else "",
                "purposes": "、".join(purposes.get(p, p) for p in f.purposes),
                "clause": _clause(f.clause),
                "quote": f.quote,
                "note": _text(f.note, "zh"),
            }
            for f in _get(model, "funds", ()) or ()
        ),
        mechanisms=tuple(
            {
                "id": m.id,
                "name": m.name_zh,
                "beneficiaries": m.beneficiaries,
                "quantified": m.quantified,
                "clause": _clause(m.clause),
                "quote": m.quote,
                "note": _text(m.note, "zh"),
            }
            for m in _get(model, "mechanisms", ()) or ()
        ),
        named=tuple(
            {
                "id": n.id,
                "kind": n.kind,
                "name": n.name_zh,
                "status": n.status,
                "clause": "、".join(_clause(c) for c in n.clauses),
                "quote": n.quote,
            }
            for n in _get(model, "named", ()) or ()
        ),
        tasks=tuple(
            {
                "id": t.id,
                "clause": _clause(t.clause),
                "name": t.name_zh,
                "target": t.target_zh,
                "due": t.due.isoformat(),
                "due_assumed": t.due_assumed,
                "lead_units": "、".join(t.lead_units),
                "responsible_units": "、".join(t.responsible_units),
                "quote": t.quote,
            }
            for t in _get(model, "tasks", ()) or ()
        ),
        figures=tuple(
            {
                "id": f.id,
                "label": f.label_zh,
                "value": _amount({"value": f.value, "unit": f.unit}),
                "of_kind": f.of_kind,
                "of": f.of_id,
                "judged": f.judged,
                "clause": _clause(f.clause),
                "quote": f.quote,
                "note": _text(f.note, "zh"),
            }
            for f in _get(model, "figures", ()) or ()
        ),
        chain_items=tuple(
            {
                "segment": s.code,
                "segment_name": s.name_zh,
                "name": i.name_zh,
                "strength": i.strength_zh or "",
                "segment_strength": s.strength_zh,
                "clause": _clause(i.clause),
                "quote": i.quote,
                "note": _text(i.note, "zh"),
            }
            for s in _get(_get(model, "chain"), "segments", ()) or ()
            for i in _get(s, "items", ()) or ()
        ),
    )


def task_item_flags(
    url: str,
    data: WebData,
    model: Any,
    memo: Callable[[tuple[Any, ...], Callable[[], Any]], Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """Red/amber/green per task item as of today, from the progress reports and the data.

    Computed once per data snapshot, model, day and set of stored reports (``memo``: the
    app's cache; without it, every call computes)."""
    from laser_policy.tasks.items import compute_item_flags
    from laser_policy.web.services.measures import reports_token, stored_reports

    def run(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        return memo(key, compute) if memo is not None else compute()

    reports = stored_reports(url, run)
    today = dt.date.today()

    def compute() -> dict[str, dict[str, Any]]:
        flags = compute_item_flags(model, reports, today, data.package())
        return {f.task: f.to_dict() for f in flags}

    result: dict[str, dict[str, Any]] = run(
        ("task-item-flags", data.version, model.version, today, reports_token(reports)), compute
    )
    return result


def measures_view(policy: PolicyInfo, can_report: Any) -> list[dict[str, Any]]:
    """The measures with a ``mine`` flag from the scope's ``can_report_measure``."""
    return [
        {
            "number": m.number,
            "chapter": m.chapter,
            "title": m.title,
            "text": m.text,
            "lead_units": list(m.lead_units),
            "responsible_units": list(m.responsible_units),
            "mine": bool(can_report(m.lead_units, m.responsible_units)),
        }
        for m in policy.measures
    ]
