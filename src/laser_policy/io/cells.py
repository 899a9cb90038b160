"""Text cells that stay text in Excel, WPS and LibreOffice: the one escape for every export.

A spreadsheet evaluates a cell typed as ``=HYPERLINK(…)`` (and, in CSV, one starting
with ``+ - @``, a tab or a carriage return) as a formula. A firm name is data, so
every writer stores text as text:

- **xlsx**: :func:`inert_sheet` makes every text cell a string cell (openpyxl types a
  ``str`` starting with ``=`` as a formula and ``#N/A`` as an error); the value is kept
  as it is, so nothing needs undoing when it is read back. Cells that would be
  formulas if typed get Excel's quote prefix too, so that editing them keeps them text.
- **CSV** (OWASP's convention): :func:`escape_frame` puts a single quote before text
  cells starting with one of those characters (numbers are left alone: -12.5 stays a
  number); the CSV reader calls :func:`unescape_frame`, so export → import is lossless.
  A text that already starts with quotes before such a character gets one more, so
  the pair is exact for every text.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: characters that make a spreadsheet read a typed cell as a formula (OWASP, CSV injection)
TRIGGERS = "=+-@\t\r"
QUOTE = "'"
_NEEDS = re.compile(f"{QUOTE}*[{re.escape(TRIGGERS)}]")
_ESCAPED = re.compile(f"{QUOTE}+[{re.escape(TRIGGERS)}]")


def is_risky(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` typed into a cell as a formula.

    >>> [is_risky(s) for s in ("=1+1", "+86", "-cmd", "@SUM(A1)", "\\tx", "激光", "a=b")]
    [True, True, True, True, True, False, False]
    """
    return _NEEDS.match(text) is not None


def escape(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet evaluates.

    >>> escape('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> escape("+1"), escape("-cmd"), escape("@SUM(A1)"), escape("武汉激光（示例）")
    ("'+1", "'-cmd", "'@SUM(A1)", '武汉激光（示例）')
    >>> escape("'=x"), escape("'plain")
    ("''=x", "'plain")
    """
    return QUOTE + text if is_risky(text) else text


def unescape(text: str) -> str:
    """The text :func:`escape` was given (any other text unchanged).

    >>> all(unescape(escape(s)) == s for s in ("=1", "'=1", "''+2", "'x", "-", "", "甲"))
    True
    >>> unescape("'plain"), unescape("-12.5")
    ("'plain", '-12.5')
    """
    return text[1:] if _ESCAPED.match(text) else text


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with its text cells escaped for CSV; numbers, dates stay.

    >>> df = pd.DataFrame({"name": ["=1+1", "甲"], "amount_wan": [-12.5, 3.0]})
    >>> escape_frame(df).to_dict("list")
    {'name': ["'=1+1", '甲'], 'amount_wan': [-12.5, 3.0]}
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if not _texty(series):
            continue
        hit = _matches(series, _NEEDS)
        if hit.any():
            out.loc[hit, col] = QUOTE + series[hit].astype(str)
    return out


def unescape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (text cells as read from a CSV) with :func:`escape` undone.

    >>> unescape_frame(pd.DataFrame({"name": ["'=1+1", "'plain", "-3"]}))["name"].tolist()
    ['=1+1', "'plain", '-3']
    """
    out = frame
    for col in frame.columns:
        series = frame[col]
        if not _texty(series):
            continue
        hit = _matches(series, _ESCAPED)
        if hit.any():
            if out is frame:
                out = frame.copy()
            out.loc[hit, col] = series[hit].str.slice(1)
    return out


def _matches(series: pd.Series[Any], pattern: re.Pattern[str]) -> pd.Series[Any]:
    """Which text cells ``pattern`` matches at their start (Arrow's regex kernel for a
    column of text; a column mixing text and other values cell by cell)."""
    try:
        arrow = pa.array(series, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return series.map(lambda v: isinstance(v, str) and pattern.match(v) is not None)
    found = pc.fill_null(pc.match_substring_regex(arrow, "^" + pattern.pattern), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=series.index, dtype=bool)


def unescape_arrow(table: pa.Table) -> pa.Table:
    """``table`` (text cells as read from a CSV, as Arrow) with :func:`escape` undone, in
    Arrow's regex kernel (no Python object per cell).

    >>> t = pa.table({"name": ["'=1+1", "''=x", "'plain", "-3"]})
    >>> unescape_arrow(t)["name"].to_pylist()
    ['=1+1', "'=x", "'plain", '-3']
    """
    pattern = f"^{QUOTE}({QUOTE}*[{re.escape(TRIGGERS)}])"
    columns = [
        pc.replace_substring_regex(col, pattern, r"\1") if pa.types.is_string(col.type)
        else col
        for col in table.columns
    ]
    return pa.Table.from_arrays(columns, schema=table.schema)


def inert_sheet(sheet: Any) -> Any:
    """Make every text cell of an openpyxl worksheet a string cell; returns the sheet.

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> ws.append(['=HYPERLINK("http://x","y")', "#N/A", "-cmd", -12.5])
    >>> [c.data_type for c in ws[1]], [c.data_type for c in inert_sheet(ws)[1]]
    (['f', 'e', 's', 'n'], ['s', 's', 's', 'n'])
    >>> ws["A1"].value, ws["A1"].quotePrefix, ws["D1"].value
    ('=HYPERLINK("http://x","y")', True, -12.5)
    """
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str):
                cell.data_type = "s"
                if is_risky(value):
                    cell.quotePrefix = True
    return sheet


def _texty(series: pd.Series[Any]) -> bool:
    return bool(series.dtype == object or isinstance(series.dtype, pd.StringDtype))
