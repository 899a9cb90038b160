"""The approved list as an Excel workbook a finance bureau can pay from.

One sheet per payer — 省级 first, then each city in the official order — listing
each approved entitlement with the part THAT payer bears, Chinese headers, money
in 万元 to two decimals, and a 合计 (total) row. The file appears only when
complete (written beside the target under a temporary name, then renamed).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from laser_policy.errors import LedgerError
from laser_policy.io.cells import inert_sheet
from laser_policy.ledger.budget import ledger_frame, sort_payers
from laser_policy.ledger.records import INCENTIVE_ZH, ROLE_ZH, payer_shares

#: (column in the frame, Chinese header, width)
SHEET_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("seq", "序号", 6),
    ("id", "台账编号", 10),
    ("uscc", "统一社会信用代码", 22),
    ("name", "企业名称", 36),
    ("incentive_zh", "奖补项目", 16),
    ("role_zh", "对象", 10),
    ("ref", "关联编号", 14),
    ("year", "年度", 8),
    ("clause", "政策条款", 10),
    ("payer_wan", "本级承担金额（万元）", 20),
    ("amount_wan", "奖补总额（万元）", 18),
    ("reviewed_by", "审核人", 12),
    ("approved_by", "批准人", 12),
    ("approved_at", "批准时间", 20),
    ("explanation", "计算说明", 80),
)
MONEY_COLUMNS = ("payer_wan", "amount_wan")
TOTAL_ZH = "合计"


def approved_by_payer(url: str | None) -> dict[str, pd.DataFrame]:
    """The approved entitlements, one frame per payer (its part in ``payer_wan``)."""
    frame = ledger_frame(url, ("approved",))
    if frame.empty:
        return {}
    long = payer_shares(frame)
    order = sort_payers(long[["payer"]].drop_duplicates().assign(year=0))["payer"]
    return {p: long[long["payer"] == p].sort_values("id").reset_index(drop=True) for p in order}


def _cell(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.strftime("%Y-%m-%d %H:%M")
    return value.item() if hasattr(value, "item") else value


def _sheet(wb: Workbook, payer: str, rows: pd.DataFrame) -> None:
    ws = wb.create_sheet(title=payer[:31])
    ws.append([zh for _, zh, _ in SHEET_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    rows = rows.assign(seq=range(1, len(rows) + 1),
                       incentive_zh=rows["incentive"].map(INCENTIVE_ZH).fillna(rows["incentive"]),
                       role_zh=rows["role"].map(ROLE_ZH).fillna(rows["role"]))
    for rec in rows.to_dict("records"):
        ws.append([_cell(rec[c]) for c, _, _ in SHEET_COLUMNS])
    total: list[Any] = [None] * len(SHEET_COLUMNS)
    total[0] = TOTAL_ZH
    for i, (c, _, _) in enumerate(SHEET_COLUMNS):
        if c in MONEY_COLUMNS:
            total[i] = round(float(rows[c].sum()), 2)
    ws.append(total)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    letters = {c: ws.cell(row=1, column=i + 1).column_letter
               for i, (c, _, _) in enumerate(SHEET_COLUMNS)}
    for c, _, width in SHEET_COLUMNS:
        ws.column_dimensions[letters[c]].width = width
    for c in MONEY_COLUMNS:
        for (cell,) in ws.iter_rows(min_row=2, min_col=ws[letters[c] + "1"].column,
                                    max_col=ws[letters[c] + "1"].column):
            cell.number_format = "#,##0.00"
    ws.freeze_panes = "A2"
    inert_sheet(ws)  # a firm name is text, never a formula


def export_approved(url: str | None, out: str | Path) -> dict[str, tuple[int, float]]:
    """Write the approved list to ``out`` (.xlsx); returns payer -> (rows, total 万元)."""
    target = Path(out)
    sheets = approved_by_payer(url)
    if not sheets:
        raise LedgerError("台账中没有已批准待支付的应享奖补 / no approved entitlements to export")
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    for payer, rows in sheets.items():
        _sheet(wb, payer, rows)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return {p: (len(r), round(float(r["payer_wan"].sum()), 2)) for p, r in sheets.items()}
