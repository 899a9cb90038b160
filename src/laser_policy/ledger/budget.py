"""Budget by payer (省级 and each city) and year: committed in the ledger, and forecast.

Committed is what the ledger holds approved or paid (paid shown apart), pending
what is computed or reviewed. The forecast is the revenue-milestone money (十八)
next year would cost if firms keep growing as they have:

1. each firm's growth is the compound annual growth of its revenue over its last
   ``growth_years`` years (fewer when it has fewer; none with one year or a
   non-positive base), clipped to ``[min_growth, max_growth]`` so one odd year
   does not dominate — a deliberately simple, documented method;
2. next year's revenue is the latest revenue times ``1 + growth``;
3. the projected year is added to the panel and the ENGINE computes who would
   cross a tier not yet reached and what they would be due (晋档补差, window,
   inclusive threshold and split all from the policy model). A forecast year
   outside the policy window costs nothing, as the policy says.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from laser_policy.contracts.cities import HUBEI_DIVISIONS
from laser_policy.ledger.models import ENTITLEMENTS, require_ledger
from laser_policy.ledger.records import (
    PROVINCE_ZH,
    enterprise_cities,
    ledger_rows,
    natural_key,
    payer_shares,
)
from laser_policy.store.db import make_engine

BUDGET_COLUMNS = ("payer", "year", "committed_wan", "paid_wan", "pending_wan", "forecast_wan")


def ledger_frame(url: str | None, statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The ledger's entitlements (all columns), optionally of some statuses only."""
    query = sa.select(ENTITLEMENTS).order_by(ENTITLEMENTS.c.id)
    if statuses:
        query = query.where(ENTITLEMENTS.c.status.in_(statuses))
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            require_ledger(conn)
            rows = conn.execute(query).mappings().all()
    finally:
        engine.dispose()
    return pd.DataFrame([dict(r) for r in rows], columns=list(ENTITLEMENTS.c.keys()))


def committed(url: str | None) -> pd.DataFrame:
    """Per payer and year: committed (approved + paid), paid, pending (computed + reviewed)."""
    frame = ledger_frame(url, ("computed", "reviewed", "approved", "paid"))
    cols = ["payer", "year", "committed_wan", "paid_wan", "pending_wan"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    long = payer_shares(frame)
    long["committed_wan"] = long["payer_wan"].where(long["status"].isin(["approved", "paid"]), 0.0)
    long["paid_wan"] = long["payer_wan"].where(long["status"] == "paid", 0.0)
    long["pending_wan"] = long["payer_wan"].where(long["status"].isin(["computed", "reviewed"]),
                                                  0.0)
    out = long.groupby(["payer", "year"], as_index=False)[cols[2:]].sum()
    return out.round(2)[cols]


@dataclass
class Forecast:
    year: int
    firms: pd.DataFrame  # uscc, name, city, revenue_wan, growth, projected_wan, amount_wan, …
    by_payer: pd.DataFrame  # payer, year, forecast_wan
    in_window: bool


def project_revenue(financials: pd.DataFrame, *, growth_years: int = 3,
                    min_growth: float = -0.3, max_growth: float = 0.5) -> pd.DataFrame:
    """Per firm with revenue in the panel's latest year: growth and next year's revenue."""
    fin = financials[["uscc", "year", "revenue_wan"]].dropna().copy()
    fin["year"] = fin["year"].astype("int64")
    fin["revenue_wan"] = fin["revenue_wan"].astype("float64")
    latest = int(fin["year"].max())
    last = fin[fin["year"] == latest].set_index("uscc")["revenue_wan"]
    hist = fin[(fin["year"] < latest) & (fin["year"] >= latest - growth_years)]
    first = hist.sort_values("year").groupby("uscc").first()
    base = first.reindex(last.index)
    span = (latest - base["year"]).astype("float64")
    ok = (base["revenue_wan"] > 0) & (span > 0) & (last > 0)
    ratio = (last / base["revenue_wan"]).where(ok)
    growth = (pd.Series(np.power(ratio, 1.0 / span), index=ratio.index) - 1.0).clip(
        min_growth, max_growth).fillna(0.0)
    out = pd.DataFrame({"uscc": last.index, "revenue_wan": last.to_numpy(),
                        "growth": growth.to_numpy(), "years_used": span.fillna(0).to_numpy()})
    out["year"] = latest + 1
    out["projected_wan"] = (out["revenue_wan"] * (1.0 + out["growth"])).round(2)
    return out


def forecast(tables: Mapping[str, pd.DataFrame], model: Any, *,
             growth_years: int = 3, min_growth: float = -0.3, max_growth: float = 0.5,
             engine: str = "duckdb",
             exclude: Collection[tuple[Any, ...]] = ()) -> Forecast:
    """Revenue-milestone money next year would cost, per firm and per payer.

    ``exclude``: natural keys already in the ledger (their money is already counted).
    """
    from laser_policy.rules import compute_entitlements
    from laser_policy.rules.parameters import parameters_from_model

    fin = tables["financials"]
    proj = project_revenue(fin, growth_years=growth_years, min_growth=min_growth,
                           max_growth=max_growth)
    year = int(proj["year"].iloc[0]) if len(proj) else int(fin["year"].max()) + 1
    params = parameters_from_model(model, year)
    window = params.revenue_milestone
    extra = pd.DataFrame({"uscc": proj["uscc"], "year": proj["year"],
                          "revenue_wan": proj["projected_wan"],
                          "laser_revenue_wan": proj["projected_wan"]})
    panel = dict(tables)
    panel["financials"] = pd.concat([fin, extra.astype({"year": fin["year"].dtype})],
                                    ignore_index=True)
    due = compute_entitlements(panel, params=params, year=year, engine=engine)
    due = due[due["incentive"] == "revenue_milestone"]
    cities = enterprise_cities(tables.get("enterprises"))
    keys = [natural_key(r) for r in ledger_rows(due, cities)]
    known = set(exclude)
    keep = pd.Series([k not in known for k in keys], index=due.index, dtype=bool)
    due = due.assign(item=[k[3] for k in keys]).loc[keep]
    firms = due[["uscc", "name", "item", "amount_wan", "province_wan", "city_wan",
                 "explanation"]].merge(proj, on="uscc", how="left")
    firms["payer_city"] = firms["uscc"].map(cities)
    by_payer = payer_shares(firms).groupby(["payer", "year"], as_index=False).agg(
        forecast_wan=("payer_wan", "sum"))
    return Forecast(year, firms.sort_values("amount_wan", ascending=False).reset_index(drop=True),
                    by_payer.round(2),
                    window.window_start_year <= year <= window.window_end_year)


def budget(url: str | None, tables: Mapping[str, pd.DataFrame] | None = None,
           model: Any = None, **forecast_options: Any) -> tuple[pd.DataFrame, Forecast | None]:
    """The budget table (``BUDGET_COLUMNS``) and, given the package tables, the forecast."""
    table = committed(url)
    fc = None
    if tables is not None:
        ledger = ledger_frame(url)
        known = {natural_key({str(k): v for k, v in r.items()})
                 for r in ledger.to_dict("records")}
        fc = forecast(tables, model, exclude=known, **forecast_options)
    if fc is not None and not fc.by_payer.empty:
        table = table.merge(fc.by_payer, on=["payer", "year"], how="outer")
    for col in BUDGET_COLUMNS:
        if col not in table.columns:
            table[col] = 0.0
    table = table[list(BUDGET_COLUMNS)].fillna(0.0)
    return sort_payers(table).reset_index(drop=True), fc


def sort_payers(table: pd.DataFrame) -> pd.DataFrame:
    """省级 first, then cities in the official order, then anything else; by year."""
    order = {PROVINCE_ZH: 0, **{c: i + 1 for i, c in enumerate(HUBEI_DIVISIONS)}}
    rank = table["payer"].map(lambda p: order.get(p, len(order)))
    return table.assign(_rank=rank).sort_values(["_rank", "payer", "year"]).drop(columns="_rank")
