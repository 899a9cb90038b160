"""Lists to Excel (openpyxl): Chinese headers, frozen header row, sensible widths."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Response
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from laser_policy.io.cells import inert_sheet

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(body: bytes, filename: str) -> Response:
    """A workbook as a download."""
    return Response(
        body,
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def to_xlsx(
    sheet: str, columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]], note: str = ""
) -> bytes:
    """A workbook with one sheet; ``columns`` are (key, header) pairs."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has an active sheet
    ws.title = sheet[:31]
    first = 1
    if note:
        ws.cell(row=1, column=1, value=note).font = Font(italic=True, color="AA3333")
        first = 2
    fill = PatternFill("solid", fgColor="DCE6F1")
    for j, (_key, header) in enumerate(columns, start=1):
        cell = ws.cell(row=first, column=j, value=header)
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[get_column_letter(j)].width = max(12, len(header) * 2 + 2)
    for i, row in enumerate(rows, start=first + 1):
        for j, (key, _header) in enumerate(columns, start=1):
            value = row.get(key)
            ws.cell(row=i, column=j, value=", ".join(value) if isinstance(value, list) else value)
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    inert_sheet(ws)  # a firm name is text, never a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
