"""Candidate targets, money rules and named projects in a policy text, each with its quote.

These are proposals for a person to confirm, not readings: a target is a clause
stating a number with a unit (亿元, 家, %, 人 …), a money rule a clause granting an
amount or a rate (给予最高500万元, 按投资额的10%), a project a named work ending in
项目/工程/基地/园. The quote is the clause exactly as the text prints it, so that the
model's checks (quote found in its clause) hold by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLAUSE_RE = re.compile(r"[^。；！？\n]+")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
#: the year a goal is due: 到2026年 / 至2025年底 / 2024年达到
_BY_YEAR_RE = re.compile(r"(?<![比较])((?:19|20)\d{2})\s*年(?!以来|比|相比|版)")
_PHRASE_RE = re.compile(r"[^，,]+")
_NUMBER = r"(\d+(?:\.\d+)?)"
_TARGET_RE = re.compile(
    rf"{_NUMBER}\s*(万亿元|亿元|万元|元|%|％|家|个|项|人|万人|所|座|件|台|套|倍)"
    r"(以上|左右|以内|以下|及以上)?"
)
_TARGET_CUE_RE = re.compile(
    r"达到|突破|超过|力争|增长|增速|提高到|提升到|控制在|不低于|新增|培育|打造|实现"
)
_MONEY_RE = re.compile(
    rf"(?:给予|奖励|补助|补贴|资助|支持|贴息|最高|不超过|一次性|按)[^，。；]{{0,16}}?{_NUMBER}\s*(亿元|万元|%|％)"
)
_PROJECT_RE = re.compile(
    r"(?:(?<=[、，。；：（(“])|^)([\u4e00-\u9fff“”A-Za-z0-9]{4,30}?(?:项目|工程|基地|产业园|科技园|示范区))(?=[、，。；）)]|等)"
)
_PROJECT_BAD_RE = re.compile(
    r"^(?:重大|重点|有关|相关|各类|一批|建设|实施|推进|加快|支持|对|在|以|鼓励|引进|增加|组织|强化"
    r"|推动|助推|争取|开展|打造|培育|依托|围绕|聚焦|发挥|提升|完善|优化|落实|申报|谋划|储备|通过|有针对性)"
    r"|等|各类|一批|[“”]|为企业|的"
)
_KIND_BY_UNIT = {
    "万亿元": ("level", "currency-CNY-yi", 10000.0),
    "亿元": ("level", "currency-CNY-yi", 1.0),
    "万元": ("level", "currency-CNY-wan", 1.0),
    "元": ("level", "none", 1.0),
    "万人": ("count", "count", 10000.0),
    "%": ("share", "/1", 0.01),
    "％": ("share", "/1", 0.01),
}


@dataclass(frozen=True)
class TargetCandidate:
    clause: str  # measure numeral (十八) or chapter clause (第一部分)
    quote: str
    label: str
    kind: str
    unit: str
    comparison: str
    values: dict[int | None, float]


@dataclass(frozen=True)
class MoneyCandidate:
    clause: str
    quote: str
    unit: str  # currency-CNY-wan or /1
    value: float


@dataclass(frozen=True)
class ProjectCandidate:
    clause: str
    name: str


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_RE.findall(text) if c.strip()]


def _comparison(qualifier: str | None, clause: str) -> str:
    if qualifier in ("以内", "以下") or re.search(r"控制在|不超过|以内|低于", clause):
        return "le"
    if qualifier == "左右":
        return "approx"
    return "ge"


def find_targets(clause_id: str, text: str) -> list[TargetCandidate]:
    """Numbered goals in a clause's text: one per phrase (between commas) stating
    numbers of one unit, with the year each is due (money rules excluded)."""
    out: list[TargetCandidate] = []
    for sentence in _clauses(text):
        cue = _TARGET_CUE_RE.search(sentence) or re.search(r"\d\s*\S{0,3}(?:以上|左右)", sentence)
        if not cue or _MONEY_RE.search(sentence):
            continue
        year: int | None = None
        for phrase in _PHRASE_RE.findall(sentence):
            by = _BY_YEAR_RE.findall(phrase)
            matches = [
                m for m in _TARGET_RE.finditer(phrase) if not _YEAR_RE.match(phrase, m.start())
            ]
            if not matches:
                if by:
                    year = int(by[-1])
                continue
            groups: dict[str, list[re.Match[str]]] = {}
            for m in matches:
                groups.setdefault(m.group(2), []).append(m)
            for unit_word, ms in groups.items():
                kind, unit, factor = _KIND_BY_UNIT.get(unit_word, ("count", "count", 1.0))
                if kind == "share" and re.search(r"增长|增速|增幅", phrase):
                    kind = "growth_rate"
                values: dict[int | None, float] = {}
                for m in ms:
                    before = _BY_YEAR_RE.findall(phrase[: m.start()])
                    due = int(before[-1]) if before else year
                    values.setdefault(due, round(float(m.group(1)) * factor, 6))
                if len(values) < len(ms) and len(ms) > 1:
                    continue  # several numbers for one year: not one goal (e.g. 1家…2家…)
                label = re.sub(r"^(?:到|至)?(?:19|20)\d{2}年(?:底)?", "", phrase[: ms[0].start()])
                out.append(
                    TargetCandidate(
                        clause=clause_id,
                        quote=phrase,
                        label=(label or phrase)[:40],
                        kind=kind,
                        unit=unit,
                        comparison=_comparison(ms[0].group(3), phrase),
                        values=values,
                    )
                )
            if by:
                year = int(by[-1])
    return out


def find_money(clause_id: str, text: str) -> list[MoneyCandidate]:
    """Amounts and rates a clause grants."""
    out: list[MoneyCandidate] = []
    for clause in _clauses(text):
        for m in _MONEY_RE.finditer(clause):
            value, word = float(m.group(1)), m.group(2)
            if word == "亿元":
                out.append(MoneyCandidate(clause_id, clause, "currency-CNY-wan", value * 10000))
            elif word == "万元":
                out.append(MoneyCandidate(clause_id, clause, "currency-CNY-wan", value))
            elif value <= 100:
                out.append(MoneyCandidate(clause_id, clause, "/1", round(value / 100, 6)))
    return out


def find_projects(clause_id: str, text: str) -> list[ProjectCandidate]:
    """Named works (项目/工程/基地…) a clause lists."""
    out: list[ProjectCandidate] = []
    for m in _PROJECT_RE.finditer(text):
        name = m.group(1)
        if len(name) >= 6 and not _PROJECT_BAD_RE.search(name):
            out.append(ProjectCandidate(clause_id, name))
    return out
