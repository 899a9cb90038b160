"""What each role may see and do: the ONE place where access rules live.

Pages and the JSON API both go through ``Scope``; the data layer filters with it,
so a rule changed here changes everywhere at once.

| role        | enterprises            | budget / money          | measures it reports on      |
|-------------|------------------------|-------------------------|-----------------------------|
| admin       | all                    | all payers              | all (and manages users)     |
| taskforce   | all                    | all payers              | all                         |
| department  | all                    | all payers              | those it leads or shares    |
| city        | those in its city      | its own (city) share    | none                        |
| enterprise  | itself only            | its own (both shares)   | none                        |

Incentive ledger (奖补): task force and admin compute, review, approve, pay, reject and
export; departments see everything read-only and may run what-ifs; a city sees the
entitlements it co-pays (``payer_city``) and runs what-ifs on its own share; an
enterprise sees its own entitlements only. Data packages (数据) are imported by
the task force and admin only; everyone may download the empty template. A policy
model is drafted from an uploaded document (政策) by every role but an enterprise.

An enterprise outside the scope is reported as *not found* (HTTP 404), so that
its existence is not disclosed.

Industry chain (产业链) and matchmaking (供需对接) for a city: matchmaking needs a
directory of firms across the province, so a city sees every offer's firm name, city,
segment, title, match score and shared terms. It does not see what belongs to other
cities' firms: their credit codes, their purchase or supply amounts (the amounts in a
hit's history and reason), nor, among attraction targets, the province's purchase
amounts from each outside supplier, the buyers count and the local substitutes list
(local firms with their sales). Firms of its own city are shown in full. Province-wide
aggregates per segment (local supply rate, weak-link reasons) stay visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from laser_policy.web.auth import Principal, Role


class ForbiddenError(Exception):
    """The user is logged in but may not do this (HTTP 403)."""


_ALL_ENTERPRISES = frozenset({Role.ADMIN, Role.TASKFORCE, Role.DEPARTMENT})
#: attraction-target fields a city does not see (province purchase amounts, substitutes)
_TARGET_DETAILS = ("amount_wan", "share_of_outside", "buyers_count", "substitutes")


@dataclass(frozen=True)
class Scope:
    """The visibility of one principal."""

    principal: Principal

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def sees_all_enterprises(self) -> bool:
        return self.role in _ALL_ENTERPRISES

    @property
    def key(self) -> str:
        """A cache key: principals with equal keys see exactly the same data."""
        if self.sees_all_enterprises:
            return "all"
        if self.role is Role.CITY:
            return f"city:{self.principal.city}"
        return f"enterprise:{self.principal.uscc}"

    def label(self, lang: str) -> str:
        """What the user is looking at, e.g. "全省" / "武汉市" / the enterprise's code."""
        if self.sees_all_enterprises:
            return "全省" if lang == "zh" else "Whole province"
        if self.role is Role.CITY:
            return self.principal.city or ""
        return self.principal.uscc or ""

    def filter_enterprises(self, enterprises: pd.DataFrame) -> pd.DataFrame:
        """The rows of an enterprises frame (columns ``uscc``, ``city``) this scope may see."""
        if self.sees_all_enterprises:
            return enterprises
        if self.role is Role.CITY:
            return enterprises[enterprises["city"] == self.principal.city]
        return enterprises[enterprises["uscc"] == self.principal.uscc]

    def filter_by_uscc(
        self, frame: pd.DataFrame, visible_uscc: Iterable[str], column: str = "uscc"
    ) -> pd.DataFrame:
        """Rows of any per-enterprise frame restricted to visible enterprises."""
        if self.sees_all_enterprises:
            return frame
        return frame[frame[column].isin(set(visible_uscc))]

    def can_see_enterprise(self, uscc: str, city: str | None) -> bool:
        if self.sees_all_enterprises:
            return True
        if self.role is Role.CITY:
            return city is not None and city == self.principal.city
        return uscc == self.principal.uscc

    def sees_payer(self, payer: str) -> bool:
        """Budget lines by payer (``province`` or a city name) over the visible enterprises.

        A city sees its own share only; an enterprise sees both shares of its own money.
        """
        if self.role is Role.CITY:
            return payer == self.principal.city
        return True

    @property
    def money_column(self) -> str:
        """Which amount of an entitlement counts in this scope's budget: a city's share
        (``city_wan``) for a city, the whole amount (``amount_wan``) otherwise."""
        return "city_wan" if self.role is Role.CITY else "amount_wan"

    def can_report_measure(
        self, lead_units: Iterable[str], responsible_units: Iterable[str]
    ) -> bool:
        """A department reports on measures it leads or shares; task force and admin on all."""
        if self.role in (Role.ADMIN, Role.TASKFORCE):
            return True
        if self.role is Role.DEPARTMENT and self.principal.unit:
            unit = self.principal.unit
            return unit in set(lead_units) or unit in set(responsible_units)
        return False

    @property
    def can_decide_incentives(self) -> bool:
        """Compute into the ledger, review, approve, pay, reject, export the approved list."""
        return self.role in (Role.ADMIN, Role.TASKFORCE)

    @property
    def can_run_what_if(self) -> bool:
        return self.role is not Role.ENTERPRISE

    def filter_ledger(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Ledger rows (``uscc``, ``payer_city``) this scope may see."""
        if self.sees_all_enterprises:
            return frame
        if self.role is Role.CITY:
            return frame[frame["payer_city"] == self.principal.city]
        return frame[frame["uscc"] == self.principal.uscc]

    def ledger_condition(self, entitlements: Any) -> Any:
        """:meth:`filter_ledger` as a SQL condition on the ledger's ``entitlements`` table
        (a city with no city set, an enterprise with no code: no rows)."""
        import sqlalchemy as sa

        if self.sees_all_enterprises:
            return sa.true()
        if self.role is Role.CITY:
            city = self.principal.city
            return entitlements.c.payer_city == city if city else sa.false()
        uscc = self.principal.uscc
        return entitlements.c.uscc == uscc if uscc else sa.false()

    def require(self, allowed: bool) -> None:
        """Raise ``ForbiddenError`` (HTTP 403) unless ``allowed``."""
        if not allowed:
            raise ForbiddenError

    @property
    def can_see_measures(self) -> bool:
        """The 措施 page (progress reports and flags): task force, admin, departments."""
        return self.role in (Role.ADMIN, Role.TASKFORCE, Role.DEPARTMENT)

    def filter_located(
        self, frame: pd.DataFrame, uscc: str = "uscc", city: str = "city"
    ) -> pd.DataFrame:
        """Rows of a frame that carry an enterprise and a city (projects, …) in this scope."""
        if self.sees_all_enterprises:
            return frame
        if self.role is Role.CITY:
            return frame[frame[city] == self.principal.city]
        return frame[frame[uscc] == self.principal.uscc]

    @property
    def can_see_chain(self) -> bool:
        """The 产业链 page: everyone but an enterprise account (a city sees its own supply)."""
        return self.role is not Role.ENTERPRISE

    @property
    def can_generate_reports(self) -> bool:
        """The province-wide monitoring report (报告): task force, admin, departments."""
        return self.sees_all_enterprises

    @property
    def can_see_evaluation(self) -> bool:
        """政策效果评估: compares firms across the province, so only roles seeing them all."""
        return self.sees_all_enterprises

    @property
    def can_import_data(self) -> bool:
        """Upload and import data packages (数据)."""
        return self.role in (Role.ADMIN, Role.TASKFORCE)

    @property
    def can_draft_policy(self) -> bool:
        """Draft a policy model from an uploaded document (政策 page): every role but an
        enterprise account (a city drafts its local policy); nothing is stored."""
        return self.role is not Role.ENTERPRISE

    @property
    def can_manage_users(self) -> bool:
        return self.role is Role.ADMIN

    def sees_firm_details(self, city: object) -> bool:
        """Credit codes and money of a firm in ``city`` (chain pages, matchmaking)."""
        if self.sees_all_enterprises:
            return True
        return self.role is Role.CITY and city is not None and city == self.principal.city

    def filter_chain_targets(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Attraction targets: a city sees the suppliers (directory), not the amounts the
        province's firms buy from them nor the substitutes list."""
        if self.sees_all_enterprises:
            return rows
        return [{**r, **dict.fromkeys(_TARGET_DETAILS)} for r in rows]

    def filter_match_hits(self, hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Matchmaking hits: another city's firm keeps its directory entry (name, city,
        segment, title, score, shared terms); its credit code and amounts are removed."""
        if self.sees_all_enterprises:
            return hits
        out = []
        for hit in hits:
            if self.sees_firm_details(hit.get("city")):
                out.append(hit)
                continue
            reason = "；".join(
                part for part in str(hit.get("reason_zh") or "").split("；") if "万元" not in part
            )
            out.append({**hit, "uscc": None, "history_wan": None, "reason_zh": reason or "无"})
        return out
