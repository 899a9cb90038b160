"""Read a workbook with one sheet per table (sheet named in English or Chinese).

Sheets named ``说明``/``README`` or starting with ``_`` (notes, lists for drop-downs)
are skipped; any other sheet must name a table, or it is a problem naming the sheet
and the names expected. Cells keep their Excel types (numbers, dates, booleans);
the validators read both those and text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from laser_policy.contracts.messages import problem
from laser_policy.contracts.tables import TABLES
from laser_policy.errors import Problem
from laser_policy.io.limits import BudgetExceededError, ReadLimits, copy_within
from laser_policy.io.readers import RawTable, too_large, too_many_rows

#: sheets that hold notes, not data
NOTE_SHEETS = ("说明", "README", "readme", "Readme", "填表说明")


def sheet_table(sheet: str) -> str | None:
    """The table a sheet name stands for, or None.

    >>> sheet_table("企业名录"), sheet_table("Financials "), sheet_table("Sheet1")
    ('enterprises', 'financials', None)
    """
    key = sheet.strip()
    for spec in TABLES.values():
        if key.casefold() == spec.name.casefold() or key == spec.zh:
            return spec.name
    return None


def expected_sheet_names() -> str:
    return "、".join(f"{t.name}（{t.zh}）" for t in TABLES.values())


def expected_file_names() -> str:
    """How the files of a package folder are named (for a package where none is)."""
    return "、".join(f"{t.name}.csv（{t.zh}.csv）" for t in TABLES.values()) + "，或 .parquet"


#: names listed in a message before the rest are counted
MAX_LISTED = 20


def listing(names: list[str]) -> str:
    """``a、b、c`` (the first ``MAX_LISTED``, then how many more)."""
    shown = "、".join(names[:MAX_LISTED])
    return shown + (f" 等{len(names)}个 / {len(names)} in all" if len(names) > MAX_LISTED else "")


#: data rows an Excel sheet can hold (1,048,576 rows with the header)
EXCEL_MAX_ROWS = 1_048_575


def unpacked_too_large(path: Path, limits: ReadLimits) -> list[Problem]:
    """Decompress every part of the workbook in chunks against ``limits.max_xlsx_bytes``
    (sizes declared in the zip are not trusted); the problem when over, before any parsing."""
    budget = limits.max_xlsx_bytes
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                with zf.open(info) as part:
                    budget -= copy_within(part, None, budget)
    except BudgetExceededError:
        return [too_large(path.name, limits.max_xlsx_bytes, "解压后 / unpacked",
                          "max_xlsx_bytes")]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return [problem(path.name, "file.unreadable", detail=str(exc).strip())]
    return []


def read_workbook(
    path: Path, wanted: list[str], limits: ReadLimits | None = None,
) -> tuple[list[RawTable], list[Problem]]:
    """The wanted tables of the workbook and the problems of its sheets."""
    limits = limits or ReadLimits()
    if big := unpacked_too_large(path, limits):
        return [], big
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        return [], [problem(path.name, "file.unreadable", detail=str(exc).strip())]
    tables: list[RawTable] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    try:
        for sheet in book.worksheets:
            title = sheet.title
            if title in NOTE_SHEETS or title.startswith("_"):
                continue
            name = sheet_table(title)
            label = f"{path.name}!{title}"
            if name is None:
                problems.append(problem(label, "sheet.unknown", sheet=title,
                                        expected=expected_sheet_names()))
                continue
            if name in seen:
                problems.append(problem(label, "file.ambiguous",
                                        files=f"{seen[name]}、{title}"))
                continue
            seen[name] = title
            if name in wanted:
                cap = min(limits.max_rows, EXCEL_MAX_ROWS)
                frame = _frame(sheet.iter_rows(values_only=True), cap)
                if frame is None:
                    problems.append(too_many_rows(label, cap))
                else:
                    tables.append(RawTable(name, label, frame))
        if not seen and not problems:
            titles = [sheet.title for sheet in book.worksheets]
            problems.append(problem(path.name, "package.no_table", seen=listing(titles),
                                    expected=expected_sheet_names()))
    finally:
        book.close()
    return tables, problems


def _frame(rows: Any, max_rows: int) -> pd.DataFrame | None:
    """Header row + data rows as an object frame; index = spreadsheet row - 2. None when
    more than ``max_rows`` rows hold a value (reading stops there)."""
    header: tuple[Any, ...] | None = None
    data: list[tuple[Any, ...]] = []
    for row in rows:
        if header is None:
            header = row
            continue
        data.append(row)
        if len(data) > max_rows:
            while data and all(v is None or (isinstance(v, str) and not v.strip())
                               for v in data[-1]):
                data.pop()
            if len(data) > max_rows:
                return None
    if header is None:
        return pd.DataFrame()
    width = len(header)
    while width and (header[width - 1] is None or str(header[width - 1]).strip() == ""):
        width -= 1
    names = [str(h).strip() if h is not None else f"_col{i + 1}"
             for i, h in enumerate(header[:width])]
    while data and all(v is None or (isinstance(v, str) and not v.strip()) for v in data[-1]):
        data.pop()
    records = [tuple(r[:width]) + (None,) * (width - len(r)) for r in data]
    return pd.DataFrame.from_records(records, columns=names, coerce_float=False).astype(object)


def workbook_headers(path: Path) -> list[tuple[str, str, list[str]]]:
    """(table, ``book.xlsx!sheet``, header row) of each sheet naming a table; nothing when
    the workbook cannot be read (the validator says why)."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        return []
    out: list[tuple[str, str, list[str]]] = []
    try:
        for sheet in book.worksheets:
            name = sheet_table(sheet.title)
            if name is None:
                continue
            first = next(sheet.iter_rows(values_only=True, max_row=1), ())
            out.append((name, f"{path.name}!{sheet.title}",
                        [str(h).strip() for h in first if h is not None and str(h).strip()]))
    finally:
        book.close()
    return out
