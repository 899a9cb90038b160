"""The document's structure in a model folder: meta, chapters, measures and units.

Helpers shared with :mod:`laser_policy.policy.build` live here too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laser_policy.contracts.cities import normalise_city
from laser_policy.policy.loader import Checker
from laser_policy.policy.records import Chapter, Measure, Note, Unit

UNIT_KINDS = ("provincial_department", "city_government", "other_body")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Meta:
    id: str
    doc_number: str
    title: str
    title_en: str
    issuer: str
    issued: dt.date
    effective: dt.date
    start_year: int
    end_year: int
    version: str
    document: str
    source: Note


def flat(text: str) -> str:
    """``text`` for comparing quotes: whitespace dropped, full/half width folded (NFKC).

    >>> flat("增速 15％左右") == flat("增速15%左右")
    True
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def note(ck: Checker, file: str, path: str, value: Any) -> Note | None:
    if value is None:
        return None
    n = ck.mapping(file, path, value, ("zh", "en"))
    return Note(ck.string(file, f"{path}.zh", n["zh"]), ck.string(file, f"{path}.en", n["en"]))


def items(ck: Checker, file: str, raw: Any, key: str, *, required: bool = True
          ) -> list[tuple[str, Any]]:
    """The list under ``key`` of a file, as ``(path, item)`` pairs; ``required=False``
    accepts an empty list (a document may name no project, target or unit)."""
    with ck.item():
        top = ck.mapping(file, "", raw, (key,))
        if not isinstance(top[key], list):
            ck.fail(file, key, "应为列表", "expected a list")
        elif required and not top[key]:
            ck.fail(file, key, "应为非空列表", "expected a non-empty list")
        return [(f"{key}[{i}]", item) for i, item in enumerate(top[key])]
    return []


# -- meta.yaml ------------------------------------------------------------------------
def read_meta(ck: Checker, raw: Any, folder: Path) -> Meta:
    f = "meta.yaml"
    m = ck.mapping(
        f,
        "",
        raw,
        (
            "id",
            "doc_number",
            "title",
            "title_en",
            "issuer",
            "issued",
            "effective",
            "period",
            "version",
            "document",
            "source",
        ),
    )
    period = ck.mapping(f, "period", m["period"], ("start_year", "end_year"))
    start = ck.integer(f, "period.start_year", period["start_year"])
    end = ck.integer(f, "period.end_year", period["end_year"])
    if end < start:
        ck.fail(
            f,
            "period",
            f"截止年 {end} 早于起始年 {start}",
            f"end year {end} before start year {start}",
        )
    document = ck.string(f, "document", m["document"])
    if not (folder / document).is_file():
        ck.add(f, "document", f"文件 {document} 不存在", f"file {document} does not exist")
    source = note(ck, f, "source", m["source"])
    assert source is not None
    return Meta(
        id=ck.string(f, "id", m["id"]),
        doc_number=ck.string(f, "doc_number", m["doc_number"]),
        title=ck.string(f, "title", m["title"]),
        title_en=ck.string(f, "title_en", m["title_en"]),
        issuer=ck.string(f, "issuer", m["issuer"]),
        issued=ck.date(f, "issued", m["issued"]),
        effective=ck.date(f, "effective", m["effective"]),
        start_year=start,
        end_year=end,
        version=ck.string(f, "version", str(m["version"])),
        document=document,
        source=source,
    )


# -- measures.yaml --------------------------------------------------------------------
def read_measures(ck: Checker, raw: Any) -> tuple[tuple[Chapter, ...], tuple[Measure, ...]]:
    f = "measures.yaml"
    chapters: list[Chapter] = []
    measures: list[Measure] = []
    with ck.item():
        top = ck.mapping(f, "", raw, ("chapters", "measures"))
        for key in ("chapters", "measures"):
            if not isinstance(top[key], list) or not top[key]:
                ck.fail(f, key, "应为非空列表", "expected a non-empty list")
        for i, item in enumerate(top["chapters"]):
            with ck.item():
                p = f"chapters[{i}]"
                c = ck.mapping(f, p, item, ("number", "title", "text"))
                chapters.append(
                    Chapter(
                        number=ck.integer(f, f"{p}.number", c["number"]),
                        title=ck.string(f, f"{p}.title", c["title"]),
                        text=ck.string(f, f"{p}.text", c["text"], empty=True),
                    )
                )
        for i, item in enumerate(top["measures"]):
            with ck.item():
                p = f"measures[{i}]"
                m = ck.mapping(
                    f,
                    p,
                    item,
                    ("number", "chapter", "title", "text", "lead_units", "responsible_units"),
                )
                measures.append(
                    Measure(
                        number=ck.integer(f, f"{p}.number", m["number"]),
                        chapter=ck.integer(f, f"{p}.chapter", m["chapter"]),
                        title=ck.string(f, f"{p}.title", m["title"]),
                        text=ck.string(f, f"{p}.text", m["text"]),
                        lead_units=ck.strings(f, f"{p}.lead_units", m["lead_units"]),
                        responsible_units=ck.strings(
                            f, f"{p}.responsible_units", m["responsible_units"]
                        ),
                    )
                )
    _contiguous(ck, f, "chapters", [c.number for c in chapters])
    _contiguous(ck, f, "measures", [m.number for m in measures])
    known = {c.number for c in chapters}
    for i, measure in enumerate(measures):
        if measure.chapter not in known:
            ck.add(
                f,
                f"measures[{i}].chapter",
                f"第{measure.chapter}部分不存在",
                f"no chapter {measure.chapter}",
            )
    if [m.chapter for m in measures] != sorted(m.chapter for m in measures):
        ck.add(
            f, "measures", "各条所属部分须按顺序", "measures must follow their chapters in order"
        )
    return tuple(chapters), tuple(measures)


def _contiguous(ck: Checker, f: str, key: str, numbers: list[int]) -> None:
    expected = list(range(1, len(numbers) + 1))
    if numbers != expected:
        missing = sorted(set(expected) - set(numbers))
        ck.add(
            f,
            f"{key}.number",
            f"编号须从1起连续递增（实为 {numbers}；缺 {missing}）",
            f"numbers must run 1..{len(numbers)} in order (got {numbers}; missing {missing})",
        )


# -- units.yaml -----------------------------------------------------------------------
def read_units(ck: Checker, raw: Any) -> tuple[Unit, ...]:
    f = "units.yaml"
    units: list[Unit] = []
    for p, item in items(ck, f, raw, "units", required=False):
        with ck.item():
            u = ck.mapping(
                f, p, item, ("id", "name", "full_name", "kind", "collective"), ("city", "note")
            )
            uid = ck.string(f, f"{p}.id", u["id"])
            if not _SLUG.match(uid):
                ck.fail(
                    f,
                    f"{p}.id",
                    f"编号 {uid!r} 须为ASCII小写短横线格式",
                    f"id {uid!r} must be an ASCII slug",
                )
            city = ck.optional_string(f, f"{p}.city", u.get("city"))
            if city is not None and normalise_city(city) != city:
                ck.fail(
                    f, f"{p}.city", f"{city} 不是湖北省市州全称", f"{city} is not a Hubei division"
                )
            units.append(
                Unit(
                    id=uid,
                    name=ck.string(f, f"{p}.name", u["name"]),
                    full_name=ck.string(f, f"{p}.full_name", u["full_name"]),
                    kind=ck.choice(f, f"{p}.kind", u["kind"], UNIT_KINDS),
                    collective=ck.boolean(f, f"{p}.collective", u["collective"]),
                    city=city,
                    note=ck.optional_string(f, f"{p}.note", u.get("note")),
                )
            )
    unique(ck, f, "units", [u.id for u in units], "id")
    unique(ck, f, "units", [u.name for u in units], "name")
    return tuple(units)


def unique(ck: Checker, f: str, key: str, values: list[str], field: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            ck.add(f, f"{key}[{i}].{field}", f"{v!r} 重复", f"{v!r} is not unique")
        seen.add(v)


def check_units_named(ck: Checker, measures: tuple[Measure, ...], units: tuple[Unit, ...]) -> None:
    names = {u.name for u in units}
    for i, m in enumerate(measures):
        for field in ("lead_units", "responsible_units"):
            for name in getattr(m, field):
                if name not in names:
                    ck.add(
                        "measures.yaml",
                        f"measures[{i}].{field}",
                        f"（{m.numeral}）所列单位「{name}」不在 units.yaml 中",
                        f"unit {name!r} of measure {m.number} is not in units.yaml",
                    )
