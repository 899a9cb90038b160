"""Firm names that a spreadsheet would run as formulas (issue 17), for the export tests.

``poison`` gives the first enterprises of a CSV package these names (the rest keep
their synthetic ``（示例）`` names); every export must keep them inert and exact.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

NAMES = ('=HYPERLINK("http://x","y")', "+1", "-cmd", "@SUM(A1)", "'=already quoted")


def poison(package: Path) -> dict[str, str]:
    """Rename the first enterprises of ``package``/enterprises.csv; returns uscc -> name."""
    path = package / "enterprises.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    renamed = {}
    for row, name in zip(rows, NAMES, strict=False):
        row["name"] = "'" + name if name.startswith("'") else name  # the file's own escape
        renamed[row["uscc"]] = name
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return renamed


def formulas(xlsx: Path | bytes) -> list[str]:
    """Every cell of the workbook that Excel would evaluate (as ``sheet!cell``)."""
    import io

    book = load_workbook(io.BytesIO(xlsx) if isinstance(xlsx, bytes) else xlsx)
    return [f"{ws.title}!{c.coordinate}" for ws in book.worksheets
            for row in ws.iter_rows() for c in row if c.data_type in ("f", "e")]


def text_cells(xlsx: Path | bytes) -> set[str]:
    """Every text value in the workbook."""
    import io

    book = load_workbook(io.BytesIO(xlsx) if isinstance(xlsx, bytes) else xlsx)
    return {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)}


def csv_cells(text: str) -> list[str]:
    """Every cell of a CSV text."""
    return [cell for row in csv.reader(text.splitlines()) for cell in row]


def escaped(name: str) -> str:
    """How a name must appear in a CSV export (OWASP: a quote before = + - @ and quotes)."""
    return "'" + name
