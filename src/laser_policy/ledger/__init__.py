"""The incentive ledger: what was computed, reviewed, approved and paid, by whom and when.

Public surface (everything else is internal):

- :func:`run_computation` / :func:`prepare_run` + :func:`record_run` — a frozen run;
- :func:`review`, :func:`approve`, :func:`pay`, :func:`reject`, :func:`select_ids`;
- :func:`replay` — reproduce a past run on the same package;
- :func:`budget`, :func:`forecast`, :func:`what_if`, :func:`take_up`, :func:`export_approved`.
"""

from __future__ import annotations

from laser_policy.ledger.budget import budget, forecast
from laser_policy.ledger.excel import export_approved
from laser_policy.ledger.replay import replay
from laser_policy.ledger.service import (
    approve,
    pay,
    prepare_run,
    record_run,
    reject,
    review,
    run_computation,
    select_ids,
)
from laser_policy.ledger.takeup import take_up
from laser_policy.ledger.whatif import what_if

__all__ = [
    "approve", "budget", "export_approved", "forecast", "pay", "prepare_run", "record_run",
    "reject", "replay", "review", "run_computation", "select_ids", "take_up", "what_if",
]
