"""``targets.yaml`` ``actual:``: how a target's actual is computed, checked against the
monitoring's kinds (:mod:`laser_policy.monitoring.kinds`) and the data package's tables
(:mod:`laser_policy.contracts.tables`).

Every problem names the file and key path (``targets.yaml: targets[4].actual.column``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from laser_policy.contracts.tables import TABLES
from laser_policy.monitoring.kinds import KINDS
from laser_policy.policy.loader import Checker
from laser_policy.policy.records import Actual, Threshold

F = "targets.yaml"
_KEYS = ("table", "column", "laser_only", "in_region", "among", "group", "part", "where",
         "contains")
#: column types each role needs: numbers to add up, dates to count, true/false to share
_NUMERIC = ("int", "float")
_NEEDS = {
    "sum": _NUMERIC,
    "growth": _NUMERIC,
    "count_at_least": _NUMERIC,
    "count_since_start": ("date",),
    "share": ("bool",),
    "sum_whole_or_parts": _NUMERIC,
}


def read_actual(ck: Checker, path: str, raw: Any, threshold: Threshold | None) -> Actual:
    """The ``actual:`` block at ``path`` (e.g. ``targets[4].actual``)."""
    top = ck.mapping(F, path, raw, ("kind",), _KEYS)
    kind_name = ck.choice(F, f"{path}.kind", top["kind"], tuple(KINDS))
    kind = KINDS[kind_name]
    bad = False
    for key in _KEYS:
        if key in top and key not in kind.required + kind.optional:
            bad = True
            ck.add(F, f"{path}.{key}", f"种类 {kind_name} 不用此键",
                   f"kind {kind_name} takes no {key}")
    for key in kind.required:
        if key not in top:
            bad = True
            ck.add(F, f"{path}.{key}", f"种类 {kind_name} 必需此键",
                   f"kind {kind_name} needs {key}")
    if kind.threshold and threshold is None:
        bad = True
        ck.add(F, path, f"种类 {kind_name} 需要目标给出 threshold",
               f"kind {kind_name} needs the target's threshold")
    if bad:
        ck.skip()
    table = ck.string(F, f"{path}.table", top["table"]) if "table" in top else None
    columns: tuple[str, ...] = ()
    if table is not None:
        if table not in TABLES:
            ck.fail(F, f"{path}.table", f"数据包没有表 {table}（可用: {', '.join(TABLES)}）",
                    f"no table {table} in the data package (known: {', '.join(TABLES)})")
        columns = TABLES[table].column_names

    def column(key: str) -> str | None:
        if key not in top:
            return None
        name = ck.string(F, f"{path}.{key}", top[key])
        _known(ck, f"{path}.{key}", table, columns, name)
        return name

    def filters(key: str) -> MappingProxyType[str, str]:
        if key not in top:
            return MappingProxyType({})
        m = ck.mapping(F, f"{path}.{key}", top[key], (), tuple(top[key] or ()))
        out = {}
        for col, value in m.items():
            _known(ck, f"{path}.{key}.{col}", table, columns, str(col))
            out[str(col)] = ck.string(F, f"{path}.{key}.{col}", value)
        return MappingProxyType(out)

    actual = Actual(
        kind=kind_name,
        table=table,
        column=column("column"),
        laser_only=ck.boolean(F, f"{path}.laser_only", top["laser_only"])
        if "laser_only" in top else False,
        in_region=ck.boolean(F, f"{path}.in_region", top["in_region"])
        if "in_region" in top else False,
        among=column("among"),
        group=column("group"),
        part=column("part"),
        where=filters("where"),
        contains=filters("contains"),
    )
    _types(ck, path, actual)
    if (actual.laser_only or actual.in_region) and table is not None and "uscc" not in columns:
        ck.add(F, path, f"表 {table} 没有 uscc 列，不能按企业筛选",
               f"table {table} has no uscc column to choose firms by")
    return actual


def _known(ck: Checker, path: str, table: str | None, columns: tuple[str, ...],
           name: str) -> None:
    if name not in columns:
        ck.fail(F, path, f"表 {table} 没有列 {name}（可用: {', '.join(columns)}）",
                f"table {table} has no column {name} (known: {', '.join(columns)})")


def _types(ck: Checker, path: str, a: Actual) -> None:
    if a.table is None:
        return
    t = TABLES[a.table]
    needs = _NEEDS.get(a.kind)
    checks = [("column", a.column, needs)] if needs else []
    if a.kind == "share":
        checks.append(("among", a.among, ("bool",)))
    for key, name, kinds in checks:
        if name is not None and kinds is not None and t.column(name).kind not in kinds:
            ck.add(F, f"{path}.{key}",
                   f"列 {name} 的类型为 {t.column(name).kind}，"
                   f"种类 {a.kind} 需要 {'/'.join(kinds)}",
                   f"column {name} is {t.column(name).kind}; kind {a.kind} needs "
                   f"{'/'.join(kinds)}")
