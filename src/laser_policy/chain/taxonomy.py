"""The chain taxonomy: the segments of Hubei's laser industry chain, from the policy model.

Everything here reads ``load_policy().chain`` (the package's ``chain.yaml``): codes,
Chinese names, stages, the strength the text gives each segment (长板 / 短板 /
有基础 / 新板), the clauses naming it and its keywords.
"""

from __future__ import annotations

from typing import Any

from laser_policy.policy.model import load_policy


def segments() -> tuple[Any, ...]:
    """Every segment of the chain (``policy.records.Segment``), in taxonomy order."""
    return tuple(load_policy().chain.segments)


def by_code() -> dict[str, Any]:
    return {s.code: s for s in segments()}


def clauses_zh(segment: Any) -> str:
    """The clauses naming a segment, e.g. ``六、九``."""
    return "、".join(segment.clauses)


def named_weak(segment: Any) -> bool:
    """The policy text names the segment a weak link (短板)."""
    return bool(segment.strength == "weak")


def resolve(value: str) -> str | None:
    """A segment code from a code or a Chinese name (``激光晶体`` → ``MAT-CRYSTAL``).

    >>> resolve("激光晶体"), resolve("lsr-fiber"), resolve("不存在")
    ('MAT-CRYSTAL', 'LSR-FIBER', None)
    """
    v = value.strip()
    for s in segments():
        if v.upper() == s.code or v == s.name_zh:
            return str(s.code)
    return None


def split_segments(value: object) -> list[str]:
    """Codes in an ``enterprises.segments`` cell: ``;``-separated, names accepted."""
    if not isinstance(value, str):
        return []
    out: list[str] = []
    for part in value.replace("；", ";").replace("，", ";").replace(",", ";").split(";"):
        code = resolve(part) if part.strip() else None
        if code and code not in out:
            out.append(code)
    return out
