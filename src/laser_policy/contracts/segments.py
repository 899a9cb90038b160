"""Industry-chain segments accepted in data: codes, and names normalised to codes.

The taxonomy belongs to the policy model (``chain.yaml``); ``known_segments()`` is
the one place the data contract asks for it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

#: separators accepted between segments in ``enterprises.segments``
SEGMENT_SEPARATORS = re.compile(r"[;；,，、\s]+")


@lru_cache(maxsize=1)
def known_segments() -> dict[str, str]:
    """Segment code -> Chinese name, from the policy model's chain taxonomy.

    >>> known_segments()["LSR-FIBER"]
    '光纤激光器'
    """
    try:
        from laser_policy.policy.model import load_policy
    except ImportError:
        # TODO(data): the model branch provides load_policy().chain; once it is merged,
        # delete this fallback (a copy of SHARED_SPECS.md "Chain taxonomy codes").
        return dict(_FALLBACK)
    chain = load_policy().chain
    segments = getattr(chain, "segments", chain)
    return {str(s.code): str(s.name_zh) for s in segments}


_FALLBACK = (
    ("MAT-CRYSTAL", "激光晶体"), ("MAT-NLO", "非线性光学晶体"), ("MAT-SEMI", "化合物半导体材料"),
    ("MAT-FIBER", "激光用特种光纤"), ("CMP-MIRROR", "激光反射镜"), ("CMP-SLM", "空间光调制器"),
    ("CMP-HEAD", "高功率激光加工头"), ("CMP-CHIP", "激光器芯片"), ("LSR-FIBER", "光纤激光器"),
    ("LSR-SEMI", "半导体激光器"), ("LSR-VISIBLE", "可见光激光器"), ("LSR-GAS", "气体激光器"),
    ("LSR-SPECIAL", "特殊用途激光器"), ("EQP-CUT", "激光切割设备"), ("EQP-WELD", "激光焊接设备"),
    ("EQP-MARK", "激光打标设备"), ("EQP-MICRO", "激光微加工及泛半导体设备"),
    ("EQP-CLEAN", "激光清洗设备"), ("EQP-AM", "激光增材制造设备"), ("APP-MED", "激光诊疗设备"),
    ("APP-LIDAR", "激光雷达"),
)


def segment_lookup() -> dict[str, str]:
    """Every accepted spelling (code in any case, Chinese name) -> code.

    >>> segment_lookup()["光纤激光器"], segment_lookup()["lsr-fiber"]
    ('LSR-FIBER', 'LSR-FIBER')
    """
    lookup: dict[str, str] = {}
    for code, name in known_segments().items():
        lookup[code] = code
        lookup[code.lower()] = code
        lookup[name] = code
    return lookup


def normalise_segment_list(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise ``;``-separated segment lists to codes.

    Returns the normalised series (codes joined by ``;``, missing stays missing) and a
    series of the first unknown item per row (missing where all items are known).

    >>> s, bad = normalise_segment_list(pd.Series(["光纤激光器；EQP-CUT", "激光炮", None]))
    >>> s.tolist()[0], s.isna().tolist(), bad.tolist()[1]
    ('LSR-FIBER;EQP-CUT', [False, True, True], '激光炮')
    """
    lookup = segment_lookup()
    out: dict[object, object] = {}
    bad: dict[object, object] = {}
    for raw in pd.unique(values.dropna()):
        items = [i for i in SEGMENT_SEPARATORS.split(str(raw)) if i]
        codes = [lookup.get(i, lookup.get(i.lower())) for i in items]
        unknown = [i for i, c in zip(items, codes, strict=True) if c is None]
        if unknown:
            bad[raw] = unknown[0]
            out[raw] = None
        else:
            out[raw] = ";".join(dict.fromkeys(c for c in codes if c)) or None
    return (
        values.map(out).astype(object).where(values.notna(), None),
        values.map(bad).astype(object).where(values.map(bad).notna(), None),
    )
