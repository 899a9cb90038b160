"""The incentive ledger: what was computed, reviewed, approved and paid, by whom and when.

Public surface (everything else is internal), imported lazily so that
``laser_policy.ledger.models`` stays light for the store to import:

- :func:`run_computation` / :func:`prepare_run` + :func:`record_run` — a frozen run;
- :func:`review`, :func:`approve`, :func:`pay`, :func:`reject`, :func:`select_ids`;
- :func:`replay` — reproduce a past run on the same package;
- :func:`budget`, :func:`forecast`, :func:`what_if`, :func:`take_up`, :func:`export_approved`.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "approve": "service", "pay": "service", "prepare_run": "service", "record_run": "service",
    "reject": "service", "review": "service", "run_computation": "service",
    "select_ids": "service", "budget": "budget", "forecast": "budget",
    "export_approved": "excel", "replay": "replay", "take_up": "takeup", "what_if": "whatif",
}
__all__ = [
    "approve", "budget", "export_approved", "forecast", "pay", "prepare_run", "record_run",
    "reject", "replay", "review", "run_computation", "select_ids", "take_up", "what_if",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'laser_policy.ledger' has no attribute {name!r}")
    return getattr(importlib.import_module(f"laser_policy.ledger.{_WHERE[name]}"), name)
