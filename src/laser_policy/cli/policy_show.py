"""``laser-policy policy show``: the policy model as Chinese tables or JSON.

Views: ``meta`` (default: the document and counts), ``measures``, ``targets``,
``parameters``, ``units``, ``chain``, ``projects``, ``funds``, ``mechanisms``,
``named``, ``tasks``, ``figures``. Every item is shown with its clause; a parameter
whose value the text does not give is marked 假设 (assumption).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from laser_policy.policy.model import PolicyModel, load_policy
from laser_policy.policy.records import Parameter, Target

VIEWS = (
    "meta",
    "measures",
    "targets",
    "parameters",
    "units",
    "chain",
    "projects",
    "funds",
    "mechanisms",
    "named",
    "tasks",
    "figures",
)
MAX_CELL = 56  # display columns a table cell may take before it is cut with …

_KIND_ZH = {
    "provincial_department": "省直部门",
    "city_government": "市州政府",
    "other_body": "其他单位",
}
_COMPARISON_ZH = {
    "ge": "≥",
    "gt": ">",
    "le": "≤",
    "lt": "<",
    "eq": "=",
    "approx": "约",
    "batch": "一批",
    "increase": "提升",
}
_UNIT_ZH = {
    "currency-CNY-yi": "亿元",
    "currency-CNY-wan": "万元",
    "/1": "比例",
    "count": "个",
    "year": "年",
    "bool": "是/否",
    "list": "列表",
    "enum": "选项",
    "none": "",
    "ratio": "倍",
    "rank": "名",
}
_NAMED_KIND_ZH = {
    "institution": "机构",
    "platform": "平台",
    "fund": "基金",
    "programme": "计划项目",
    "place": "地点",
    "policy": "政策",
    "standard": "标准",
    "enterprise": "企业",
}
_NAMED_STATUS_ZH = {"existing": "现有", "to_build": "待建", "to_attract": "争取落户"}
_MECHANISM_KIND_ZH = {
    "guarantee": "融资担保",
    "subsidy": "补助",
    "fund": "基金",
    "channel": "绿色通道",
    "talent": "人才",
    "other": "其他",
}
_FUND_KIND_ZH = {
    "guidance_fund": "政府投资引导基金",
    "state_mother_fund": "国资母基金",
    "industry_fund": "产业发展基金",
}
_CADENCE_ZH = {"once": "一次", "annual": "每年"}
_FIGURE_OF_ZH = {"target": "目标", "fund": "基金", "task": "任务", "segment": "产业链环节"}
#: how a parameter's value stands to the text: stated, a reading, or an assumption
ASSUMPTION_ZH = "假设"


@click.command()
@click.argument("view", type=click.Choice(VIEWS), default="meta", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="表格（中文）或 JSON / Chinese table or JSON.",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="另一个政策模型目录（默认：鄂政办发〔2024〕35号）/ another policy model folder.",
)
def show(view: str, fmt: str, model_dir: Path | None) -> None:
    """查看政策模型：措施、目标、参数、单位、产业链、重大项目、基金、支持机制、点名事项、任务、其他数字。
    Show the policy model."""
    model = load_policy(model_dir)
    if fmt == "json":
        click.echo(json.dumps(_json_view(model, view), ensure_ascii=False, indent=2))
    else:
        click.echo(_table_view(model, view))


# -- JSON -------------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json_view(model: PolicyModel, view: str) -> Any:
    head = {"version": model.version, "doc_number": model.doc_number}
    if view == "meta":
        return {**head, "meta": _jsonable(model.meta), "counts": _counts(model)}
    if view == "measures":
        body: Any = {
            "chapters": _jsonable(model.chapters),
            "measures": [{**_jsonable(m), "numeral": m.numeral} for m in model.measures],
        }
    elif view == "targets":
        body = {"targets": [{**_jsonable(t), "years": list(t.years)} for t in model.targets]}
    elif view == "parameters":
        body = {"parameters": [_parameter_json(p) for p in model.parameters.values()]}
    elif view == "units":
        body = {"units": [_unit_json(model, u.name) for u in model.units]}
    elif view == "chain":
        body = _jsonable(model.chain)
    elif view == "projects":
        body = {"projects": [{**_jsonable(p), "clauses": list(p.clauses)} for p in model.projects]}
    elif view == "funds":
        body = {"purposes": dict(model.fund_purposes), "funds": _jsonable(model.funds)}
    elif view == "mechanisms":
        body = {"mechanisms": _jsonable(model.mechanisms)}
    elif view == "named":
        body = {"named": [{**_jsonable(n), "clauses": list(n.clauses)} for n in model.named]}
    elif view == "tasks":
        body = {
            "tasks": [
                {**_jsonable(t), "number": model.measure(t.clause).number, "target_zh": t.target_zh}
                for t in model.tasks
            ]
        }
    else:
        body = {"figures": _jsonable(model.figures)}
    return {**head, **body}


def _parameter_json(p: Parameter) -> dict[str, Any]:
    out: dict[str, Any] = _jsonable(p)
    out["values"] = {day.isoformat(): _jsonable(v) for day, v in p.values}
    return out


def _unit_json(model: PolicyModel, name: str) -> dict[str, Any]:
    unit = model.unit(name)
    return {
        **_jsonable(unit),
        "leads": [m.number for m in model.measures_of(name, lead_only=True)],
        "shares": [m.number for m in model.measures if name in m.responsible_units],
    }


def _counts(model: PolicyModel) -> dict[str, int]:
    return {
        "chapters": len(model.chapters),
        "measures": len(model.measures),
        "units": len(model.units),
        "targets": len(model.targets),
        "parameters": len(model.parameters),
        "projects": len(model.projects),
        "segments": len(model.chain.segments),
        "funds": len(model.funds),
        "mechanisms": len(model.mechanisms),
        "named": len(model.named),
        "tasks": len(model.tasks),
        "figures": len(model.figures),
    }


# -- tables -----------------------------------------------------------------------------
def _table_view(model: PolicyModel, view: str) -> str:
    title = f"{model.doc_number} {model.title}（模型版本 {model.version}）"
    if view == "meta":
        m = model.meta
        rows = [
            ["文号", m.doc_number],
            ["标题", m.title],
            ["发文单位", m.issuer],
            ["印发日期", m.issued.isoformat()],
            ["生效日期", m.effective.isoformat()],
            ["规划期", f"{m.start_year}—{m.end_year}年"],
            ["模型版本", model.version],
            *[[_COUNT_ZH[k], str(v)] for k, v in _counts(model).items()],
        ]
        return render_table(["项目", "内容"], rows)
    header, rows = _VIEWS[view](model)
    return f"{title}\n\n{render_table(header, rows)}"


_COUNT_ZH = {
    "chapters": "部分数",
    "measures": "措施数",
    "units": "单位数",
    "targets": "目标数",
    "parameters": "参数数",
    "projects": "重大项目数",
    "segments": "产业链环节数",
    "funds": "基金数",
    "mechanisms": "支持机制数",
    "named": "点名事项数",
    "tasks": "任务数",
    "figures": "其他数字数",
}


def _measures(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            f"（{m.numeral}）",
            model.chapters[m.chapter - 1].numeral,
            m.title,
            "、".join(m.lead_units) or "—",
            "、".join(m.responsible_units) or "—",
        ]
        for m in model.measures
    ]
    return ["条款", "部分", "措施", "牵头单位", "责任单位"], rows


def _target_values(t: Target) -> str:
    sign = _COMPARISON_ZH[t.comparison]
    unit = _UNIT_ZH.get(t.unit, t.unit)
    parts = []
    for year in t.years:
        value = t.values[year]
        if value is None:
            parts.append(f"{year}年 {sign}")
        elif t.unit == "/1":
            parts.append(f"{year}年 {sign}{value * 100:g}％")
        else:
            parts.append(f"{year}年 {sign}{value:g}{unit}")
    return "；".join(parts)


def _targets(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            t.id,
            t.label_zh,
            _target_values(t),
            "力争" if t.aspirational else "",
            model.clause_label(t.clause),
        ]
        for t in model.targets
    ]
    return ["编号", "目标", "目标值", "性质", "条款"], rows


def _format_value(value: Any, unit: str) -> str:
    if isinstance(value, list | tuple):
        return "、".join(_format_value(v, unit) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if unit == "/1":
        return f"{value * 100:g}％"
    return str(value)


def basis_zh(p: Parameter) -> str:
    """Where a parameter's value comes from: 原文 (the text) or 假设 (the model's assumption)."""
    return ASSUMPTION_ZH if p.assumption else "原文"


def _parameters(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = []
    for p in model.parameters.values():
        mark = f"（{ASSUMPTION_ZH}）" if p.assumption else ""
        values = "；".join(f"{day}起 {_format_value(v, p.unit)}{mark}" for day, v in p.values)
        rows.append(
            [
                p.name,
                p.label,
                values,
                _UNIT_ZH.get(p.unit, p.unit),
                f"（{p.clause}）",
                basis_zh(p),
                "有" if p.note else "",
            ]
        )
    return ["参数", "含义", "取值", "单位", "条款", "依据", "解读说明"], rows


def _units(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = []
    for u in model.units:
        leads = [m.numeral for m in model.measures_of(u.name, lead_only=True)]
        shares = [m.numeral for m in model.measures if u.name in m.responsible_units]
        rows.append(
            [
                u.id,
                u.name,
                u.full_name,
                _KIND_ZH[u.kind],
                "是" if u.collective else "",
                "、".join(leads) or "—",
                "、".join(shares) or "—",
            ]
        )
    return ["编号", "简称", "全称", "类别", "集合", "牵头措施", "责任措施"], rows


def _chain(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    """Segments, each followed by the chain items the text names in it (└ 机械部件).

    An item shows a strength only when the text gives it one of its own (— otherwise).
    """
    stages = {s.code: s.name_zh for s in model.chain.stages}
    rows = []
    for s in model.chain.segments:
        stage = stages.get(s.stage, s.stage)
        rows.append(
            [s.code, s.name_zh, stage, s.strength_zh, "、".join(f"（{c}）" for c in s.clauses)]
        )
        rows.extend(
            [s.code, f"└ {i.name_zh}", stage, i.strength_zh or "—", f"（{i.clause}）"]
            for i in s.items
        )
    return ["编码", "环节", "所属", "强弱", "条款"], rows


def _projects(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            p.id,
            p.name,
            p.enterprise,
            "" if p.phase is None else f"{p.phase}期",
            "、".join(f"（{c}）" for c in p.clauses),
            "、".join(p.related) or "—",
        ]
        for p in model.projects
    ]
    return ["编号", "项目", "企业", "期次", "条款", "关联项目"], rows


def _clause(ref: str) -> str:
    return ref if ref.startswith("第") else f"（{ref}）"


def _size(value: float, unit: str) -> str:
    return f"{value:g}{_UNIT_ZH.get(unit, unit)}"


def _funds(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            f.id,
            f.name_zh,
            _FUND_KIND_ZH.get(f.kind, f.kind),
            "原文未写" if f.size is None else _size(f.size.value, f.size.unit),
            "、".join(model.fund_purposes.get(p, p) for p in f.purposes),
            _clause(f.clause),
        ]
        for f in model.funds
    ]
    return ["编号", "基金", "类别", "规模", "支持方向", "条款"], rows


def _mechanisms(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            m.id,
            m.name_zh,
            _MECHANISM_KIND_ZH.get(m.kind, m.kind),
            m.beneficiaries,
            "有" if m.quantified else "原文无数字",
            _clause(m.clause),
        ]
        for m in model.mechanisms
    ]
    return ["编号", "机制", "类别", "支持对象", "数字", "条款"], rows


def _named(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            n.id,
            n.name_zh,
            _NAMED_KIND_ZH.get(n.kind, n.kind),
            _NAMED_STATUS_ZH.get(n.status, n.status),
            "、".join(_clause(c) for c in n.clauses),
        ]
        for n in model.named
    ]
    return ["编号", "名称", "类别", "状态", "条款"], rows


def due_zh(t: Any) -> str:
    """A task's due date, marked 假设 when the text gives none."""
    return f"{t.due.isoformat()}{'（' + ASSUMPTION_ZH + '）' if t.due_assumed else ''}"


def _tasks(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            t.id,
            _clause(t.clause),
            t.name_zh,
            t.target_zh,
            _CADENCE_ZH[t.cadence],
            due_zh(t),
            "、".join(t.lead_units) or "—",
            "、".join(t.responsible_units) or "—",
        ]
        for t in model.tasks
    ]
    return ["编号", "条款", "任务", "目标", "频次", "截止", "牵头单位", "责任单位"], rows


def _figures(model: PolicyModel) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            f.id,
            f.label_zh,
            _size(f.value, f.unit),
            f"{_FIGURE_OF_ZH[f.of_kind]} {f.of_id}",
            "判定" if f.judged else "只说明不判定",
            _clause(f.clause),
        ]
        for f in model.figures
    ]
    return ["编号", "数字", "数值", "所属", "判定", "条款"], rows


_VIEWS = {
    "measures": _measures,
    "targets": _targets,
    "parameters": _parameters,
    "units": _units,
    "chain": _chain,
    "projects": _projects,
    "funds": _funds,
    "mechanisms": _mechanisms,
    "named": _named,
    "tasks": _tasks,
    "figures": _figures,
}


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: wide (CJK) characters take two.

    >>> display_width("省经信厅"), display_width("abc"), display_width("50％")
    (8, 3, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns (CJK-aware), cells cut at :data:`MAX_CELL` columns."""
    cells = [[_cut(str(c), MAX_CELL) for c in row] for row in [list(header), *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        padded = (c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])
