"""Parsing a policy document into its parts: number, title, chapters, measures, units.

The genre: a title, a document number (``鄂政办发〔2024〕35号``), an addressee and a
preamble, then numbered items under any numbering (一、 （一） 1. （1） 1、 第一条…),
nested as the document opens them (:mod:`laser_policy.policy.ingest.outline`), or the
rows of an annex table (:mod:`~laser_policy.policy.ingest.table`). The measures are
the leaves of the task sections (not 指导思想/基本原则/目标, not group headings with
sub-items), or an item that carries units itself with its sub-items inside it; a
document whose chapter items carry the units has them as its measures. Measures are
numbered 1… in document order (``numbering`` keeps the number as printed). Units come
from the annotations in every form the genre uses
(:mod:`~laser_policy.policy.ingest.units`), with the document's own conventions.

>>> doc = parse_document('''关于做好示例工作的意见
... 一、主要任务
... （一）加强协同。各地要协同推进。（牵头单位：省经信厅；责任单位：各市、州人民政府）''')
>>> doc.measures[0].lead_units, doc.measures[0].responsible_units
(['省经信厅'], ['各市、州人民政府'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from laser_policy.errors import DocumentError
from laser_policy.policy.ingest import units as units_mod
from laser_policy.policy.ingest.head import find_doc_number, find_title
from laser_policy.policy.ingest.outline import Node, Outline, build_outlines, split_inline
from laser_policy.policy.ingest.table import Table, find_table
from laser_policy.policy.ingest.units import Annotation, Convention
from laser_policy.policy.numerals import cn_to_int, int_to_cn
from laser_policy.policy.text import (
    DOC_NUMBER_RE,
    ENDS_CLAUSE_RE,
    HEADING_RE,
    load_paragraphs,
    normalise_text,
)

# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Target:
    """A target paragraph of the general requirements (``——产业规模目标。…``)."""

    name: str
    text: str


@dataclass(frozen=True)
class Chapter:
    """A chapter: ``intro`` is its text outside the targets, ``text`` all of it in order."""

    number: int
    title: str
    intro: str = ""
    targets: tuple[Target, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Measure:
    """A measure; ``number`` counts measures 1… in document order, ``numbering`` is
    the number as printed, ``path`` its place (chapter → group → item)."""

    number: int
    chapter: int
    title: str
    text: str
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    numbering: str = ""
    path: tuple[str, ...] = ()
    deadline: str | None = None
    confidence: str = "high"
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "chapter": self.chapter,
            "title": self.title,
            "lead_units": list(self.lead_units),
            "responsible_units": list(self.responsible_units),
            "text": self.text,
            "numbering": self.numbering,
            "path": list(self.path),
            "deadline": self.deadline,
            "confidence": self.confidence,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class ParsedDocument:
    doc_number: str | None
    title: str | None
    chapters: list[Chapter]
    measures: list[Measure]
    preamble: str = ""
    closing: list[str] = field(default_factory=list)
    date: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``laser-policy policy parse``."""
        return {
            "doc_number": self.doc_number,
            "title": self.title,
            "chapters": [{"number": c.number, "title": c.title} for c in self.chapters],
            "measures": [m.to_dict() for m in self.measures],
        }

    def chapter(self, number: int) -> Chapter | None:
        return next((c for c in self.chapters if c.number == number), None)


# --------------------------------------------------------------------------- units

#: re-exported: numerals live in :mod:`laser_policy.policy.numerals`, the unit grammar in
#: :mod:`laser_policy.policy.ingest.units`
__all__ = [
    "Chapter", "Measure", "ParsedDocument", "Target", "cn_to_int", "extract_units",
    "int_to_cn", "parse_document", "parse_paragraphs", "split_units",
]
LEAD_LABELS = units_mod.LEAD_LABELS
RESPONSIBLE_LABELS = units_mod.RESPONSIBLE_LABELS
split_units = units_mod.split_units


def extract_units(
    text: str, convention: Convention | None = None
) -> tuple[str, list[str], list[str]]:
    """Remove the unit annotations from a measure's text.

    Returns the text without them, the lead units and the responsible units
    (配合/协同/参与… count as responsible).
    """
    stripped, ann = extract_annotations(text, convention or Convention())
    return stripped, ann.lead, ann.responsible


def extract_annotations(text: str, convention: Convention) -> tuple[str, Annotation]:
    """The text without its annotations, and their union (in order of appearance)."""
    total = Annotation()
    pieces: list[str] = []
    pos = 0
    for start, end, body in units_mod.find_annotations(text):
        ann = units_mod.parse_annotation(body, convention)
        total.lead.extend(ann.lead)
        total.responsible.extend(ann.responsible)
        total.deadline = total.deadline or ann.deadline
        total.notes.extend(ann.notes)
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    stripped = "".join(pieces)
    cut = units_mod.find_open_annotation(stripped)
    if cut is not None:
        stripped = stripped[: cut[0]]
        total.notes.append(f"单位注释在文本截断处未完：「{cut[1]}」 / unit note cut off")
    total.lead = list(dict.fromkeys(total.lead))
    total.responsible = [u for u in dict.fromkeys(total.responsible) if u not in total.lead]
    return stripped.strip(), total


# --------------------------------------------------------------------------- parsing

_ORGAN = r"(?:厅|局|委|办|府|院|会|行|部|团|中心|室|署|处|所|公司|集团)"
_DATE_RE = re.compile(
    r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^(?:19|20)\d{2}-\d{2}-\d{2}$"
)
_SIGNATURE_RE = re.compile(rf"^[^，。；：、]{{2,30}}{_ORGAN}$")
_CLOSING_NOTE_RE = re.compile(r"^[（(]此件[^）)]*[)）]$")
_TARGET_NAME_RE = re.compile(r"^——\s*([^。：:，]{2,20})[。：:]")


def parse_document(source: str | Path | bytes, name: str | None = None) -> ParsedDocument:
    """Parse a policy document given as text, a path, or bytes.

    A ``str`` is taken as a path when it is one line naming an existing file (or
    ending in ``.txt``); otherwise as the document's text. Raises
    ``DocumentError`` when the input is unreadable or not a policy document.
    """
    where = name
    if isinstance(source, Path) or (
        isinstance(source, str)
        and "\n" not in source
        and len(source) < 1024
        and (Path(source).is_file() or source.lower().endswith(".txt"))
    ):
        where = name or str(source)
        paragraphs = load_paragraphs(Path(source), where)
    elif isinstance(source, bytes):
        paragraphs = load_paragraphs(source, name)
    else:
        paragraphs = normalise_text(source)
    return parse_paragraphs(paragraphs, where)


def _split_head(head: list[str]) -> tuple[str | None, list[str]]:
    """The title (leading lines before number, addressee or prose) and the rest."""
    title_parts: list[str] = []
    rest_start = 0
    for i, paragraph in enumerate(head):
        bare = paragraph.strip("（()） ")
        if (
            DOC_NUMBER_RE.fullmatch(bare)
            or paragraph.endswith(("：", ":"))
            or re.search(r"[。！？；]", paragraph)
            or len(title_parts) >= 4
        ):
            break
        title_parts.append(paragraph)
        rest_start = i + 1
    rest = [p for p in head[rest_start:] if not DOC_NUMBER_RE.fullmatch(p.strip("（()） "))]
    title = "".join(title_parts)
    title = DOC_NUMBER_RE.sub("", title).replace("（）", "").replace("()", "").strip()
    return (title or None), rest


def _strip_closing(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    end = len(paragraphs)
    while end > 0:
        p = paragraphs[end - 1]
        if _DATE_RE.match(p) or _CLOSING_NOTE_RE.match(p) or _SIGNATURE_RE.match(p):
            end -= 1
        else:
            break
    return paragraphs[:end], paragraphs[end:]


#: sections that frame the measures rather than hold them
_FRAME_TITLE_RE = re.compile(
    r"^(?:指导思想|基本原则|总体要求|总体思路|发展目标|主要目标|总体目标|工作目标|目标任务|"
    r"适用范围|工作原则|发展原则|基本思路|重要意义|主要原则)"
)
_HEADING_CUT_RE = re.compile(r"[。：:；]")


def _heading(node: Node) -> str:
    first = node.paragraphs[0] if node.paragraphs else ""
    return _HEADING_CUT_RE.split(first, 1)[0][:40]


def _own_annotated(node: Node) -> bool:
    return any(units_mod.find_annotations(p) for p in node.paragraphs)


def _lift_trailing_annotations(outline: Outline) -> None:
    """A paragraph that is only an annotation, after the last sub-item of an item
    whose sub-items carry no units, belongs to that item (``2.强化保障。（1）…（2）…
    （牵头单位：…）``)."""
    for node in outline.nodes():
        if not node.children:
            continue
        last = node.children[-1]
        if last.children or not last.paragraphs:
            continue
        tail = last.paragraphs[-1]
        found = units_mod.find_annotations(tail)
        if not (found and found[0][0] == 0 and found[-1][1] == len(tail)):
            continue
        if len(last.paragraphs) == 1:
            continue
        if any(_own_annotated(c) for c in node.children[:-1]) or _own_annotated(node):
            continue
        node.paragraphs.append(last.paragraphs.pop())


def _part_weight(outline: Outline) -> tuple[int, int]:
    """How much of a policy a part holds: items with units, then items."""
    nodes = outline.nodes()
    return sum(1 for n in nodes if _own_annotated(n)), sum(1 for n in nodes if not n.children)


def _has_units(outline: Outline) -> bool:
    """Whether the document assigns units (to a fair share of its items)."""
    nodes = outline.nodes()
    leaves = sum(1 for n in nodes if not n.children)
    annotated = sum(1 for n in nodes if _own_annotated(n))
    return annotated > 0 and annotated >= 0.2 * leaves


def _select_measures(outline: Outline) -> list[Node]:
    """The items that are measures: the leaves of the task sections, or an item that
    carries units itself with its sub-items inside it."""
    chosen: list[Node] = []

    def annotated_below(node: Node) -> bool:
        return any(_own_annotated(n) for n in node.walk())

    def visit(siblings: list[Node]) -> None:
        some_have_children = any(n.children for n in siblings)
        for node in siblings:
            if _FRAME_TITLE_RE.match(_heading(node)) and not annotated_below(node):
                continue
            if node.children:
                if _own_annotated(node) and not any(annotated_below(c) for c in node.children):
                    chosen.append(node)
                else:
                    visit(node.children)
                continue
            if some_have_children and not _own_annotated(node):
                continue
            chosen.append(node)

    visit(outline.roots)
    return chosen


def parse_paragraphs(paragraphs: list[str], name: str | None = None) -> ParsedDocument:
    """Parse clean paragraphs (see ``laser_policy.policy.text``) into a document."""
    where = name or "<输入>"
    body, closing = _strip_closing(split_inline(paragraphs))
    table = find_table(body)
    parts = build_outlines(body[: table.start] if table and table.rows else body)
    outline = max(parts, key=_part_weight)  # the first of equals: the main text, not an annex
    _lift_trailing_annotations(outline)
    title, preamble = _split_head(outline.before)
    title = find_title(outline.before) or (title if title and len(title) >= 6 else None)
    doc_number = find_doc_number(outline.before) or find_doc_number(closing)
    convention = Convention()
    if any(units_mod.states_first_is_lead(p) for p in outline.before):
        convention.first_is_lead = True
    if table and table.rows:
        chapters, measures = _from_table(table, convention)
    else:
        nodes = _select_measures(outline)
        if not nodes:
            raise DocumentError(
                f"{where} 不像政策文件：未找到编号的措施条目（如“（一）”“1.”“第一条”）/ "
                f"{where} does not look like a policy document: no numbered measures found"
            )
        chapters, measures = _from_outline(outline, nodes, convention)
    date = next((c for c in closing if _DATE_RE.match(c)), None)
    return ParsedDocument(
        doc_number=doc_number,
        title=title,
        chapters=chapters,
        measures=measures,
        preamble="\n".join(merge_broken(preamble)),
        closing=closing,
        date=date,
        source=name,
    )


def _from_outline(
    outline: Outline, nodes: list[Node], convention: Convention
) -> tuple[list[Chapter], list[Measure]]:
    roots_are_measures = any(n.parent is None for n in nodes)
    chapters: list[Chapter] = []
    chapter_of: dict[int, int] = {}
    if not roots_are_measures:
        for i, root in enumerate(outline.roots, start=1):
            chapter_of[id(root)] = i
            chapters.append(_build_chapter(i, root.paragraphs[0] if root.paragraphs else "",
                                           root.paragraphs[1:]))
    has_units = _has_units(outline)
    measures: list[Measure] = []
    for number, node in enumerate(nodes, start=1):
        root = node
        while root.parent is not None:
            root = root.parent
        chapter = chapter_of.get(id(root), 0)
        path = tuple(
            f"{n.marker.printed}{_heading(n)}" for n in _ancestry(node)
        )
        measure = _build_measure(number, chapter, node.full_text(), convention,
                                 numbering=node.marker.printed, path=path, expect_units=has_units)
        if not measure.lead_units and not measure.responsible_units:
            measure = _inherit_units(measure, node, convention)
        if node.marker.printed.startswith("["):
            measure = replace(
                measure, confidence="low",
                notes=(*measure.notes, "编号乱码，按顺序推定 / number garbled, guessed from order"),
            )
        measures.append(measure)
    return chapters, measures


def _inherit_units(measure: Measure, node: Node, convention: Convention) -> Measure:
    """Units a group or chapter heading names for all its items
    (``一、强化科技创新（区科技局牵头）``), for an item that names none itself."""
    parent = node.parent
    while parent is not None:
        heading = parent.paragraphs[0] if parent.paragraphs else ""
        _, ann = extract_annotations(heading, convention)
        if ann.lead or ann.responsible:
            notes = [n for n in measure.notes if not n.startswith("未找到单位")]
            notes.append(f"单位取自上级标题「{parent.marker.printed}{_heading(parent)}」 / "
                         "units from the heading above")
            return replace(measure, lead_units=ann.lead, responsible_units=ann.responsible,
                           confidence="medium", notes=tuple(notes))
        parent = parent.parent
    return measure


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def _ancestry(node: Node) -> list[Node]:
    out: list[Node] = []
    current: Node | None = node
    while current is not None:
        out.append(current)
        current = current.parent
    return out[::-1]


def _from_table(table: Table, convention: Convention) -> tuple[list[Chapter], list[Measure]]:
    chapters = [
        _build_chapter(i, re.sub(r"^\S+?[、）)]", "", g), []) for i, g in enumerate(table.groups, 1)
    ]
    group_number = {g: i for i, g in enumerate(table.groups, 1)}
    measures: list[Measure] = []
    for number, row in enumerate(table.rows, start=1):
        task = row.cells.get("task") or (row.text[0] if row.text else "")
        lead = units_mod.parse_annotation(row.cells["lead"], convention) if "lead" in row.cells \
            else None
        resp = units_mod.parse_annotation(row.cells["responsible"], convention) \
            if "responsible" in row.cells else None
        lead_units = (lead.lead + lead.responsible) if lead else []
        responsible = resp.lead + resp.responsible if resp and lead else (
            resp.responsible if resp else []
        )
        lead_from_resp = resp.lead if resp and not lead else []
        notes = ["取自附件表格 / from the annex table"]
        measures.append(
            Measure(
                number=number,
                chapter=group_number.get(row.group or "", 0),
                title=task,
                text="\n".join(row.text),
                lead_units=list(dict.fromkeys(lead_units + lead_from_resp)),
                responsible_units=[u for u in dict.fromkeys(responsible) if u not in lead_units],
                numbering=row.printed,
                path=tuple(p for p in (row.group, row.printed) if p),
                deadline=row.cells.get("deadline"),
                confidence="high" if (lead or resp) else "low",
                notes=tuple(notes),
            )
        )
    return chapters, measures


def merge_broken(paragraphs: list[str], heading_first: bool = False) -> list[str]:
    """Join paragraphs that a line break cut mid-sentence.

    A paragraph continues the previous one when that does not finish a clause and
    it does not start with a marker. With ``heading_first`` a first paragraph
    that is a bare heading (short, no punctuation) stays on its own.
    """
    merged: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if (
            merged
            and not ENDS_CLAUSE_RE.search(merged[-1])
            and not HEADING_RE.match(paragraph)
            and not (units_mod.starts_with_label(paragraph)
                     and not units_mod.starts_with_label(merged[-1]))
            and not (heading_first and len(merged) == 1 and _is_bare_heading(merged[0]))
        ):
            merged[-1] += paragraph
        else:
            merged.append(paragraph)
    return merged


def _is_bare_heading(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[，。；：、,;:]", text)


def _build_chapter(number: int, heading: str, intro: list[str]) -> Chapter:
    title, _, after = heading.partition("。")
    title = extract_annotations(title, Convention())[0]
    paragraphs = merge_broken(([after] if after else []) + intro)
    plain: list[str] = []
    targets: list[Target] = []
    for paragraph in paragraphs:
        m = _TARGET_NAME_RE.match(paragraph)
        if m:
            targets.append(Target(m.group(1).strip(), paragraph.removeprefix("——").strip()))
        else:
            plain.append(paragraph)
    return Chapter(
        number, title.strip(), "\n".join(plain), tuple(targets), "\n".join(paragraphs)
    )


def _build_measure(
    number: int,
    chapter: int,
    parts: list[str],
    convention: Convention,
    *,
    numbering: str = "",
    path: tuple[str, ...] = (),
    expect_units: bool = True,
) -> Measure:
    raw = "\n".join(merge_broken(parts, heading_first=True))
    text, ann = extract_annotations(raw, convention)
    text = re.sub(r"\n{2,}", "\n", text).strip()
    first = text.split("\n", 1)[0]
    if "。" in first:
        title = first.split("。", 1)[0]
    elif "\n" in text:  # a heading on its own line, without a full stop
        title = first
    else:
        title = first[:60]
    notes = list(ann.notes)
    confidence = "high"
    if any(n.startswith("按文件约定") for n in notes):
        confidence = "medium"
    if not ann.lead and not ann.responsible and expect_units:
        confidence = "low"
        notes.append("未找到单位 / no units found")
    if any("截断" in n for n in notes):
        confidence = "low"
    return Measure(
        number, chapter, title.strip(), text, ann.lead, ann.responsible,
        numbering=numbering, path=path, deadline=ann.deadline,
        confidence=confidence, notes=tuple(notes),
    )
