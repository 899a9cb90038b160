"""The overview: targets with actuals, the map by city, the enterprise ladder, money.

The targets' actuals, trajectories, forecasts and statuses are the monitoring
module's (``laser_policy.monitoring``), so the page, ``laser-policy monitor`` and the
monitoring report show the same figures; targets, thresholds and clauses come from
the policy model. The monitoring is imported with the app, not on the first request
(it brings scipy, about 2 s to import).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from laser_policy.contracts.cities import PACKAGED_REGION
from laser_policy.monitoring.actuals import actual_series
from laser_policy.monitoring.kinds import KINDS
from laser_policy.monitoring.kpis import monitor
from laser_policy.monitoring.status import STATUS_ZH, StatusRule
from laser_policy.web.access import Scope
from laser_policy.web.data import WebData
from laser_policy.web.i18n import translate
from laser_policy.web.services.incentives import money_by_payer
from laser_policy.web.services.policy import PolicyInfo, TargetInfo

if TYPE_CHECKING:
    from laser_policy.io.package import Package
    from laser_policy.policy.model import PolicyModel

#: unit conversion (not a policy number): 1 亿元 = 10,000 万元
WAN_PER_YI = 10_000
#: display choice of the ladder: firms at or above this share of the lowest
#: revenue-milestone threshold are shown as "approaching"
LADDER_APPROACH_SHARE = 0.5
LADDER_MAX_ROWS = 30


def _yi(wan: float) -> float:
    return round(float(wan) / WAN_PER_YI, 2)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _visible(data: WebData, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    ents = scope.filter_enterprises(data.enterprises)
    ents = ents[ents["is_laser"].astype(bool)]
    fin = data.financials[data.financials["uscc"].isin(set(ents["uscc"]))]
    return ents, fin


# ------------------------------------------------------------------------- targets
#
# The whole province: every target's row of ``monitoring.kpis.monitor`` as of the
# latest data year (actual, trajectory, forecast, status and the rule's reason), the
# same rows as ``laser-policy monitor`` and the monitoring report. A city or an
# enterprise: the same actual functions over its own firms, shown as a contribution
# (a province target is not judged against a part of the province).

#: display precision (not policy numbers): 亿元 to 0.01 (= 1 万元), other figures to 1e-4
DIGITS = {"currency-CNY-yi": 2}
DEFAULT_DIGITS = 4
PROBABILITY_DIGITS = 3
FIGURES = ("actual", "trajectory", "forecast", "forecast_lower", "forecast_upper")

#: monitor() rows by (kpi, year)
KpiRows = Mapping[tuple[str, int], Mapping[str, Any]]


def status_rule() -> StatusRule:
    """The monitoring's status rule, with its settings' defaults (as the report uses it)."""
    return StatusRule()


#: memoises a computation on the snapshot by key (the app's ``AppState.cached``)
Memo = Callable[[tuple[Any, ...], Callable[[], Any]], Any]


def _compute(_key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """No memo: compute every time."""
    return compute()


def monitor_rows(data: WebData, model: PolicyModel, year: int | None) -> KpiRows:
    """``monitor()``'s rows as of ``year``, as read-only records keyed by (kpi, year)."""
    frame = monitor(data.package(), model, year=year, rule=status_rule())
    if frame.empty:
        return MappingProxyType({})
    return MappingProxyType(
        {
            (str(r["kpi"]), int(r["year"])): MappingProxyType({str(k): v for k, v in r.items()})
            for r in frame.to_dict("records")
        }
    )


def _status_label(status: str, lang: str) -> str:
    if lang == "zh" and status in STATUS_ZH:
        return STATUS_ZH[status]
    return translate(f"status.{status}", lang)


def _round(value: Any, digits: int) -> float | None:
    number = _num(value)
    return None if number is None else round(number, digits)


def _figures(
    year: int | None,
    target: float | None,
    status: str,
    reason: str,
    unit: str,
    lang: str,
    row: Mapping[str, Any] | None = None,
    actual: float | None = None,
) -> dict[str, Any]:
    """One year of one target: a monitor row's figures, or just an actual."""
    digits = DIGITS.get(unit, DEFAULT_DIGITS)
    source: Mapping[str, Any] = row if row is not None else {"actual": actual}
    return {
        "year": year,
        "target": target,
        **{name: _round(source.get(name), digits) for name in FIGURES},
        "probability": _round(source.get("probability"), PROBABILITY_DIGITS),
        "status": status,
        "status_zh": _status_label(status, "zh"),
        "status_label": _status_label(status, lang),
        "reason": reason,
    }


def _head(target: TargetInfo, lang: str) -> dict[str, Any]:
    return {
        "id": target.id,
        "label": target.label(lang),
        "clause": target.clause,
        "unit": target.unit,
        "kind": target.kind,
        "comparison": target.comparison,
    }


def _province_targets(
    data: WebData, policy: PolicyInfo, model: PolicyModel, latest: int | None, lang: str,
    memo: Memo,
) -> list[dict[str, Any]]:
    # one monitor() per snapshot (the ETS fits take about a second), whatever the scope or language
    rows: KpiRows = memo(
        ("monitor", data.version, model.version, latest),
        lambda: monitor_rows(data, model, latest),
    )
    missing = translate("overview.reason_not_monitored", lang)

    def figures(target: TargetInfo, year: int | None) -> dict[str, Any]:
        row = rows.get((target.id, year)) if year is not None else None
        goal = target.values.get(year) if year is not None else None
        if row is None:
            return _figures(year, goal, "no_data", missing, target.unit, lang)
        return _figures(
            year, goal, str(row["status"]), str(row["reason"]), target.unit, lang, row=row
        )

    return [
        _head(target, lang)
        | {
            "years": [figures(target, year) for year in sorted(target.values)],
            "latest": figures(target, latest),
        }
        for target in policy.targets
    ]


def _scoped_package(data: WebData, usccs: set[str]) -> Package:
    """The snapshot's package restricted to the enterprises ``usccs`` (every table with
    a ``uscc`` column; the others are kept as they are)."""
    full = data.package()
    # the codes as the package spells them (the snapshot's own are normalised)
    codes = {c for c in full.get("enterprises")["uscc"].dropna() if str(c).strip().upper() in usccs}
    tables = {
        name: frame[frame["uscc"].isin(codes)] if "uscc" in frame.columns else frame
        for name, frame in full.tables.items()
    }
    scoped: Package = replace(full, tables=tables)
    return scoped


def _scope_series(
    target_id: str, model: PolicyModel, pkg: Package, latest: int | None, lang: str
) -> tuple[pd.Series, str]:
    """A target's actuals over the scope's firms, or an empty series and why not."""
    model_target = next((t for t in model.targets if t.id == target_id), None)
    if model_target is None or model_target.actual is None:
        return pd.Series(dtype=float), translate("overview.reason_no_function", lang)
    # only kinds that add up over firms (or are ratios over them) mean something for a
    # city's or an enterprise's firms; the others are measured for the whole region only
    if not KINDS[model_target.actual.kind].divisible:
        return pd.Series(dtype=float), translate("overview.reason_province_only", lang)
    computed = actual_series(pkg, model, model_target)
    series = (computed if computed is not None else pd.Series(dtype=float)).dropna()
    if latest is not None:
        series = series[series.index <= latest]
    return series, translate("overview.reason_no_year_data", lang)


def _scope_figures(
    target: TargetInfo,
    year: int | None,
    series: pd.Series,
    why_not: str,
    contribution: str,
    lang: str,
) -> dict[str, Any]:
    goal = target.values.get(year) if year is not None else None
    if year is None or year not in series.index:
        return _figures(year, goal, "no_data", why_not, target.unit, lang)
    actual = float(series[year])
    return _figures(year, goal, "contribution", contribution, target.unit, lang, actual=actual)


def _scope_targets(
    pkg: Package,
    policy: PolicyInfo,
    model: PolicyModel,
    latest: int | None,
    lang: str,
    scope_label: str,
) -> list[dict[str, Any]]:
    contribution = translate("overview.reason_contribution", lang, scope=scope_label)
    out = []
    for target in policy.targets:
        series, why_not = _scope_series(target.id, model, pkg, latest, lang)
        years = [*sorted(target.values), latest]
        rows = [_scope_figures(target, y, series, why_not, contribution, lang) for y in years]
        out.append(_head(target, lang) | {"years": rows[:-1], "latest": rows[-1]})
    return out


def _scale_series(
    pkg: Package, policy: PolicyInfo | None, model: PolicyModel | None, latest: int | None
) -> dict[str, Any]:
    """Industry scale by year (the monitoring's actual, over the scope's firms) and target."""
    target = policy.target("industry_scale") if policy else None
    model_target = (
        next((t for t in model.targets if t.id == "industry_scale"), None) if model else None
    )
    computed = actual_series(pkg, model, model_target) if model and model_target else None
    actual = computed if computed is not None else pd.Series(dtype=float)
    if latest is not None:
        actual = actual[actual.index <= latest]
    years = sorted({int(y) for y in actual.index} | set(target.values if target else {}))
    return {
        "years": years,
        "actual_yi": [round(float(actual[y]), 2) if y in actual.index else None for y in years],
        "target_yi": [target.values.get(y) if target else None for y in years],
        "clause": target.clause if target else None,
    }


def _map(ents: pd.DataFrame, fin: pd.DataFrame, latest: int | None,
         divisions: tuple[str, ...]) -> list[dict[str, Any]]:
    counts = ents.groupby("city").size()
    last = fin[fin["year"] == latest] if latest is not None else fin.iloc[0:0]
    by_city = (
        last.merge(ents[["uscc", "city"]], on="uscc").groupby("city")["laser_revenue_wan"].sum()
    )
    return [
        {
            "city": city,
            "enterprises": int(counts.get(city, 0)),
            "laser_revenue_yi": _yi(by_city.get(city, 0.0)),
        }
        for city in divisions
    ]


def _ladder(
    ents: pd.DataFrame, fin: pd.DataFrame, latest: int | None, policy: PolicyInfo | None
) -> dict[str, Any]:
    thresholds = sorted(policy.milestone_thresholds_wan) if policy else []
    if latest is None or not thresholds:
        return {"year": latest, "thresholds_yi": [_yi(t) for t in thresholds], "rows": []}
    last = fin[fin["year"] == latest][["uscc", "revenue_wan"]].dropna()
    last = last[last["revenue_wan"] >= thresholds[0] * LADDER_APPROACH_SHARE]
    last = last.merge(ents[["uscc", "name", "city"]], on="uscc")
    last = last.sort_values("revenue_wan", ascending=False).head(LADDER_MAX_ROWS)
    rows = []
    for rec in last.itertuples(index=False):
        revenue = float(rec.revenue_wan)  # type: ignore[arg-type]
        reached = [t for t in thresholds if revenue >= t]
        nxt = next((t for t in thresholds if revenue < t), None)
        rows.append(
            {
                "uscc": rec.uscc,
                "name": rec.name,
                "city": rec.city,
                "revenue_yi": _yi(revenue),
                "reached_yi": _yi(reached[-1]) if reached else None,
                "next_tier_yi": _yi(nxt) if nxt is not None else None,
                "gap_yi": _yi(nxt - revenue) if nxt is not None else None,
            }
        )
    return {
        "year": latest,
        "thresholds_yi": [_yi(t) for t in thresholds],
        "clause": policy.milestone_clause if policy else None,
        "rows": rows,
    }


def _scope_label(data: WebData, scope: Scope, lang: str) -> str:
    label = scope.label(lang)
    if scope.principal.uscc and not scope.sees_all_enterprises:
        names = data.enterprises.loc[data.enterprises["uscc"] == scope.principal.uscc, "name"]
        return str(names.iloc[0]) if len(names) else label
    return label


def _divisions(model: PolicyModel | None) -> tuple[str, ...]:
    """The divisions the map shows: the policy's region (the packaged one without a model)."""
    region = model.region if model is not None and model.region is not None else PACKAGED_REGION
    return region.division_names


def overview(
    data: WebData,
    scope: Scope,
    policy: PolicyInfo | None,
    lang: str,
    *,
    model: PolicyModel | None,
    entitlements: pd.DataFrame | None = None,
    memo: Memo = _compute,
) -> dict[str, Any]:
    """Everything the overview page shows, for one scope (``memo``: the app's cache)."""
    ents, fin = _visible(data, scope)
    years = sorted(int(y) for y in fin["year"].dropna().unique())
    latest = years[-1] if years else None
    last = fin[fin["year"] == latest] if latest is not None else fin.iloc[0:0]
    patents = _num(last["invention_patents"].sum()) if not last.empty else None
    model = model if policy is not None else None
    judged = scope.sees_all_enterprises
    # a scope's package holds all its enterprises: the actual functions pick the laser
    # firms themselves, exactly as they do for the whole province
    pkg = (
        data.package()
        if judged
        else _scoped_package(data, set(scope.filter_enterprises(data.enterprises)["uscc"]))
    )
    label = _scope_label(data, scope, lang)
    targets: list[dict[str, Any]] = []
    if policy is not None and model is not None:
        targets = (
            _province_targets(data, policy, model, latest, lang, memo)
            if judged
            else _scope_targets(pkg, policy, model, latest, lang, label)
        )
    return {
        "scope": label,
        "synthetic": data.synthetic,
        "latest_year": latest,
        "kpis": {
            "enterprises": len(ents),
            "laser_revenue_yi": _yi(last["laser_revenue_wan"].sum()) if latest else None,
            "invention_patents": int(patents) if patents is not None else None,
        },
        "targets": targets,
        "targets_judged": judged,
        "status_rule": status_rule().describe_zh() if judged else None,
        "scale": _scale_series(pkg, policy, model, latest),
        "map": _map(ents, fin, latest, _divisions(model)),
        "ladder": _ladder(ents, fin, latest, policy),
        "money": money_by_payer(entitlements, data, scope),
        "policy_version": policy.version if policy else None,
    }
