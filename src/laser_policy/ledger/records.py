"""From the engine's entitlements table to ledger rows: natural keys, payer, result hash.

An entitlement's natural key is ``(uscc, incentive, role, item, period)``
(see :mod:`laser_policy.ledger.models`). ``item`` is the engine's ``ref`` (the
product, platform or project), or ``tier<n>`` for a revenue tier, which has no
ref. ``period`` is the year for incentives the engine pays once a year per item
(:data:`ANNUAL_INCENTIVES`, the engine's ``match_year=True``), else ``0``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from laser_policy.contracts.cities import normalise_city
from laser_policy.contracts.tables import TABLES
from laser_policy.ledger.models import NATURAL_KEY

#: incentives paid every year for the same item (十七: a platform, per year)
ANNUAL_INCENTIVES = frozenset({"service_platform"})
PROVINCE_ZH = "省级"
UNKNOWN_CITY_ZH = "市州未明"

_INCENTIVE_CHOICES = TABLES["awards"].column("incentive").choices
#: incentive id -> its Chinese name, from the data contract
INCENTIVE_ZH: dict[str, str] = {c: spellings[0] for c, spellings in _INCENTIVE_CHOICES}
ROLE_ZH = {"developer": "研制方", "user": "示范应用方", "": ""}


def _tier(steps: Any) -> int | None:
    for step in steps or ():
        if isinstance(step, Mapping) and step.get("step") == "tier":
            value = _json_ready(step.get("value"))
            return int(value) if value else None
    return None


def _json_ready(value: Any) -> Any:
    """Steps as strict JSON: NaN/inf as null, NumPy scalars as Python ones (recursively)."""
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def enterprise_cities(enterprises: pd.DataFrame | None) -> dict[str, str]:
    """uscc -> the full name of its Hubei city (enterprises without one are left out)."""
    if enterprises is None or enterprises.empty:
        return {}
    out: dict[str, str] = {}
    for uscc, city in zip(enterprises["uscc"], enterprises["city"], strict=True):
        name = normalise_city(str(city)) if _text(city) else None
        if name is not None and _text(uscc):
            out[str(uscc)] = name
    return out


def ledger_rows(table: pd.DataFrame, cities: Mapping[str, str]) -> list[dict[str, Any]]:
    """The engine's rows as ledger rows (without run, status and timestamps)."""
    rows: list[dict[str, Any]] = []
    for rec in table.to_dict("records"):
        incentive = str(rec["incentive"])
        ref = _text(rec.get("ref"))
        tier = _tier(rec.get("steps"))
        year = int(rec["year"])
        rows.append({
            "uscc": str(rec["uscc"]),
            "name": _text(rec.get("name")),
            "incentive": incentive,
            "role": _text(rec.get("role")) or "",
            "item": ref if ref is not None else f"tier{tier}",
            "period": year if incentive in ANNUAL_INCENTIVES else 0,
            "year": year,
            "ref": ref,
            "tier": tier,
            "amount_wan": float(rec["amount_wan"]),
            "province_wan": float(rec["province_wan"]),
            "city_wan": float(rec["city_wan"]),
            "payer_city": cities.get(str(rec["uscc"])),
            "clause": str(rec["clause"]),
            "explanation": str(rec["explanation"]),
            "steps": _json_ready(list(rec.get("steps") or [])),
            "rules_version": str(rec["rules_version"]),
        })
    return rows


def natural_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in NATURAL_KEY)


def result_hash(rows: list[dict[str, Any]]) -> str:
    """SHA-256 over every row's key, year and amounts, in key order (replay compares it)."""
    lines = sorted(
        "|".join(str(v) for v in natural_key(r))
        + f"|{r['year']}|{r['amount_wan']:.2f}|{r['province_wan']:.2f}|{r['city_wan']:.2f}"
        for r in rows
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def payer_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """Long form: one row per entitlement and payer (省级, or its city) with that payer's part.

    ``rows`` needs ``province_wan``, ``city_wan``, ``payer_city``; other columns are kept.
    """
    province = rows.assign(payer=PROVINCE_ZH, payer_wan=rows["province_wan"])
    city = rows.assign(payer=rows["payer_city"].fillna(UNKNOWN_CITY_ZH),
                       payer_wan=rows["city_wan"])
    both = pd.concat([province, city], ignore_index=True)
    return both[both["payer_wan"] > 0].reset_index(drop=True)
