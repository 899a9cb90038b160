"""computed → reviewed → approved → paid (or rejected): the rules, the audit, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ledger_packages import count_rows

from laser_policy.errors import LedgerError, NotFoundError
from laser_policy.ledger.audit import entitlement_history
from laser_policy.ledger.models import ENTITLEMENTS, NATURAL_KEY, PAYMENTS
from laser_policy.ledger.service import (
    RunResult,
    approve,
    pay,
    reject,
    review,
    select_ids,
)
from laser_policy.store.db import make_engine


def _row(url: str, entitlement_id: int) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(sa.select(ENTITLEMENTS).where(
                ENTITLEMENTS.c.id == entitlement_id)).mappings().one())
    finally:
        engine.dispose()


def _history(url: str, entitlement_id: int) -> list[dict[str, Any]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return entitlement_history(conn, entitlement_id)
    finally:
        engine.dispose()


def test_the_reviewer_cannot_approve_what_they_reviewed(ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    first = run.inserted_ids[0]
    review(url, [first], "张审核（示例）")
    with pytest.raises(LedgerError, match="审核人与批准人不能是同一人"):
        approve(url, [first], "张审核（示例）")
    assert _row(url, first)["status"] == "reviewed"
    approve(url, [first], "李批准（示例）")
    assert _row(url, first)["approved_by"] == "李批准（示例）"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(ledger: tuple[str, RunResult], reason: str) -> None:
    url, run = ledger
    first = run.inserted_ids[0]
    with pytest.raises(LedgerError, match="驳回须填写理由"):
        reject(url, [first], "王复核（示例）", reason)
    assert _row(url, first)["status"] == "computed"


def test_a_rejection_with_a_reason_is_kept(ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    first = run.inserted_ids[0]
    reject(url, [first], "王复核（示例）", "营业收入数据待核实")
    row = _row(url, first)
    assert (row["status"], row["rejected_reason"], row["rejected_by"]) == (
        "rejected", "营业收入数据待核实", "王复核（示例）")
    with pytest.raises(LedgerError, match="不能审核"):
        review(url, [first], "张审核（示例）")


def test_every_transition_is_an_audit_record_with_before_and_after(
        ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    first = run.inserted_ids[0]
    review(url, [first], "张审核（示例）")
    approve(url, [first], "李批准（示例）")
    pay(url, [first], "赵出纳（示例）")
    history = _history(url, first)
    assert [h["action"] for h in history] == ["compute", "review", "approve", "pay"]
    assert [h["user_name"] for h in history[1:]] == ["张审核（示例）", "李批准（示例）",
                                                      "赵出纳（示例）"]
    statuses = [(h["before"] or {}).get("status") for h in history]
    assert statuses == [None, "computed", "reviewed", "approved"]
    assert [h["after"]["status"] for h in history] == ["computed", "reviewed", "approved", "paid"]
    assert history[2]["after"]["approved_by"] == "李批准（示例）"
    assert history[2]["before"]["approved_by"] is None
    row = _row(url, first)
    assert all(history[-1]["key"][k] == row[k] for k in NATURAL_KEY)
    assert count_rows(url, "payments")["payments"] == 1


def test_bulk_transitions_are_all_or_nothing(ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    a, b, c = run.inserted_ids[:3]
    review(url, [a], "张审核（示例）")
    audit_before = count_rows(url, "audit_log")
    with pytest.raises(LedgerError, match=f"#{a}"):
        review(url, [a, b, c], "张审核（示例）")
    assert [_row(url, i)["status"] for i in (b, c)] == ["computed", "computed"]
    assert count_rows(url, "audit_log") == audit_before
    with pytest.raises(NotFoundError):
        review(url, [b, 10**9], "张审核（示例）")
    assert _row(url, b)["status"] == "computed"
    every = select_ids(url, status="computed")
    review(url, every, "张审核（示例）")
    assert select_ids(url, status="computed") == []
    assert len(select_ids(url, status="reviewed")) == run.inserted


def test_the_database_refuses_a_second_payment_even_past_the_code(
        ledger: tuple[str, RunResult]) -> None:
    url, run = ledger
    first = run.inserted_ids[0]
    review(url, [first], "张审核（示例）")
    approve(url, [first], "李批准（示例）")
    pay(url, [first], "赵出纳（示例）")
    with pytest.raises(LedgerError, match="不能支付"):
        pay(url, [first], "钱出纳（示例）")
    row = _row(url, first)
    engine = make_engine(url)
    try:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.insert(PAYMENTS).values(
                entitlement_id=first, **{k: row[k] for k in NATURAL_KEY},
                amount_wan=row["amount_wan"], province_wan=row["province_wan"],
                city_wan=row["city_wan"], payer_city=row["payer_city"],
                paid_by="绕过检查（示例）", paid_at=row["computed_at"]))
    finally:
        engine.dispose()
    assert count_rows(url, "payments")["payments"] == 1
