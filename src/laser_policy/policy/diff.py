"""Comparing two versions of a policy document, measure by measure.

What is compared: the document number, title and date (only when both versions
state them: a reprint that drops the number has not changed it), the preamble,
each chapter's title, introduction and target paragraphs, and each measure's
text, lead units and responsible units. Measures are paired by their titles, so
an inserted measure does not make every later one look changed.

What is not a change: script (traditional/simplified), whitespace, line breaks,
page headers and numbers, full/half-width punctuation, quote and bracket styles
(``laser_policy.policy.text.comparison_key``).

Each change reports the smallest useful span: the differing clause(s) of the
differing sentence(s), not the whole measure.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from laser_policy.policy.parse import Chapter, Measure, ParsedDocument, int_to_cn, parse_document
from laser_policy.policy.text import comparison_key

Kind = Literal["changed", "added", "removed"]
KIND_ZH: dict[str, str] = {"changed": "修改", "added": "新增", "removed": "删除"}

#: a changed clause longer than this is narrowed further, to its 、-separated items
NARROW_BELOW_CLAUSE_CHARS = 40


@dataclass(frozen=True)
class Change:
    measure: int | None
    section: str
    kind: Kind
    old: str | None
    new: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "section": self.section,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
        }


DocumentLike = ParsedDocument | str | Path | bytes


def diff_documents(old: DocumentLike, new: DocumentLike) -> list[Change]:
    """The changes from ``old`` to ``new`` (parsed documents, texts, paths or bytes)."""
    a = old if isinstance(old, ParsedDocument) else parse_document(old)
    b = new if isinstance(new, ParsedDocument) else parse_document(new)
    changes: list[Change] = []
    for label, x, y in (("文号", a.doc_number, b.doc_number), ("标题", a.title, b.title),
                        ("成文日期", a.date, b.date)):
        if x and y and _key(x) != _key(y):
            changes.append(Change(None, label, "changed", x, y))
    changes.extend(diff_text("序言", a.preamble, b.preamble))
    changes.extend(_diff_chapters(a.chapters, b.chapters))
    changes.extend(_diff_measures(a.measures, b.measures))
    return changes


# --------------------------------------------------------------------------- pairing

T = TypeVar("T")


def _pair(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], str], similar: Callable[[T, T], float]
) -> Iterator[tuple[T | None, T | None]]:
    """Pair items of two versions in order: equal keys first, then similar ones."""
    matcher = difflib.SequenceMatcher(None, [key(x) for x in old], [key(y) for y in new],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            yield from zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        rest_new = list(new[j1:j2])
        for x in old[i1:i2]:
            best = max(rest_new, key=lambda y: similar(x, y), default=None)
            if best is not None and similar(x, best) >= 0.5:
                # keep document order: what precedes the match in `new` was added
                index = rest_new.index(best)
                for y in rest_new[:index]:
                    yield None, y
                rest_new = rest_new[index + 1 :]
                yield x, best
            else:
                yield x, None
        for y in rest_new:
            yield None, y


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _key(a), _key(b), autojunk=False).ratio()


def _key(text: str) -> str:
    return comparison_key(text, simplified=True)


# --------------------------------------------------------------------------- sections


def _chapter_label(chapter: Chapter) -> str:
    return f"{int_to_cn(chapter.number)}、{chapter.title}"


def _diff_chapters(old: Sequence[Chapter], new: Sequence[Chapter]) -> Iterator[Change]:
    pairs = _pair(old, new, key=lambda c: _key(c.title),
                  similar=lambda x, y: _ratio(x.title + x.intro, y.title + y.intro))
    for a, b in pairs:
        if a is None and b is not None:
            yield Change(None, _chapter_label(b), "added", None, _chapter_text(b))
        elif b is None and a is not None:
            yield Change(None, _chapter_label(a), "removed", _chapter_text(a), None)
        elif a is not None and b is not None:
            label = _chapter_label(a)
            if _key(a.title) != _key(b.title):
                yield Change(None, f"{label}（章标题）", "changed", a.title, b.title)
            # the chapter as one text, so paragraphing cannot make a difference;
            # each change is then attributed to the target paragraph it falls in
            for change in diff_text(label, a.text, b.text):
                target = _target_of(change, a, b)
                yield change if target is None else _with_section(change, f"{label}：{target}")


def _target_of(change: Change, a: Chapter, b: Chapter) -> str | None:
    for span, chapter in ((change.old, a), (change.new, b)):
        if not span:
            continue
        key = _key(span.removeprefix("——"))
        for target in chapter.targets:
            if key and key in _key(target.text):
                return target.name
    return None


def _with_section(change: Change, section: str) -> Change:
    return Change(change.measure, section, change.kind, change.old, change.new)


def _chapter_text(chapter: Chapter) -> str:
    return "\n".join([chapter.title, chapter.text]).strip()


def _measure_label(measure: Measure) -> str:
    return f"（{int_to_cn(measure.number)}）{measure.title}"


def _diff_measures(old: Sequence[Measure], new: Sequence[Measure]) -> Iterator[Change]:
    pairs = _pair(
        old, new, key=lambda m: _key(m.title), similar=lambda x, y: _ratio(x.text, y.text)
    )
    for a, b in pairs:
        if a is None and b is not None:
            yield Change(b.number, _measure_label(b), "added", None, b.text)
        elif b is None and a is not None:
            yield Change(a.number, _measure_label(a), "removed", a.text, None)
        elif a is not None and b is not None:
            label = _measure_label(a)
            yield from diff_text(label, a.text, b.text, measure=a.number)
            for name, x, y in (("牵头单位", a.lead_units, b.lead_units),
                               ("责任单位", a.responsible_units, b.responsible_units)):
                if [_key(u) for u in x] != [_key(u) for u in y]:
                    kind: Kind = "changed" if x and y else ("added" if y else "removed")
                    yield Change(a.number, f"{label}：{name}", kind,
                                 "、".join(x) or None, "、".join(y) or None)


# --------------------------------------------------------------------------- text

_SENTENCE_RE = re.compile(r"[^。！？；!?;]+(?:[。！？；!?;]+[”’」』）)]*)?|[。！？；!?;]+")
_CLAUSE_SEPARATORS: tuple[str, ...] = ("，；：,;:", "、")


def _sentences(text: str) -> list[str]:
    flat = "".join(line.strip() for line in text.splitlines())
    return [s for s in _SENTENCE_RE.findall(flat) if s.strip()]


def _pieces(text: str, separators: str) -> list[str]:
    return [p for p in re.findall(rf"[^{separators}]+[{separators}]*|[{separators}]+", text) if p]


def diff_text(section: str, old: str, new: str, measure: int | None = None) -> list[Change]:
    """Sentence-level changes between two texts, each narrowed to its clauses."""
    a, b = _sentences(old), _sentences(new)
    ka, kb = [_key(s) for s in a], [_key(s) for s in b]
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        old_block, new_block = "".join(a[i1:i2]), "".join(b[j1:j2])
        if not old_block:
            changes.append(Change(measure, section, "added", None, new_block))
        elif not new_block:
            changes.append(Change(measure, section, "removed", old_block, None))
        else:
            for x, y in _narrow(old_block, new_block, 0):
                changes.append(Change(measure, section, "changed", x, y))
    return changes


def _narrow(old: str, new: str, level: int) -> list[tuple[str, str]]:
    """The differing spans of two changed passages, clause by clause."""
    if level >= len(_CLAUSE_SEPARATORS):
        return [(_tidy(old, new), _tidy(new, old))]
    seps = _CLAUSE_SEPARATORS[level]
    a, b = _pieces(old, seps), _pieces(new, seps)
    matcher = difflib.SequenceMatcher(None, [_key(p) for p in a], [_key(p) for p in b],
                                      autojunk=False)
    spans: list[tuple[str, str]] = []
    for op, o1, o2, n1, n2 in matcher.get_opcodes():
        if op == "equal":
            continue
        i1, i2, j1, j2 = o1, o2, n1, n2
        if i1 == i2 or j1 == j2:  # a clause added or removed: show it with a neighbour
            if i1 > 0 and j1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = min(i2 + 1, len(a)), min(j2 + 1, len(b))
        x, y = "".join(a[i1:i2]), "".join(b[j1:j2])
        if level + 1 < len(_CLAUSE_SEPARATORS) and max(len(x), len(y)) > NARROW_BELOW_CLAUSE_CHARS:
            spans.extend(_narrow(x, y, level + 1))
        else:
            spans.append((_tidy(x, y), _tidy(y, x)))
    return spans or [(_tidy(old, new), _tidy(new, old))]


def _tidy(span: str, other: str) -> str:
    """A span without its trailing clause separator, unless that is the difference."""
    stripped = span.rstrip("，、；：,;:")
    other_stripped = other.rstrip("，、；：,;:")
    if stripped and _key(stripped) == _key(other_stripped):
        return span
    return stripped or span


# --------------------------------------------------------------------------- output


def changes_to_markdown(changes: Sequence[Change], old: ParsedDocument | None = None,
                        new: ParsedDocument | None = None) -> str:
    """A readable Chinese report of the changes."""
    lines = ["# 政策文本比对 / Policy text comparison", ""]
    for tag, doc in (("旧版本", old), ("新版本", new)):
        if doc is not None:
            number = doc.doc_number or "未标注文号"
            lines.append(f"- {tag}：{doc.title or '（无标题）'}（{number}）"
                         + (f" — {doc.source}" if doc.source else ""))
    if old is not None or new is not None:
        lines.append("")
    if not changes:
        lines.append("未发现实质性变化（已忽略繁简、空白、换行、页眉页脚和全半角标点的差异）。")
        lines.append("")
        lines.append("No changes (script, whitespace, line breaks, page furniture and "
                     "punctuation width ignored).")
        return "\n".join(lines) + "\n"
    lines.append(f"共发现 {len(changes)} 处变化 / {len(changes)} change(s)。")
    lines.append("")
    for i, c in enumerate(changes, 1):
        lines.append(f"## {i}. {c.section}（{KIND_ZH[c.kind]}）")
        lines.append("")
        if c.old is not None:
            lines.append(f"- 原文：{c.old}")
        if c.new is not None:
            lines.append(f"- 新文：{c.new}")
        lines.append("")
    return "\n".join(lines)
