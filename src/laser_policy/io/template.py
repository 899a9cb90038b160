"""An empty Excel workbook to fill in: one sheet per table, Chinese headers, drop-downs.

The first sheet, ``说明``, explains the package. Each table sheet is named after the
table in English (so ``read_package`` reads it back), has the Chinese headers in a
frozen first row, the English column name and the rule as a cell note, and Excel
data validation where Excel supports it: Hubei's divisions, 是/否, enumerations,
segment codes (lists on a hidden ``_lists`` sheet), non-negative numbers, the year
range and 18-character credit codes.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from laser_policy.contracts.cities import HUBEI_DIVISIONS
from laser_policy.contracts.segments import known_segments
from laser_policy.contracts.tables import TABLES, YEAR_MAX, YEAR_MIN, Column, Table
from laser_policy.contracts.values import FALSE_WORDS, TRUE_WORDS

#: rows covered by the data validation rules (Excel's row limit is 1,048,576)
VALIDATED_ROWS = 100_000
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

GUIDE = (
    "湖北省激光产业政策平台 数据填报模板（鄂政办发〔2024〕35号）",
    "",
    "1. 每个工作表是一张数据表，工作表名称（英文）不要修改；不需要的表可以留空或删除。",
    "2. 第1行是中文表头，请勿修改；把鼠标停在表头上可以看到英文列名和填写要求。",
    "3. 从第2行起每行填一条记录。金额单位均为万元（50亿元填 500000），",
    "   年度填四位年份（如2025）。",
    f"4. 年度范围为{YEAR_MIN}至{YEAR_MAX}；日期写成 YYYY-MM-DD（如 2024-07-22）。",
    f"5. 是/否类填“{TRUE_WORDS[0]}”或“{FALSE_WORDS[0]}”。",
    "   市州填湖北省17个市州之一（可写简称，如“武汉”）。",
    "6. 统一社会信用代码18位，大写，校验位须正确（GB 32100-2015）；",
    "   该列已设为文本格式，以免变成科学计数法。",
    "7. 产业链环节填代码（如 LSR-FIBER）或名称（如 光纤激光器），多个用英文分号;分隔。",
    "8. 可以增加自己的列，导入时会保留但不使用。",
    "9. 校验：laser-policy validate 本文件.xlsx",
    "   （一次列出全部问题；导入要么全部成功，要么什么都不写入）。",
    "",
    "Template of a laser-policy data package: one sheet per table (keep the English sheet names),",
    "Chinese headers in row 1 (hover for the English column name), money in 万元, years as 2025,",
    "dates YYYY-MM-DD, booleans 是/否. Check it with: laser-policy validate FILE.xlsx",
    "",
    "数据表 / tables:",
)


def write_template(out: Path) -> Path:
    """Write the template workbook to ``out`` and return the path."""
    book = Workbook()
    guide = book.create_sheet("说明", 0)
    book.remove(book.worksheets[1])
    for i, line in enumerate(GUIDE, start=1):
        guide.cell(row=i, column=1, value=line)
    guide.cell(row=1, column=1).font = Font(bold=True, size=14)
    for j, spec in enumerate(TABLES.values(), start=len(GUIDE) + 1):
        guide.cell(row=j, column=1, value=f"  {spec.name}（{spec.zh}）{spec.note_zh}")
    guide.column_dimensions["A"].width = 110
    lists = _lists_sheet(book)
    for spec in TABLES.values():
        _table_sheet(book.create_sheet(spec.name), spec, lists)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _lists_sheet(book: Workbook) -> dict[str, str]:
    """A hidden sheet holding the drop-down lists; returns list name -> range formula."""
    sheet = book.create_sheet("_lists")
    sheet.sheet_state = "hidden"
    lists: dict[str, list[str]] = {
        "city": list(HUBEI_DIVISIONS),
        "bool": [TRUE_WORDS[0], FALSE_WORDS[0]],
        "segment": list(known_segments()),
    }
    for spec in TABLES.values():
        for col in spec.columns:
            if col.choices:
                lists[f"{spec.name}.{col.name}"] = [
                    spellings[0] if spellings else canonical
                    for canonical, spellings in col.choices
                ]
    ranges: dict[str, str] = {}
    for j, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        sheet.cell(row=1, column=j, value=name)
        for i, value in enumerate(values, start=2):
            sheet.cell(row=i, column=j, value=value)
        ranges[name] = f"{quote_sheetname('_lists')}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _table_sheet(sheet: Worksheet, spec: Table, lists: dict[str, str]) -> None:
    for j, col in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=j, value=col.zh)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        note = f"{col.name}{'（必填 required）' if col.required else ''}\n{col.note_zh}".strip()
        cell.comment = Comment(note, "laser-policy", width=260, height=110)
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = max(14, 2 * len(col.zh) + 4)
        area = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
        validation = _validation(spec, col, lists)
        if validation is not None:
            validation.error = f"{col.zh}：{col.note_zh or _KIND_HINT.get(col.kind, '')}"
            validation.errorTitle = "取值不符合要求"
            validation.prompt = col.note_zh or _KIND_HINT.get(col.kind, "")
            validation.showErrorMessage = True
            validation.add(area)
            sheet.add_data_validation(validation)
        if col.kind in ("uscc", "str", "segments", "segment", "city"):
            sheet.column_dimensions[letter].number_format = "@"
        elif col.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"


_KIND_HINT = {
    "float": "不小于0的数字（万元）",
    "int": "整数",
    "bool": "是/否",
    "date": "YYYY-MM-DD",
    "uscc": "18位统一社会信用代码",
    "city": "湖北省市州",
}


def _validation(
    spec: Table, col: Column, lists: dict[str, str],
) -> DataValidation | None:
    key = f"{spec.name}.{col.name}"
    if key in lists:
        return DataValidation(type="list", formula1=lists[key], allow_blank=True)
    if col.kind in ("city", "bool", "segment"):
        # a list, but other values only warn: short forms and non-Hubei cities are accepted
        return DataValidation(type="list", formula1=lists[col.kind], allow_blank=True,
                              errorStyle="warning")
    if col.kind == "float" and col.non_negative:
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                              allow_blank=True)
    if col.kind == "int" and col.name == "year":
        return DataValidation(type="whole", operator="between", formula1=str(YEAR_MIN),
                              formula2=str(YEAR_MAX), allow_blank=True)
    if col.kind == "int" and col.non_negative:
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                              allow_blank=True)
    if col.kind == "uscc":
        return DataValidation(type="textLength", operator="equal", formula1="18",
                              allow_blank=True)
    return None
