"""``laser-policy policy parse`` and ``laser-policy policy diff``: policy documents as data."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import click

from laser_policy.policy.diff import changes_to_markdown, diff_documents
from laser_policy.policy.parse import ParsedDocument, int_to_cn, parse_document

_FILE = click.Path(path_type=Path)


@click.command()
@click.argument("file", type=_FILE)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json",
              show_default=True, help="输出格式 / output format")
def parse(file: Path, fmt: str) -> None:
    """解析政策文件：文号、标题、章节、措施及牵头/责任单位（输出简体中文）。

    Parse a policy document (UTF-8/GB18030/Big5, simplified or traditional, official
    text or web reprint) into its number, title, chapters and measures with units.
    """
    doc = parse_document(file)
    if fmt == "json":
        click.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(doc))


@click.command()
@click.argument("old", type=_FILE)
@click.argument("new", type=_FILE)
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), default="json",
              show_default=True, help="输出格式 / output format")
def diff(old: Path, new: Path, fmt: str) -> None:
    """逐条比对两个版本的政策文件（忽略繁简、空白、换行、页眉页脚、全半角标点）。

    Compare two versions of a policy document measure by measure; script, whitespace,
    line breaks, page furniture and punctuation width are not changes.
    """
    a, b = parse_document(old), parse_document(new)
    changes = diff_documents(a, b)
    if fmt == "json":
        payload = {"changes": [c.to_dict() for c in changes]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(changes_to_markdown(changes, a, b), nl=False)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def render_table(doc: ParsedDocument) -> str:
    """The parsed document as a plain-text table, one row per measure."""
    lines = [
        f"文号 / number: {doc.doc_number or '—'}",
        f"标题 / title: {doc.title or '—'}",
        "",
        "章节 / chapters:",
    ]
    lines += [f"  {int_to_cn(c.number)}、{c.title}" for c in doc.chapters] or ["  —"]
    lines.append("")
    header = ["条", "章", "措施 / measure", "牵头单位 / lead", "责任单位 / responsible"]
    deadlines = any(m.deadline for m in doc.measures)
    if deadlines:
        header.append("完成时限 / deadline")
    rows: list[list[str]] = [header]
    for m in doc.measures:
        row = [
            m.numbering or f"（{int_to_cn(m.number)}）",
            int_to_cn(m.chapter) if m.chapter else "—",
            m.title if len(m.title) <= 40 else m.title[:39] + "…",
            "；".join(m.lead_units) or "—",
            "；".join(m.responsible_units) or "—",
        ]
        if deadlines:
            row.append(m.deadline or "—")
        rows.append(row)
    lines += _columns(rows)
    lines.append("")
    lines.append(f"共 {len(doc.measures)} 条措施 / {len(doc.measures)} measures")
    return "\n".join(lines)
