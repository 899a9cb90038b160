"""The chain taxonomy: stages and segments of Hubei's laser industry chain.

The segments come from the policy model (``load_policy().chain``, the package's
``chain.yaml``) when it is installed; until then from the table below, which is
the fixed list of SHARED_SPECS (same codes, names, strengths and clauses).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

STAGES: dict[str, str] = {
    "MAT": "上游材料",
    "CMP": "关键元器件",
    "LSR": "激光器",
    "EQP": "激光设备",
    "APP": "激光应用",
}

#: how the text names a segment (长板 / 短板 / 有基础 / 新板)
STRENGTH_ZH: dict[str, str] = {"strong": "长板", "weak": "短板", "base": "有基础", "new": "新板"}


@dataclass(frozen=True)
class Segment:
    code: str
    name_zh: str
    stage: str
    strength: str
    clause: str

    @property
    def strength_zh(self) -> str:
        return STRENGTH_ZH.get(self.strength, self.strength)

    @property
    def named_weak(self) -> bool:
        """The policy text names this segment a weak link (短板)."""
        return self.strength == "weak"


_FALLBACK: tuple[tuple[str, str, str, str], ...] = (
    ("MAT-CRYSTAL", "激光晶体", "weak", "六"),
    ("MAT-NLO", "非线性光学晶体", "weak", "六"),
    ("MAT-SEMI", "化合物半导体材料", "weak", "六"),
    ("MAT-FIBER", "激光用特种光纤", "base", "六、二"),
    ("CMP-MIRROR", "激光反射镜", "weak", "六"),
    ("CMP-SLM", "空间光调制器", "weak", "六"),
    ("CMP-HEAD", "高功率激光加工头", "weak", "六、九"),
    ("CMP-CHIP", "激光器芯片", "base", "六、二"),
    ("LSR-FIBER", "光纤激光器", "strong", "五"),
    ("LSR-SEMI", "半导体激光器", "strong", "五"),
    ("LSR-VISIBLE", "可见光激光器", "strong", "五"),
    ("LSR-GAS", "气体激光器", "strong", "五"),
    ("LSR-SPECIAL", "特殊用途激光器", "strong", "五"),
    ("EQP-CUT", "激光切割设备", "strong", "五、九"),
    ("EQP-WELD", "激光焊接设备", "strong", "五、九"),
    ("EQP-MARK", "激光打标设备", "strong", "九"),
    ("EQP-MICRO", "激光微加工及泛半导体设备", "new", "九"),
    ("EQP-CLEAN", "激光清洗设备", "new", "十"),
    ("EQP-AM", "激光增材制造设备", "new", "十三"),
    ("APP-MED", "激光诊疗设备", "new", "十一"),
    ("APP-LIDAR", "激光雷达", "new", "十二"),
)


def _from_model() -> tuple[Segment, ...] | None:
    try:
        from laser_policy.policy.model import load_policy  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    chain: Any = load_policy().chain
    items = chain.segments if hasattr(chain, "segments") else chain
    out: list[Segment] = []
    for s in items:
        get = s.get if isinstance(s, dict) else lambda k, s=s: getattr(s, k, None)
        code = str(get("code"))
        clause = get("clause")
        if isinstance(clause, list | tuple):
            clause = "、".join(str(c) for c in clause)
        out.append(Segment(code, str(get("name_zh")), str(get("stage") or code.split("-")[0]),
                           str(get("strength")), str(clause or "")))
    return tuple(out) or None


@cache
def segments() -> tuple[Segment, ...]:
    """Every segment of the chain, in taxonomy order."""
    model = _from_model()
    if model is not None:
        return model
    return tuple(Segment(c, n, c.split("-")[0], s, cl) for c, n, s, cl in _FALLBACK)


def by_code() -> dict[str, Segment]:
    return {s.code: s for s in segments()}


def resolve(value: str) -> str | None:
    """A segment code from a code or a Chinese name (``激光晶体`` → ``MAT-CRYSTAL``)."""
    v = value.strip()
    for s in segments():
        if v.upper() == s.code or v == s.name_zh:
            return s.code
    return None


def split_segments(value: object) -> list[str]:
    """Codes of a ``;``-separated ``enterprises.segments`` cell (names accepted)."""
    if not isinstance(value, str):
        return []
    out: list[str] = []
    for part in value.replace("；", ";").replace(",", ";").replace("，", ";").split(";"):
        code = resolve(part) if part.strip() else None
        if code and code not in out:
            out.append(code)
    return out
