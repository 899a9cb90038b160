"""The region of a policy (``region.yaml``): its province, divisions, names and map.

>>> from laser_policy.model import model_path
>>> r = Region.from_folder(model_path())
>>> r.province, r.normalise_city("恩施州"), r.is_province("湖北")
('湖北省', '恩施土家族苗族自治州', True)
>>> r.normalise_city("长沙市") is None
True

A city written by a user or a data file is normalised to the division's full name
(``武汉`` → ``武汉市``); "local" (本地配套) means a supplier whose province is one of
:attr:`Region.province_names`. The engine receives the region with the model; it
knows no province of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from laser_policy.policy.loader import Checker, load_yaml

FILE = "region.yaml"
_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Division:
    """A prefecture-level division (地级市、自治州、省直管县级市、林区)."""

    name: str
    code: str
    short: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every accepted way of writing it, the full name first."""
        return (self.name, self.short, *self.aliases)


@dataclass(frozen=True)
class Region:
    province: str
    province_code: str
    province_short: tuple[str, ...]
    divisions: tuple[Division, ...]
    map_name: str
    map_geojson: str
    _lookup: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def __post_init__(self) -> None:
        lookup = {s: d.name for d in self.divisions for s in d.spellings}
        object.__setattr__(self, "_lookup", MappingProxyType(lookup))

    @classmethod
    def from_folder(cls, folder: Path) -> Region:
        """The region of a model folder, checked (problems raised together)."""
        ck = Checker()
        region = read_region(ck, load_yaml(folder / FILE))
        ck.raise_if_any()
        if region is None:  # pragma: no cover - read_region records a problem then
            raise AssertionError("region without problems but not built")
        return region

    @property
    def province_names(self) -> tuple[str, ...]:
        """How the province may be written (湖北省, 湖北)."""
        return (self.province, *self.province_short)

    @property
    def division_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.divisions)

    @property
    def city_spellings(self) -> Mapping[str, str]:
        """Every accepted spelling of a division → its full name."""
        return self._lookup

    def normalise_city(self, value: str) -> str | None:
        """The full name of a division of the region, or None when it is not one."""
        return self._lookup.get(value.strip())

    def is_province(self, value: object) -> bool:
        return isinstance(value, str) and value.strip() in self.province_names

    def division(self, name: str) -> Division | None:
        full = self.normalise_city(name)
        return next((d for d in self.divisions if d.name == full), None)


def read_region(ck: Checker, raw: Any) -> Region | None:
    """``region.yaml`` checked: codes of six digits within the province, names unique,
    no spelling naming two divisions. Problems are recorded in ``ck``."""
    f = FILE
    with ck.item():
        top = ck.mapping(f, "", raw, ("province", "map", "divisions"))
        prov = ck.mapping(f, "province", top["province"], ("name", "code"), ("short",))
        name = ck.string(f, "province.name", prov["name"])
        code = _code(ck, "province.code", prov["code"])
        short = ck.strings(f, "province.short", prov.get("short", []))
        m = ck.mapping(f, "map", top["map"], ("name", "geojson"))
        map_name = ck.string(f, "map.name", m["name"])
        geojson = ck.string(f, "map.geojson", m["geojson"])
        divisions = _divisions(ck, top["divisions"], code)
        if ck.problems:
            ck.skip()
        return Region(name, code, short, divisions, map_name, geojson)
    return None


def _code(ck: Checker, path: str, value: Any) -> str:
    text = ck.string(FILE, path, value)
    if not _CODE.match(text):
        ck.fail(
            FILE,
            path,
            f"行政区划代码 {text!r} 应为6位数字（GB/T 2260，加引号）",
            f"division code {text!r} must be six digits (GB/T 2260, quoted)",
        )
    return text


def _divisions(ck: Checker, raw: Any, province_code: str) -> tuple[Division, ...]:
    f = FILE
    if not isinstance(raw, list) or not raw:
        ck.fail(f, "divisions", "应为非空列表", "expected a non-empty list")
    out: list[Division] = []
    owner: dict[str, str] = {}
    codes: set[str] = set()
    for i, item in enumerate(raw):
        p = f"divisions[{i}]"
        with ck.item():
            d = ck.mapping(f, p, item, ("name", "code", "short"), ("aliases",))
            div = Division(
                name=ck.string(f, f"{p}.name", d["name"]),
                code=_code(ck, f"{p}.code", d["code"]),
                short=ck.string(f, f"{p}.short", d["short"]),
                aliases=ck.strings(f, f"{p}.aliases", d.get("aliases", [])),
            )
            if div.code[:2] != province_code[:2] or div.code == province_code:
                ck.add(
                    f,
                    f"{p}.code",
                    f"代码 {div.code} 不在本省（{province_code}）之内",
                    f"code {div.code} is not within the province {province_code}",
                )
            if div.code in codes:
                ck.add(f, f"{p}.code", f"代码 {div.code} 重复", f"code {div.code} is not unique")
            codes.add(div.code)
            for s in dict.fromkeys(div.spellings):
                if s in owner:
                    ck.add(
                        f,
                        p,
                        f"写法「{s}」已属于 {owner[s]}",
                        f"spelling {s!r} already names {owner[s]}",
                    )
                owner[s] = div.name
            out.append(div)
    return tuple(out)
