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
    from laser_policy.policy.model import load_policy

    return {s.code: s.name_zh for s in load_policy().chain.segments}




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
