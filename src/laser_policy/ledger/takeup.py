"""Take-up (应享尽享): entitlements not yet paid, and how long they have waited since computed."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from laser_policy.ledger.budget import ledger_frame

WAITING = ("computed", "reviewed", "approved")
TAKEUP_COLUMNS = ("id", "uscc", "name", "incentive", "year", "amount_wan", "payer_city",
                  "status", "computed_at", "waited_days")


def take_up(url: str | None, now: datetime | None = None) -> pd.DataFrame:
    """Unpaid (and not rejected) entitlements, longest wait first (``now`` naive means UTC)."""
    frame = ledger_frame(url, WAITING)
    if frame.empty:
        return pd.DataFrame(columns=list(TAKEUP_COLUMNS))
    at = pd.Timestamp(now or datetime.now(UTC))
    if at.tzinfo is None:  # SQLite hands timestamps back naive; they are UTC
        at = at.tz_localize("UTC")
    computed = pd.to_datetime(frame["computed_at"], utc=True)
    frame["computed_at"] = computed
    frame["waited_days"] = (at - computed).dt.days.astype("int64")
    out = frame[list(TAKEUP_COLUMNS)].sort_values(["waited_days", "id"], ascending=[False, True])
    return out.reset_index(drop=True)


def take_up_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per status: how many, how much, the longest and median wait in days."""
    if table.empty:
        return pd.DataFrame(columns=["status", "count", "amount_wan", "max_days", "median_days"])
    out = table.groupby("status", as_index=False).agg(
        count=("id", "size"), amount_wan=("amount_wan", "sum"),
        max_days=("waited_days", "max"), median_days=("waited_days", "median"))
    out["amount_wan"] = out["amount_wan"].round(2)
    return out
