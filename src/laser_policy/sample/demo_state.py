"""The demo as a realistic mid-year state (synthetic): progress reports and a worked ledger.

``laser-policy demo`` calls :func:`write_demo_state` after importing the sample package,
so every page shows what it is for instead of an empty state:

- **progress reports** for the latest ended reporting period: most units on time, some
  late (handed in after the due day), some blocked, some reporting "done" on a measure
  the data contradicts, and a few not reported at all (red, 逾期未报);
- **the ledger**: the incentive engine's entitlements recorded, then some reviewed,
  approved, paid and rejected with a reason, by different demo accounts (the approver
  is never the reviewer).

Every narrative and reason carries the synthetic marker（示例）. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from laser_policy.policy.model import PolicyModel
from laser_policy.tasks.contradictions import CONTRADICTIONS
from laser_policy.tasks.reports import Submission, submit
from laser_policy.tasks.schedule import ScheduleSettings, assignments, latest_ended

MARK = "（示例）"
#: shares of the (measure, unit) assignments: (kind, share); the rest is not reported
REPORT_MIX = (("on_time", 0.62), ("late", 0.14), ("blocked", 0.08))
#: shares of the ledger's entitlements moved to each state (the rest stays computed)
LEDGER_MIX = (("reviewed", 0.2), ("approved", 0.15), ("paid", 0.15), ("rejected", 0.1))
NARRATIVES = {
    "in_progress": "已制定工作方案，正在组织实施，部分任务按计划推进",
    "done": "本期任务已完成，相关材料已归档",
    "blocked": "因配套资金尚未到位，项目招标推迟",
}
REJECT_REASONS = (
    "申报材料缺少审计报告",
    "企业营收数据与统计口径不一致，请核实后重报",
    "同一项目已获其他省级专项资金支持",
)
#: the demo accounts that act on the ledger (``cli/web.py`` demo_accounts)
REVIEWER, APPROVER, PAYER = "taskforce", "jxt", "admin"


@dataclass(frozen=True)
class DemoState:
    period: str
    reports: int
    late: int
    missing: int
    ledger: dict[str, int]


def _moment(day: dt.date, hour: int) -> dt.datetime:
    # 10:00 / 15:00 Beijing time as UTC
    return dt.datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=dt.UTC)


def write_reports(url: str, seed: int, today: dt.date | None = None, *,
                  model: PolicyModel) -> tuple[str, int, int, int]:
    """Synthetic progress reports for the latest ended period; (period, reports, late,
    missing). "done" is reported on the measures a contradiction rule checks, so the
    data can contradict it."""
    settings = ScheduleSettings.from_env()
    today = today or dt.date.today()
    period = latest_ended(today, settings.frequency)
    due = period.due(settings)
    checked = {c.measure for c in CONTRADICTIONS}
    rng = random.Random(seed)
    on_time: list[Submission] = []
    late: list[Submission] = []
    missing = 0
    for a in assignments(model):
        draw = rng.random()
        kind = next((k for k, share in _cumulative(REPORT_MIX) if draw < share), None)
        if kind is None:
            missing += 1
            continue
        status = "blocked" if kind == "blocked" else (
            "done" if a.numeral in checked or rng.random() < 0.3 else "in_progress")
        sub = Submission(a.measure, a.unit, str(period), status, NARRATIVES[status] + MARK)
        (late if kind == "late" else on_time).append(sub)
    now = dt.datetime.now(dt.UTC)
    early = min(_moment(due - dt.timedelta(days=rng.randint(2, 9)), 10), now)
    after = min(_moment(due + dt.timedelta(days=rng.randint(3, 12)), 15), now)
    for subs, when in ((on_time, early), (late, after)):
        if subs:
            submit(subs, url, user="demo", model=model, settings=settings, now=when)
    late_count = len(late) if after.date() > due else 0
    return str(period), len(on_time) + len(late), late_count, missing


def _cumulative(mix: tuple[tuple[str, float], ...]) -> list[tuple[str, float]]:
    out, total = [], 0.0
    for kind, share in mix:
        total += share
        out.append((kind, total))
    return out


def work_ledger(url: str, ids: list[int], seed: int) -> dict[str, int]:
    """Move shares of the entitlements ``ids`` through review, approval, payment and
    rejection (with a reason); returns how many ended in each state."""
    from laser_policy.ledger.transitions import transition

    rng = random.Random(seed)
    shuffled = sorted(ids)
    rng.shuffle(shuffled)
    counts: dict[str, int] = {}
    start = 0
    for state, share in LEDGER_MIX:
        n = int(len(shuffled) * share)
        chosen = shuffled[start:start + n]
        start += n
        counts[state] = len(chosen)
        if not chosen:
            continue
        if state == "rejected":
            for i, group in enumerate(_chunks(chosen, len(REJECT_REASONS))):
                if group:
                    transition(url, group, "reject", REVIEWER, REJECT_REASONS[i] + MARK)
            continue
        transition(url, chosen, "review", REVIEWER)
        if state in ("approved", "paid"):
            transition(url, chosen, "approve", APPROVER)
        if state == "paid":
            transition(url, chosen, "pay", PAYER)
    counts["computed"] = len(shuffled) - start
    return counts


def _chunks(items: list[int], n: int) -> list[list[int]]:
    return [items[i::n] for i in range(n)]
