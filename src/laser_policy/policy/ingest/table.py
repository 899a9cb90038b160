"""Measures given as rows of an annex table (序号 / 任务 / 牵头单位 / 责任单位 / 完成时限).

A table comes either with its cells on one line (separated by tabs, ``|`` or two
spaces or more) or, when a copy flattened it, one cell per line. The header is
found by its first column (序号) and the columns after it; a row starts with its
number, and its cells are read from the left (a copy may lose an empty or repeated
cell at the end). Group headings between rows (一、…方面（共5项）) give the rows' path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from laser_policy.policy.ingest.outline import marker

_SEQ_RE = re.compile(r"^(?:序号|编号|序)$")
_CELL_SPLIT_RE = re.compile(r"\t+|\s*[|｜]\s*|\s{2,}")
#: column roles by header wording
COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lead", re.compile(r"牵头(?:单位|部门)?|主责(?:单位|部门)")),
    ("responsible", re.compile(
        r"(?:责任|配合|协同|参与|负责|指导|实施|承办)(?:单位|部门|处室)|责任主体|部门分工|责任分工"
    )),
    ("deadline", re.compile(r"完成时限|时间节点|完成时间|时限|进度安排")),
    ("task", re.compile(r"任务|举措|措施|事项|名称|工作|内容|项目")),
)


@dataclass
class Row:
    number: int
    printed: str
    group: str | None
    cells: dict[str, str] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)


@dataclass
class Table:
    start: int  # index of the header paragraph
    columns: list[str]
    roles: list[str | None]
    rows: list[Row]
    groups: list[str]


def _role(name: str) -> str | None:
    for role, pattern in COLUMN_ROLES:
        if pattern.search(name):
            return role
    return None


def _header(paragraphs: list[str], i: int) -> tuple[list[str], int] | None:
    """The column names of a header starting at paragraph ``i`` and the index after it."""
    first = paragraphs[i].strip()
    cells = [c for c in _CELL_SPLIT_RE.split(first) if c]
    if len(cells) >= 3 and _SEQ_RE.match(cells[0]):
        return cells, i + 1
    if not _SEQ_RE.match(first):
        return None
    names = [first]
    j = i + 1
    while j < len(paragraphs) and len(names) < 8:
        cell = paragraphs[j].replace(" ", "")
        if len(cell) > 10 or re.search(r"[。，；：]", cell) or cell.isdigit() or marker(cell):
            break
        names.append(cell)
        j += 1
    return (names, j) if len(names) >= 3 else None


def find_table(paragraphs: list[str]) -> Table | None:
    """The first annex table with a unit column, if the document has one."""
    for i in range(len(paragraphs)):
        header = _header(paragraphs, i)
        if header is None:
            continue
        columns, j = header
        roles = [_role(c) for c in columns]
        roles[0] = None
        if not {"lead", "responsible"} & set(roles):
            continue
        return _read_rows(paragraphs, i, j, columns, roles)
    return None


def _read_rows(
    paragraphs: list[str], start: int, j: int, columns: list[str], roles: list[str | None]
) -> Table:
    rows: list[Row] = []
    groups: list[str] = []
    group: str | None = None
    current: Row | None = None
    inline = False
    for paragraph in paragraphs[j:]:
        cells = [c for c in _CELL_SPLIT_RE.split(paragraph.strip()) if c]
        if len(cells) >= 3 and cells[0].isdigit():
            inline = True
            current = _new_row(int(cells[0]), group, rows)
            for role, cell in zip(roles[1:], cells[1:], strict=False):
                if role:
                    current.cells.setdefault(role, cell)
                current.text.append(cell)
            continue
        if paragraph.isdigit() and (not rows or int(paragraph) > rows[-1].number):
            current = _new_row(int(paragraph), group, rows)
            continue
        m = marker(paragraph)
        if m is not None and m.style in ("cn", "paren_cn") and (
            current is None or inline or len(current.text) >= len(columns) - 2
        ):
            group = paragraph
            groups.append(paragraph)
            current = None
            continue
        if current is None or inline:
            if rows:
                break
            continue
        k = len(current.text) + 1
        if k < len(roles):
            role = roles[k]
            if role:
                current.cells.setdefault(role, paragraph)
        current.text.append(paragraph)
    return Table(start, columns, roles, rows, groups)


def _new_row(number: int, group: str | None, rows: list[Row]) -> Row:
    row = Row(number, str(number), group)
    rows.append(row)
    return row
