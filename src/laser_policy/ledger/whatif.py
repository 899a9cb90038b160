"""What-if: change any incentive parameter and see the budget move, without the ledger.

The scenario is ``model.with_overrides({...})`` (the policy model checks
each value: unit, shape, ascending tiers, shares in [0, 1]); baseline and
scenario are computed by the engine on the same package and compared per payer
(省级 and each city) and year, and per firm and incentive. Nothing is written
anywhere: the ledger database is not even opened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import yaml

from laser_policy.errors import UsageError
from laser_policy.ledger.budget import sort_payers
from laser_policy.ledger.records import enterprise_cities, payer_shares


def parse_value(text: str) -> Any:
    """A ``--set`` value: YAML (``0.6``, ``[400000, 800000]``, ``true``) or ``a,b,c`` numbers.

    >>> parse_value("0.6"), parse_value("400000,800000,1600000"), parse_value("[1, 2]")
    (0.6, [400000, 800000, 1600000], [1, 2])
    """
    stripped = text.strip()
    if "," in stripped and not stripped.startswith("["):
        return [yaml.safe_load(part) for part in stripped.split(",")]
    return yaml.safe_load(stripped)


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["name=value", …]`` as overrides for ``PolicyModel.with_overrides``."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set 应写作 参数名=值：{item!r} / --set takes name=value")
        try:
            out[name.strip()] = parse_value(value)
        except yaml.YAMLError as exc:
            raise UsageError(f"--set {item!r}：值无法解析 / cannot read the value") from exc
    if not out:
        raise UsageError("至少需要一个 --set 参数名=值 / give at least one --set name=value")
    return out


@dataclass
class WhatIf:
    overrides: dict[str, Any]
    by_payer: pd.DataFrame  # payer, year, baseline_wan, scenario_wan, change_wan
    #: uscc, name, incentive, baseline_wan, scenario_wan, change_wan, province_change_wan,
    #: city_change_wan — every firm whose money or its split changes
    firms: pd.DataFrame

    @property
    def total_change_wan(self) -> float:
        return round(float(self.by_payer["change_wan"].sum()), 2) if len(self.by_payer) else 0.0


def _compare(base: pd.DataFrame, scen: pd.DataFrame, keys: list[str],
             value: str) -> pd.DataFrame:
    left = base.groupby(keys, as_index=False, dropna=False)[value].sum()
    right = scen.groupby(keys, as_index=False, dropna=False)[value].sum()
    both = left.merge(right, on=keys, how="outer", suffixes=("_base", "_scen")).fillna(
        {f"{value}_base": 0.0, f"{value}_scen": 0.0})
    both = both.rename(columns={f"{value}_base": "baseline_wan", f"{value}_scen": "scenario_wan"})
    both["baseline_wan"] = both["baseline_wan"].round(2)
    both["scenario_wan"] = both["scenario_wan"].round(2)
    both["change_wan"] = (both["scenario_wan"] - both["baseline_wan"]).round(2)
    return pd.DataFrame(both)


def what_if(tables: Mapping[str, pd.DataFrame], overrides: Mapping[str, Any], *,
            model: Any, year: int | None = None, engine: str = "duckdb") -> WhatIf:
    """Baseline vs scenario: the budget per payer and year, and the firms whose money changes."""
    from laser_policy.rules import compute_entitlements

    scenario_model = model.with_overrides(dict(overrides))
    cities = enterprise_cities(tables.get("enterprises"))
    frames = []
    for m in (model, scenario_model):
        table = compute_entitlements(tables, m, year=year, engine=engine)
        frames.append(table.assign(payer_city=table["uscc"].map(cities)))
    base, scen = frames
    by_payer = sort_payers(_compare(payer_shares(base), payer_shares(scen), ["payer", "year"],
                                    "payer_wan"))
    keys = ["uscc", "name", "incentive"]
    firms = _compare(base, scen, keys, "amount_wan")
    for share in ("province_wan", "city_wan"):
        part = _compare(base, scen, keys, share)[[*keys, "change_wan"]]
        firms = firms.merge(part.rename(columns={"change_wan": f"{share[:-4]}_change_wan"}),
                            on=keys, how="outer")
    changed = (firms[["change_wan", "province_change_wan", "city_change_wan"]] != 0).any(axis=1)
    firms = firms[changed].sort_values(["change_wan", "province_change_wan"],
                                       key=lambda s: s.abs(), ascending=False)
    return WhatIf(dict(overrides), by_payer.reset_index(drop=True), firms.reset_index(drop=True))
