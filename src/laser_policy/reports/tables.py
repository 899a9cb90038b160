"""Tables of the Word report that fit the 156 mm 版心: columns sized by their content.

Each column's width is measured from its text (a Chinese character is one em, a
Latin letter or digit about half of one). Short columns (numbers, units, states,
clauses) keep their width and never wrap; long text columns (说明, 措施, units)
get :data:`MIN_TEXT_EM` characters, and the last of them (说明, the reason, the
responsible units) the rest of the width. The header row repeats on every page.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from laser_policy.reports.layout import SIZE_S4, TABLE_HEAD, TABLE_TEXT, TEXT_W

#: a column whose text is at most this many characters is never wrapped
SHORT_EM = 6.0
#: a long text column is never narrower than this many characters
MIN_TEXT_EM = 6.0
#: the last long column (the reason) gets at least this many, taken from the other long
#: columns (down to ``MIN_OTHER_EM``) when the short ones leave it less
MIN_LAST_EM = 8.0
MIN_OTHER_EM = 4.0
#: left + right cell margins, mm (1 mm each side)
PADDING_MM = 2.0
#: room for the measure being an estimate, in ems
SLACK_EM = 0.4
_EM_MM = SIZE_S4 * 25.4 / 72
_NUMBER = re.compile(r"^[-−+]?[\d,.]+%?$|^—$")


def text_em(text: str) -> float:
    """Width of ``text`` in ems: wide (CJK) characters 1, others 0.55.

    >>> [round(text_em(s), 2) for s in ("全省激光产业规模", "1,234.5", "家/项")]
    [8.0, 3.85, 2.55]
    """
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def _header_em(header: str) -> float:
    """A header may wrap before its unit: ``计划投资（万元）`` needs 4 ems, not 8."""
    return max(text_em(part) for part in re.split(r"(?=（)", header) if part)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]],
                  total_mm: float = TEXT_W) -> list[float]:
    """Widths in mm that add up to ``total_mm``; the last long column gets what is left.

    >>> w = column_widths(["指标", "状态", "说明"],
    ...                   [["全省激光产业规模", "已达标", "2025年实际357，未达到目标380。" * 3]])
    >>> [round(x) for x in w], round(sum(w))
    ([38, 16, 102], 156)
    """
    longest = [max([_header_em(h), *(text_em(r[i]) for r in rows)])
               for i, h in enumerate(header)]
    most = [(math.ceil(em * 10) / 10 + SLACK_EM) * _EM_MM + PADDING_MM for em in longest]
    least = [m if em <= SHORT_EM + 2 else (MIN_TEXT_EM + SLACK_EM) * _EM_MM + PADDING_MM
             for em, m in zip(longest, most, strict=True)]
    if sum(most) <= total_mm:  # all on one line: the spare width to the long columns
        spare = total_mm - sum(most)
        grow = [m if em > SHORT_EM else 0.0 for em, m in zip(longest, most, strict=True)]
        weights = grow if sum(grow) else most
        return [m + spare * w / sum(weights) for m, w in zip(most, weights, strict=True)]
    if sum(least) >= total_mm:  # too many columns: scale all
        return [lo * total_mm / sum(least) for lo in least]
    wide = max(i for i, em in enumerate(longest) if em > SHORT_EM)
    widths = list(least)
    widths[wide] += total_mm - sum(least)
    want = (MIN_LAST_EM + SLACK_EM) * _EM_MM + PADDING_MM
    floor = (MIN_OTHER_EM + SLACK_EM) * _EM_MM + PADDING_MM
    others = [i for i, em in enumerate(longest) if em > SHORT_EM + 2 and i != wide]
    for i in others:
        if widths[wide] >= want:
            break
        take = min(want - widths[wide], widths[i] - floor)
        if take > 0:
            widths[i] -= take
            widths[wide] += take
    return widths


def _numeric(values: Sequence[str]) -> bool:
    return bool(values) and all(_NUMBER.match(v.strip()) for v in values)


def add_table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Any:
    """A bordered table across the 版心: 黑体 header repeated on each page, 小四 仿宋 text."""
    table = doc.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(text)
    return lay_out(table)


def lay_out(table: Any) -> Any:
    """Size, style and align a table from its own text (its first row is the header)."""
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    header, rows = texts[0], texts[1:]
    widths = column_widths(header, rows)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_width(table, sum(widths))
    _cell_margins(table, PADDING_MM / 2)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    aligns = [WD_ALIGN_PARAGRAPH.RIGHT if _numeric(list(col))
              else WD_ALIGN_PARAGRAPH.CENTER if max(map(text_em, col), default=0) <= SHORT_EM
              else WD_ALIGN_PARAGRAPH.LEFT for col in columns]
    _repeat_header(table.rows[0])
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
        if (text_em(text) + SLACK_EM) * _EM_MM + PADDING_MM > width:
            _break_before_unit(cell, text)
    for i, row in enumerate(table.rows):
        _keep_together(row)
        for cell, align, width in zip(row.cells, aligns, widths, strict=True):
            cell.width = Mm(width)
            for p in cell.paragraphs:
                p.style = TABLE_HEAD if i == 0 else TABLE_TEXT
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else align
    return table


def _break_before_unit(cell: Any, text: str) -> None:
    """A header too long for its column wraps before its unit: 应付 / （万元）."""
    parts = [part for part in re.split(r"(?=（)", text) if part]
    if len(parts) < 2:
        return
    p = cell.paragraphs[0]
    for run in list(p.runs):
        run._element.getparent().remove(run._element)
    for k, part in enumerate(parts):
        run = p.add_run(part)
        if k < len(parts) - 1:
            run.add_break()


def lay_out_all(doc: Any) -> None:
    """Lay out every table not yet laid out (those another module added with ``add_table``
    of python-docx, e.g. a report section written elsewhere)."""
    for table in doc.tables:
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        if layout is None or layout.get(qn("w:type")) != "fixed":
            lay_out(table)


def _repeat_header(row: Any) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _keep_together(row: Any) -> None:
    """A row is not split across two pages (``w:cantSplit``, before ``w:tblHeader``)."""
    row._tr.get_or_add_trPr().insert_element_before(
        OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc",
        "w:hidden", "w:ins", "w:del", "w:trPrChange")


def _fixed_width(table: Any, width_mm: float) -> None:
    """``w:tblW`` in twentieths of a point and a fixed layout (Word and LibreOffice obey it)."""
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(width_mm / 25.4 * 1440)))


def _cell_margins(table: Any, side_mm: float) -> None:
    """Left and right cell margins of every cell (``w:tblCellMar``)."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(round(side_mm / 25.4 * 1440)))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                 "w:tblPrChange")
