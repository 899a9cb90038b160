"""Concurrency: two computations, or two "mark paid", at the same moment.

Each thread has its own engine and connection; a barrier lines them up so both
reach the database together. On PostgreSQL the second waits on the first's
unique-index entries (computations) or row lock (payments) and then finds the
work done; on SQLite ``BEGIN IMMEDIATE`` serialises the writers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ledger_packages import count_rows

from laser_policy.errors import LedgerError
from laser_policy.ledger.budget import ledger_frame
from laser_policy.ledger.records import natural_key
from laser_policy.ledger.service import (
    PreparedRun,
    RunResult,
    approve,
    pay,
    record_run,
    review,
)
from laser_policy.store.db import upgrade


def _race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each outcome is a result or an exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def work(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = calls[i]()
        except Exception as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def test_two_computations_at_once_create_one_entitlement_per_key(
        db_url: str, prepared: PreparedRun) -> None:
    upgrade(db_url)
    outcomes = _race(lambda: record_run(db_url, prepared, "甲（示例）"),
                     lambda: record_run(db_url, prepared, "乙（示例）"))
    runs = [o for o in outcomes if isinstance(o, RunResult)]
    errors = [o for o in outcomes if not isinstance(o, RunResult)]
    assert all(isinstance(e, LedgerError) for e in errors), errors
    assert runs, errors
    assert sum(r.inserted for r in runs) == len(prepared.rows)
    assert sorted(r.inserted for r in runs)[0] == 0 or len(runs) == 1
    stored = ledger_frame(db_url)
    assert len(stored) == len(prepared.rows)
    keys = [natural_key({str(k): v for k, v in r.items()}) for r in stored.to_dict("records")]
    assert len(set(keys)) == len(keys)


def test_two_payments_at_once_pay_once(ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    target = run.inserted_ids[0]
    review(url, [target], "张审核（示例）")
    approve(url, [target], "李批准（示例）")
    outcomes = _race(lambda: pay(url, [target], "赵出纳（示例）"),
                     lambda: pay(url, [target], "钱出纳（示例）"))
    paid = [o for o in outcomes if o == [target]]
    refused = [o for o in outcomes if isinstance(o, LedgerError)]
    assert (len(paid), len(refused)) == (1, 1), outcomes
    assert count_rows(url, "payments")["payments"] == 1
    row = ledger_frame(url).set_index("id").loc[target]
    assert row["status"] == "paid"
