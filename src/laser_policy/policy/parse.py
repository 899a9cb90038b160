"""Parsing a policy document into its parts: number, title, chapters, measures, units.

The genre: a title, a document number (``鄂政办发〔2024〕35号``), an addressee and a
preamble, then chapters (``一、``) holding numbered measures (``（一）``, or
``1.``/``（1）``/``第一条``), each measure ending with the units in charge:
``（牵头单位：…；责任单位：…）``. Numbering levels are found from the document
itself: the most senior marker style is the chapter, the next one the measure,
deeper ones stay inside the measure's text. Measures are numbered continuously
across chapters, in document order.

>>> doc = parse_document('''关于做好示例工作的意见
... 一、主要任务
... （一）加强协同。各地要协同推进。（牵头单位：省经信厅；责任单位：各市、州人民政府）''')
>>> doc.measures[0].lead_units, doc.measures[0].responsible_units
(['省经信厅'], ['各市、州人民政府'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laser_policy.errors import DocumentError
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
    number: int
    chapter: int
    title: str
    text: str
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "chapter": self.chapter,
            "title": self.title,
            "lead_units": list(self.lead_units),
            "responsible_units": list(self.responsible_units),
            "text": self.text,
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


# --------------------------------------------------------------------------- numerals

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}


def cn_to_int(numeral: str) -> int:
    """A Chinese numeral (up to hundreds) or Arabic digits as an int.

    >>> cn_to_int("二十三"), cn_to_int("十七"), cn_to_int("一百零五"), cn_to_int("12")
    (23, 17, 105, 12)
    """
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + digit


def int_to_cn(number: int) -> str:
    """An int (1–999) as a Chinese numeral, the way documents write it.

    >>> int_to_cn(7), int_to_cn(10), int_to_cn(17), int_to_cn(23), int_to_cn(105)
    ('七', '十', '十七', '二十三', '一百零五')
    """
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = f"{digits[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    if ones:
        out += digits[ones]
    return out or "零"


# --------------------------------------------------------------------------- markers

_CN = "一二三四五六七八九十百零〇两"
#: marker styles, most senior first: (name, rank, pattern); the number is group 1
_STYLES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("part", 0, re.compile(rf"^第([{_CN}\d]+)[章部分]+\s*")),
    ("cn", 1, re.compile(rf"^([{_CN}]+)[、．.]\s*")),
    ("paren_cn", 2, re.compile(rf"^[（(]([{_CN}]+)[)）]\s*")),
    ("article", 2, re.compile(rf"^第([{_CN}\d]+)条\s*")),
    ("dot", 3, re.compile(r"^(\d{1,3})[.．、](?!\d)\s*")),
    ("paren_num", 4, re.compile(r"^[（(](\d{1,3})[)）]\s*")),
)
_RANK = {name: rank for name, rank, _ in _STYLES}


@dataclass(frozen=True)
class _Marker:
    style: str
    number: int
    rest: str


def _marker(paragraph: str) -> _Marker | None:
    if not HEADING_RE.match(paragraph):
        return None
    for name, _rank, pattern in _STYLES:
        m = pattern.match(paragraph)
        if m:
            try:
                number = cn_to_int(m.group(1))
            except ValueError:
                continue
            return _Marker(name, number, paragraph[m.end() :])
    return None


# --------------------------------------------------------------------------- units

LEAD_LABELS: tuple[str, ...] = ("牵头单位", "牵头部门", "主办单位", "主责单位", "牵头")
RESPONSIBLE_LABELS: tuple[str, ...] = (
    "责任单位", "责任部门", "配合单位", "配合部门", "协同单位", "协同部门", "协办单位",
    "参与单位", "参加单位", "成员单位",
)
_LABELS = "|".join(sorted(LEAD_LABELS + RESPONSIBLE_LABELS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"({_LABELS})\s*[:：]")
_OPEN, _CLOSE = "（(〔【[［", "）)〕】]］"
_ANNOTATION_RE = re.compile(
    rf"[{re.escape(_OPEN)}]\s*(?=(?:{_LABELS})\s*[:：])([^{re.escape(_OPEN + _CLOSE)}]*)"
    rf"[{re.escape(_CLOSE)}]"
)
_ORGAN = r"(?:厅|局|委|办|府|院|会|行|部|团|中心|室|署|处|所|公司|集团)"
#: the prose form: （省科技厅牵头，省发改委、省教育厅按职责分工负责）
_PROSE_ANNOTATION_RE = re.compile(
    rf"[（(]([^（）()。]{{2,80}}?{_ORGAN})牵头(?:[，,；;]\s*([^（）()。]{{2,300}}?)"
    r"(?:按职责分工负责|按职责分工落实|等按职责分工负责|配合|参与|共同负责|负责))?[)）]"
)
_UNIT_SEPARATORS = "、，,；;及"
_NON_ASCII_SPACE_RE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
#: a name piece that is only an administrative level (各市、州人民政府 is one unit)
_LEVEL_ONLY_RE = re.compile(
    r"^(?:各|有关|相关|全省|省|各有关)?(?:市|州|县|区|市州|县市区|县区|乡|镇|乡镇|街道)$"
)


def split_units(text: str) -> list[str]:
    """Split a list of units on 、 ， , ； 及, keeping names such as 各市、州人民政府 whole.

    >>> split_units("省商务厅，有关市、州人民政府")
    ['省商务厅', '有关市、州人民政府']
    >>> split_units("省发改委及市、州、县人民政府等")
    ['省发改委', '市、州、县人民政府']
    """
    pieces: list[tuple[str, str]] = []  # (separator before, piece)
    depth, current, sep_before = 0, "", ""
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and char in _UNIT_SEPARATORS:
            pieces.append((sep_before, current))
            current, sep_before = "", char
        else:
            current += char
    pieces.append((sep_before, current))
    units: list[str] = []
    for sep, raw in pieces:
        piece = raw.strip().strip("。.").strip()
        if not piece:
            continue
        last = units[-1].rsplit("、", 1)[-1] if units else ""
        if units and sep == "、" and _LEVEL_ONLY_RE.match(last):
            units[-1] = f"{units[-1]}、{piece}"
        else:
            units.append(piece)
    cleaned = [re.sub(r"等$", "", _NON_ASCII_SPACE_RE.sub("", u)) for u in units]
    return list(dict.fromkeys(u for u in cleaned if u))


def extract_units(text: str) -> tuple[str, list[str], list[str]]:
    """Remove the unit annotations from a measure's text.

    Returns the text without them, the lead units and the responsible units
    (配合/协同/参与… count as responsible).
    """
    lead: list[str] = []
    responsible: list[str] = []

    def labelled(m: re.Match[str]) -> str:
        body = m.group(1)
        labels = list(_LABEL_RE.finditer(body))
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
            names = split_units(body[label.end() : end].strip(" ；;，,"))
            (lead if label.group(1) in LEAD_LABELS else responsible).extend(names)
        return ""

    def prose(m: re.Match[str]) -> str:
        lead.extend(split_units(m.group(1)))
        if m.group(2):
            responsible.extend(split_units(m.group(2)))
        return ""

    stripped = _ANNOTATION_RE.sub(labelled, text)
    stripped = _PROSE_ANNOTATION_RE.sub(prose, stripped)
    lead = list(dict.fromkeys(lead))
    responsible = [u for u in dict.fromkeys(responsible) if u not in lead]
    return stripped.strip(), lead, responsible


# --------------------------------------------------------------------------- parsing

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


def _find_doc_number(paragraphs: list[str]) -> str | None:
    for paragraph in paragraphs:
        m = DOC_NUMBER_RE.search(paragraph)
        if m:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return None


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


def _choose_levels(markers: list[_Marker | None]) -> tuple[str | None, str]:
    """The chapter style (or None) and the measure style used by this document."""
    first_number: dict[str, int] = {}
    for marker in markers:
        if marker is not None and marker.style not in first_number:
            first_number[marker.style] = marker.number
    present = sorted(
        (s for s, n in first_number.items() if n == 1), key=lambda s: (_RANK[s], s != "paren_cn")
    )
    if not present:
        raise DocumentError("未找到编号条目 / no numbered items")
    if len(present) == 1:
        return None, present[0]
    return present[0], present[1]


def _strip_closing(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    end = len(paragraphs)
    while end > 0:
        p = paragraphs[end - 1]
        if _DATE_RE.match(p) or _CLOSING_NOTE_RE.match(p) or _SIGNATURE_RE.match(p):
            end -= 1
        else:
            break
    return paragraphs[:end], paragraphs[end:]


def parse_paragraphs(paragraphs: list[str], name: str | None = None) -> ParsedDocument:
    """Parse clean paragraphs (see ``laser_policy.policy.text``) into a document."""
    where = name or "<输入>"
    body, closing = _strip_closing(paragraphs)
    markers = [_marker(p) for p in body]
    try:
        chapter_style, measure_style = _choose_levels(markers)
    except DocumentError:
        raise DocumentError(
            f"{where} 不像政策文件：未找到编号的措施条目（如“（一）”“1.”“第一条”）/ "
            f"{where} does not look like a policy document: no numbered measures found"
        ) from None
    top = {measure_style} | ({chapter_style} if chapter_style else set())
    first = next(i for i, m in enumerate(markers) if m is not None and m.style in top)
    title, preamble = _split_head(body[:first])
    doc_number = _find_doc_number(body[:first]) or _find_doc_number(closing)

    chapters: list[Chapter] = []
    chapter_intro: list[str] = []
    chapter_head: tuple[int, str] | None = None
    measures: list[Measure] = []
    measure_parts: list[str] | None = None

    def close_measure() -> None:
        nonlocal measure_parts
        if measure_parts is not None:
            chapter = len(chapters) + (1 if chapter_head is not None else 0)
            measures.append(_build_measure(len(measures) + 1, chapter, measure_parts))
        measure_parts = None

    def close_chapter() -> None:
        nonlocal chapter_head, chapter_intro
        if chapter_head is not None:
            chapters.append(_build_chapter(len(chapters) + 1, chapter_head[1], chapter_intro))
        chapter_head, chapter_intro = None, []

    for paragraph, marker in zip(body[first:], markers[first:], strict=True):
        if marker is not None and marker.style == chapter_style:
            close_measure()
            close_chapter()
            chapter_head = (marker.number, marker.rest)
        elif marker is not None and marker.style == measure_style:
            close_measure()
            measure_parts = [marker.rest]
        elif measure_parts is not None:
            measure_parts.append(paragraph)
        elif chapter_head is not None:
            chapter_intro.append(paragraph)
        else:
            preamble.append(paragraph)
    close_measure()
    close_chapter()
    if not chapter_style:
        measures = [_with_chapter(m, 0) for m in measures]
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


def _with_chapter(measure: Measure, chapter: int) -> Measure:
    return Measure(
        measure.number, chapter, measure.title, measure.text,
        measure.lead_units, measure.responsible_units,
    )


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


def _build_measure(number: int, chapter: int, parts: list[str]) -> Measure:
    raw = "\n".join(merge_broken(parts, heading_first=True))
    text, lead, responsible = extract_units(raw)
    text = re.sub(r"\n{2,}", "\n", text).strip()
    first = text.split("\n", 1)[0]
    if "。" in first:
        title = first.split("。", 1)[0]
    elif "\n" in text:  # a heading on its own line, without a full stop
        title = first
    else:
        title = first[:60]
    return Measure(number, chapter, title.strip(), text, lead, responsible)
