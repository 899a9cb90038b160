"""The texts of every data-validation rule, Chinese and English, keyed by rule id.

A rule id names the rule a value broke (``uscc.check_character``, ``value.city``…);
it is stable and shown in brackets after each message so a clerk can look it up.
Templates use ``str.format`` fields filled by ``problem()``.
"""

from __future__ import annotations

from typing import Any

from laser_policy.errors import Problem

#: characters of a value or field shown in a problem (longer texts are cut with "…")
MAX_VALUE_CHARS = 200
#: characters of a message field (a list of expected values is longer than a cell)
MAX_FIELD_CHARS = 1000

RULES: dict[str, tuple[str, str]] = {
    # files and sheets
    "file.empty": (
        "文件为空（0字节），请填写表头和数据后重新导出",
        "the file is empty (0 bytes); export it again with a header row",
    ),
    "file.binary": (
        "不是文本CSV文件（含二进制内容），请用Excel/WPS另存为“CSV UTF-8”",
        "not a text CSV file (binary content); save it as “CSV UTF-8” from Excel/WPS",
    ),
    "file.zip_as_csv": (
        "这是一个xlsx/zip文件却以.csv命名，请改名为.xlsx或另存为CSV UTF-8",
        "this is an xlsx/zip file named .csv; rename it .xlsx or save as CSV UTF-8",
    ),
    "file.encoding_gbk": (
        "文件是GBK/GB18030编码（旧版WPS/Excel的默认格式），请另存为“CSV UTF-8（逗号分隔）”",
        (
            "the file is GBK/GB18030-encoded (older WPS/Excel default); save it as "
            "“CSV UTF-8 (comma delimited)”"
        ),
    ),
    "file.encoding": (
        "文件不是UTF-8编码（{detail}），请另存为“CSV UTF-8（逗号分隔）”",
        "the file is not UTF-8 ({detail}); save it as “CSV UTF-8 (comma delimited)”",
    ),
    "file.unreadable": (
        "无法读取文件：{detail}",
        "cannot read the file: {detail}",
    ),
    "file.too_large": (
        "文件过大：超过{limit}字节的上限（{what}；可用环境变量{env}调整）",
        "file too large: over the limit of {limit} bytes ({what}; set {env} to change it)",
    ),
    "file.too_many_rows": (
        "行数超过{limit}行的上限（可用环境变量{env}调整）",
        "more than {limit} rows, the limit (set {env} to change it)",
    ),
    "file.ambiguous": (
        "同一张表有多个文件：{files}，请只保留一个",
        "several files hold the same table: {files}; keep only one",
    ),
    "package.no_table": (
        "未识别到任何数据表（看到的文件：{seen}），文件或工作表应命名为：{expected}",
        "no table recognised (files seen: {seen}); files or sheets must be named: {expected}",
    ),
    "sheet.unknown": (
        "未知的工作表「{sheet}」，工作表应命名为：{expected}",
        "unknown sheet “{sheet}”; sheets must be named one of: {expected}",
    ),
    # columns
    "column.missing": (
        "缺少必填列「{zh}」（{name}）",
        "required column “{name}” ({zh}) is missing",
    ),
    "column.duplicate": (
        "列「{name}」出现了多次：{headers}",
        "column “{name}” appears more than once: {headers}",
    ),
    "column.unknown": (
        "未知的列，已保留但不使用",
        "unknown column: kept but not used",
    ),
    "column.unknown_near": (
        "未知的列，已保留但不使用；是否应为「{zh}」（{name}）？",
        "unknown column: kept but not used; did you mean “{name}” ({zh})?",
    ),
    # values
    "value.required": (
        "必填项为空",
        "required value is empty",
    ),
    "value.int": (
        "应为整数",
        "must be a whole number",
    ),
    "value.number": (
        "应为数字（金额单位万元，不要带单位或文字）",
        "must be a number (money in 万元, without unit or text)",
    ),
    "value.non_negative": (
        "不能为负数",
        "must not be negative",
    ),
    "value.year_range": (
        "年度应在{low}至{high}之间",
        "year must be between {low} and {high}",
    ),
    "value.date": (
        "日期格式应为YYYY-MM-DD（如2024-07-22）",
        "date must be written YYYY-MM-DD (e.g. 2024-07-22)",
    ),
    "value.bool": (
        "应填“是”或“否”（也可写true/false、1/0、Y/N）",
        "must be 是 or 否 (or true/false, 1/0, Y/N)",
    ),
    "value.choice": (
        "取值应为以下之一：{expected}",
        "must be one of: {expected}",
    ),
    "value.city": (
        "不是湖北省的市州，应为以下之一：{expected}",
        "not one of Hubei's 17 divisions: {expected}",
    ),
    "value.segment": (
        "未知的产业链环节“{item}”，应为产业链环节代码（如LSR-FIBER）或名称（如光纤激光器）",
        (
            "unknown chain segment “{item}”; use a segment code (e.g. LSR-FIBER) or name "
            "(e.g. 光纤激光器)"
        ),
    ),
    # unified social credit codes (GB 32100-2015)
    "uscc.missing": (
        "统一社会信用代码为空",
        "the unified social credit code is empty",
    ),
    "uscc.space": (
        "统一社会信用代码含有空格，请删除空格（包括首尾空格）",
        "the credit code contains spaces; remove them (leading and trailing too)",
    ),
    "uscc.fullwidth": (
        "统一社会信用代码含有全角字符，请切换到半角输入",
        "the credit code contains full-width characters; type it in half-width",
    ),
    "uscc.lowercase": (
        "统一社会信用代码含有小写字母，应全部大写",
        "the credit code contains lower-case letters; write it in upper case",
    ),
    "uscc.length": (
        "统一社会信用代码应为18位（现为{length}位）",
        "a credit code has 18 characters (this one has {length})",
    ),
    "uscc.charset": (
        "统一社会信用代码只能由数字和大写字母（不含I、O、S、V、Z）组成",
        "a credit code uses digits and upper-case letters except I, O, S, V, Z",
    ),
    "uscc.authority": (
        "统一社会信用代码第1位（登记管理部门代码）无效",
        "position 1 of the credit code (registration authority) is invalid",
    ),
    "uscc.type": (
        "统一社会信用代码第2位（机构类别代码）与登记管理部门不符",
        "position 2 of the credit code (organisation type) does not fit the authority",
    ),
    "uscc.division": (
        "统一社会信用代码第3-8位应为6位数字的行政区划代码",
        "positions 3-8 of the credit code must be a 6-digit division code",
    ),
    "uscc.org_check": (
        "统一社会信用代码第17位（组织机构代码校验码，GB 11714）不正确，请核对代码",
        (
            "position 17 of the credit code (organisation code check, GB 11714) is wrong; "
            "check the code"
        ),
    ),
    "uscc.check_character": (
        "统一社会信用代码第18位校验码不正确（GB 32100-2015），请核对代码",
        "the check character (position 18, GB 32100-2015) is wrong; check the code",
    ),
    # keys, references, cross-column checks
    "key.duplicate": (
        "主键（{key}）重复：与第{others}行{more_zh}相同",
        "duplicate key ({key}): same as row(s) {others}{more_en}",
    ),
    "ref.unknown": (
        "在「{table}」（{table_zh}）中找不到该企业，请先在企业名录中登记",
        "no such enterprise in “{table}” ({table_zh}); add it to the enterprise list",
    ),
    "check.laser_revenue_le_revenue": (
        "激光业务收入（{laser}）大于营业收入（{revenue}）",
        "laser revenue ({laser}) exceeds operating revenue ({revenue})",
    ),
    "check.supplier": (
        "供应方信用代码和供应方名称至少填一项",
        "give the supplier's credit code or its name",
    ),
    "check.channel": (
        "省级专项（special_fund）项目须填写支持渠道",
        "a special_fund project needs its channel",
    ),
    "check.end_not_before_start": (
        "到期日期（{end}）早于起始日期（{start}）",
        "the end date ({end}) is before the start date ({start})",
    ),
    "rule.more": (
        "同一规则另有{count}行未逐一列出（共{total}行）",
        "{count} more row(s) break the same rule ({total} in all), not listed",
    ),
}


def problem(
    file: str,
    rule: str,
    *,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    **fields: Any,
) -> Problem:
    """A ``Problem`` with the rule's Chinese and English messages filled in.

    >>> p = problem("enterprises.csv", "value.required", row=3, column="企业名称")
    >>> p.format()
    'enterprises.csv 第3行 列「企业名称」: 必填项为空 [value.required]'
    """
    zh, en = RULES[rule]
    fields = {k: shorten(v, MAX_FIELD_CHARS) for k, v in fields.items()}
    return Problem(
        file=file, rule=rule, message_zh=zh.format(**fields), message_en=en.format(**fields),
        row=row, column=column, value=shorten(value),
    )


def shorten(value: Any, limit: int = 0) -> Any:
    """A text longer than ``limit`` (default ``MAX_VALUE_CHARS``) cut with an ellipsis: a
    report names a bad cell, it does not repeat a megabyte of it. Other values as they are."""
    limit = limit or MAX_VALUE_CHARS
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    return value
