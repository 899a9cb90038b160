"""A model folder drafted from a policy document's text, and the check of a folder.

``draft_model(FILE, OUT)`` parses the document and writes the files a model folder
holds (those of ``model/hubei_laser_2024``: meta, measures, units, targets,
parameters, projects, chain and the text itself) plus ``review.yaml``: the list of
everything the draft guessed, each entry ``{file, path, what_zh, what_en, quote?,
clause?, confirmed: false}``. Guesses are written in the model files in a form the
strict loader accepts, so that the only thing between a draft and a model is the
review: ``check_model(DIR)`` reports every entry still ``confirmed: false`` as a
“待确认” problem, together with every problem the strict loader finds.

Marking convention: a person confirms an entry by correcting the value it points
to (if needed) and setting ``confirmed: true``; a candidate that is wrong is
deleted from its file and its entry removed (or confirmed after the deletion).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from laser_policy.errors import DocumentError, PolicyModelError
from laser_policy.policy.build import Parts, build
from laser_policy.policy.ingest.candidates import find_money, find_projects, find_targets
from laser_policy.policy.loader import load_yaml
from laser_policy.policy.numerals import to_numeral
from laser_policy.policy.parse import ParsedDocument, parse_document
from laser_policy.policy.text import read_document

REVIEW = "review.yaml"
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISSUER_RE = re.compile(
    r"^(.{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|国务院办公厅|国务院))关于"
)
_CITY_GOV_RE = re.compile(r"人民政府|政府$|管委会$|各(?:市|县|区|地|省|镇)")
_COLLECTIVE_RE = re.compile(r"^(?:各|有关|相关|市级各|省级各|市直各|省直各)|有关部门|有关单位")


@dataclass
class Review:
    """The entries of ``review.yaml``."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, file: str, path: str, zh: str, en: str, **extra: Any) -> None:
        entry: dict[str, Any] = {"file": file, "path": path, "what_zh": zh, "what_en": en}
        entry.update({k: v for k, v in extra.items() if v is not None})
        entry["confirmed"] = False
        self.items.append(entry)


@dataclass(frozen=True)
class DraftSummary:
    folder: Path
    measures: int
    units: int
    targets: int
    money_rules: int
    projects: int
    to_confirm: int


def draft_model(source: Path, out: Path) -> DraftSummary:
    """Write a model folder drafted from the document ``source`` into ``out``.

    ``out`` must not exist or be empty; nothing is written when the document
    cannot be read or parsed.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DocumentError(
            f"输出目录 {out} 已存在且不为空 / output folder {out} exists and is not empty"
        )
    text = read_document(source)
    doc = parse_document(source)
    files, review, counts = _draft_files(doc, text, source.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        staging = Path(tmp) / "model"
        staging.mkdir()
        for name, content in files.items():
            (staging / name).write_text(content, encoding="utf-8")
        (staging / REVIEW).write_text(_dump({"items": review.items}, REVIEW_HEADER), "utf-8")
        if out.exists():
            out.rmdir()
        shutil.move(str(staging), str(out))
    return DraftSummary(out, *counts, len(review.items))


REVIEW_HEADER = """\
# 起草时推定、须人工确认的各项（laser-policy policy draft）。
# 逐项核对 file/path 所指的内容，改正后把 confirmed 改为 true；不成立的候选项从其文件中删去。
# policy check 把每个 confirmed: false 报为“待确认”问题。
# Items the draft guessed. Check each (file, key path), correct it, then set confirmed: true;
# delete a wrong candidate from its file. policy check reports every confirmed: false.
"""


def _dump(data: Any, header: str = "") -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return header + body


def _slug(doc: ParsedDocument) -> str:
    key = (doc.doc_number or doc.title or "draft").encode("utf-8")
    year = re.search(r"(?:19|20)\d{2}", doc.doc_number or doc.title or "")
    return f"draft-{year.group(0) + '-' if year else ''}{hashlib.sha1(key).hexdigest()[:8]}"


def _issued(doc: ParsedDocument, text: str) -> tuple[dt.date, bool]:
    """The date of issue and whether it was found in the text (else a placeholder)."""
    dates = ([doc.date] if doc.date else []) + [m.group(0) for m in _DATE_RE.finditer(text)]
    for candidate in dates:
        m = _DATE_RE.search(candidate)
        if m is None:
            continue
        try:
            return dt.date(*(int(g) for g in m.groups())), True
        except ValueError:
            continue
    years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", doc.doc_number or text)]
    return dt.date(max(years) if years else 2000, 1, 1), False


def _draft_files(
    doc: ParsedDocument, text: str, source_name: str
) -> tuple[dict[str, str], Review, tuple[int, int, int, int, int]]:
    review = Review()
    chapters, measures = _structure(doc, review)
    units = _units(measures, review)
    issued, found = _issued(doc, text)
    measure_texts = [(to_numeral(m["number"]), m["text"]) for m in measures]
    chapter_texts = [(f"第{to_numeral(c['number'])}部分", c["text"]) for c in chapters]
    targets = _targets(chapter_texts + measure_texts, issued.year, review)
    years = [y for t in targets for y in t["values"]]
    start_year = min([issued.year, *years])
    end_year = max([issued.year, *years])
    doc_number = doc.doc_number or "（待确认文号）"
    parameters = _money(measure_texts, doc_number, issued, review)
    projects = _projects(measure_texts, review)
    for name, found_items, key in (("targets.yaml", targets, "targets"),
                                   ("projects.yaml", projects, "projects"),
                                   ("units.yaml", units, "units")):
        if not found_items:
            review.add(name, key,
                       "原文中未找到候选项：请核对原文确无此类内容，或人工补充",
                       "no candidate found in the text: check that the text has none, or add them")
    meta = _meta(doc, source_name, issued, found, (start_year, end_year), doc_number, review)
    files = {
        "document.txt": text if text.endswith("\n") else text + "\n",
        "meta.yaml": _dump(meta, "# 由 laser-policy policy draft 起草；见 review.yaml。\n"),
        "measures.yaml": _dump({"chapters": chapters, "measures": measures}),
        "units.yaml": _dump({"units": units}),
        "targets.yaml": _dump({"targets": targets}),
        "parameters.yaml": _dump(parameters) if parameters else "{}\n",
        "projects.yaml": _dump({"projects": projects}),
        "chain.yaml": _dump({"stages": [], "strengths": {}, "segments": []},
                            "# 产业链环节须人工补充 / the industry chain is not drafted.\n"),
    }
    counts = (len(measures), len(units), len(targets), len(parameters.get("candidates", {})),
              len(projects))
    return files, review, counts


def _meta(
    doc: ParsedDocument,
    source_name: str,
    issued: dt.date,
    found: bool,
    period: tuple[int, int],
    doc_number: str,
    review: Review,
) -> dict[str, Any]:
    title = doc.title or "（待确认标题）"
    issuer_m = _ISSUER_RE.match(title)
    signature = next((c for c in doc.closing if not _DATE_RE.search(c) and len(c) <= 30), None)
    issuer = signature or (issuer_m.group(1) if issuer_m else "（待确认发文机关）")
    review.add("meta.yaml", "doc_number", f"文号：{doc_number}", "document number")
    review.add("meta.yaml", "title", f"标题：{title}", "title")
    review.add("meta.yaml", "title_en", "英文标题须翻译", "translate the title")
    review.add("meta.yaml", "issuer", f"发文机关（推定）：{issuer}", "issuer (guessed)")
    review.add("meta.yaml", "issued",
               f"印发日期{'（取自文本）' if found else '（未找到，暂填）'}：{issued}",
               "date of issue" + ("" if found else " (not found; placeholder)"))
    review.add(
        "meta.yaml", "period", f"政策期限（推定）：{period[0]}–{period[1]}", "period (guessed)"
    )
    return {
        "id": _slug(doc),
        "doc_number": doc_number,
        "title": title,
        "title_en": f"(to be translated) {title}",
        "issuer": issuer,
        "issued": issued.isoformat(),
        "effective": issued.isoformat(),
        "period": {"start_year": period[0], "end_year": period[1]},
        "version": issued.isoformat(),
        "document": "document.txt",
        "source": {
            "zh": f"由 laser-policy policy draft 从 {source_name} 起草，待人工确认。",
            "en": f"Drafted by laser-policy policy draft from {source_name}; to be confirmed.",
        },
    }


def _structure(
    doc: ParsedDocument, review: Review
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if doc.chapters:
        chapters = [{"number": c.number, "title": c.title, "text": c.text} for c in doc.chapters]
    else:
        chapters = [{"number": 1, "title": doc.title or "全文", "text": ""}]
        review.add("measures.yaml", "chapters[0]",
                   "原文无章节，全部措施归入一个部分",
                   "no chapters in the text: one chapter holds all")
    measures: list[dict[str, Any]] = []
    for i, m in enumerate(doc.measures):
        body = m.text.removeprefix(m.title).lstrip("。 \n") or m.title
        measures.append({
            "number": m.number,
            "chapter": m.chapter or 1,
            "title": m.title,
            "text": re.sub(r"\s*\n\s*", "", body),
            "lead_units": list(m.lead_units),
            "responsible_units": list(m.responsible_units),
        })
        if m.confidence != "high" or m.notes:
            review.add(
                "measures.yaml", f"measures[{i}]",
                f"（{to_numeral(m.number)}）{m.title}：把握{_CONFIDENCE[m.confidence]}；"
                + "；".join(m.notes),
                f"measure {m.number}: confidence {m.confidence}",
                numbering=m.numbering,
            )
    return chapters, measures


_CONFIDENCE = {"high": "高", "medium": "中", "low": "低"}


def _units(measures: Sequence[dict[str, Any]], review: Review) -> list[dict[str, Any]]:
    names = list(dict.fromkeys(
        u for m in measures for u in [*m["lead_units"], *m["responsible_units"]]
    ))
    out: list[dict[str, Any]] = []
    for i, name in enumerate(names, start=1):
        kind = "city_government" if _CITY_GOV_RE.search(name) else (
            "provincial_department" if re.match(r"^(?:省|市|区|县)", name) else "other_body"
        )
        out.append({
            "id": f"u-{i:03d}",
            "name": name,
            "full_name": name,
            "kind": kind,
            "collective": bool(_COLLECTIVE_RE.search(name)),
        })
        review.add("units.yaml", f"units[{i - 1}]",
                   f"单位「{name}」：全称、类别（{kind}）、是否集合须确认",
                   f"unit {name}: full name, kind and collective guessed")
    return out


def _targets(
    clauses: Sequence[tuple[str, str]], default_year: int, review: Review
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for clause, text in clauses:
        for c in find_targets(clause, text):
            values = {
                (year or default_year): (int(v) if v == int(v) else v)
                for year, v in c.values.items()
            }
            out.append({
                "id": f"target_{len(out) + 1}",
                "label_zh": c.label,
                "label_en": f"(to be translated) target {len(out) + 1}",
                "clause": clause,
                "scope": "（待确认）",
                "kind": c.kind,
                "unit": c.unit,
                "comparison": c.comparison,
                "basis": "level",
                "aspirational": "力争" in c.quote,
                "values": values,
                "quote": c.quote,
            })
            review.add("targets.yaml", f"targets[{len(out) - 1}]",
                       f"候选目标（{clause}）：{c.quote}", "candidate target",
                       quote=c.quote, clause=clause)
    if not out:  # the model needs at least one goal: propose the first clause that raises one
        for clause, text in clauses:
            m = re.search(r"[^。；]*(?:提升|提高|增强|扩大)[^。；]*", text)
            if m:
                due = re.search(r"((?:19|20)\d{2})年", m.group(0))
                year = int(due.group(1)) if due else default_year
                out.append({
                    "id": "target_1", "label_zh": m.group(0)[:40],
                    "label_en": "(to be translated) target 1", "clause": clause,
                    "scope": "（待确认）", "kind": "qualitative", "unit": "none",
                    "comparison": "increase", "basis": "level", "aspirational": False,
                    "values": {year: None}, "quote": m.group(0),
                })
                review.add("targets.yaml", "targets[0]", f"候选定性目标（{clause}）：{m.group(0)}",
                           "candidate qualitative target", quote=m.group(0), clause=clause)
                break
    return out


def _money(
    clauses: Sequence[tuple[str, str]], doc_number: str, issued: dt.date, review: Review
) -> dict[str, Any]:
    group: dict[str, Any] = {}
    for clause, text in clauses:
        for c in find_money(clause, text):
            name = f"rule_{len(group) + 1}"
            value: int | float = int(c.value) if c.value == int(c.value) else c.value
            group[name] = {
                "label": f"{c.quote[:40]}（{value}{'万元' if c.unit != '/1' else ''}）",
                "unit": c.unit,
                "clause": clause,
                "reference": f"{doc_number}（{clause}）：{c.quote}",
                "values": {issued.isoformat(): value},
            }
            review.add("parameters.yaml", f"candidates.{name}",
                       f"候选资金规则（{clause}）：{c.quote}", "candidate money rule",
                       quote=c.quote, clause=clause)
    return {"candidates": group} if group else {}


def _projects(clauses: Sequence[tuple[str, str]], review: Review) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for clause, text in clauses:
        for c in find_projects(clause, text):
            if c.name in seen:
                continue
            seen.add(c.name)
            out.append({
                "id": f"project-{len(out) + 1}", "name": c.name, "enterprise": "（待确认）",
                "phase": None, "mentions": {clause: c.name}, "related": [],
            })
            review.add("projects.yaml", f"projects[{len(out) - 1}]",
                       f"候选项目（{clause}）：{c.name}", "candidate project",
                       quote=c.name, clause=clause)
    return out


# --------------------------------------------------------------------------- check


def check_model(folder: Path) -> Parts:
    """The checked parts of a model folder; raises ``PolicyModelError`` listing every
    problem: the strict loader's, and each review entry not yet confirmed (待确认)."""
    problems: list[str] = []
    review_path = folder / REVIEW
    if review_path.is_file():
        problems += _review_problems(review_path)
    parts: Parts | None = None
    try:
        parts = build(folder)
    except PolicyModelError as exc:
        problems += [
            line for line in str(exc).splitlines() if not line.startswith("政策模型有")
        ]
    if problems:
        n = len(problems)
        raise PolicyModelError(
            f"政策模型有{n}个问题 / the policy model has {n} problem(s):\n" + "\n".join(problems)
        )
    assert parts is not None
    return parts


def _review_problems(path: Path) -> list[str]:
    try:
        raw = load_yaml(path)
    except PolicyModelError as exc:
        return [str(exc)]
    items = raw.get("items") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        return [f"{REVIEW}: items: 应为列表 / expected a list"]
    out: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            out.append(f"{REVIEW}: items[{i}]: 应为映射 / expected a mapping")
            continue
        confirmed = item.get("confirmed")
        if confirmed is True:
            continue
        where = f"{item.get('file', '?')}: {item.get('path', '?')}"
        if confirmed is not False:
            out.append(
                f"{REVIEW}: items[{i}].confirmed: 应为 true 或 false / expected true or false"
            )
            continue
        out.append(
            f"{where}: 待确认：{item.get('what_zh', '')} / to be confirmed: "
            f"{item.get('what_en', '')} ({REVIEW} items[{i}])"
        )
    return out
