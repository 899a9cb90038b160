"""The ``progress_reports`` table (督办进展报告), on the store's declarative base.

One row per measure, unit and period: a later submission for the same three updates
the row (``revision`` counts submissions) and leaves an audit row in ``audit_log``.
``measure`` is the measure's number (18 for 十八); ``unit`` the unit's name as the
policy model writes it (省经信厅); ``period`` as :mod:`laser_policy.tasks.schedule`
defines it (``2025Q3``). ``figures`` holds named numbers (``{"兑现企业数": 3}``),
``attachments`` a list of ``{"name": file name, "sha256": hex digest}``.
``first_submitted_at`` is kept so that a late correction of a report that came in on
time is not counted as late.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from laser_policy.store.models import Base, Json

#: report status codes and their Chinese names, in order of progress
STATUSES: dict[str, str] = {
    "not_started": "未开始",
    "in_progress": "推进中",
    "done": "已完成",
    "blocked": "受阻",
}


class ProgressReport(Base):
    __tablename__ = "progress_reports"
    __table_args__ = (
        UniqueConstraint("measure", "unit", "period", name="uq_progress_reports_measure"),
        CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'blocked')",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    measure: Mapped[int]
    unit: Mapped[str] = mapped_column(String(64), index=True)
    period: Mapped[str] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(16))
    narrative: Mapped[str]
    figures: Mapped[dict[str, Any]] = mapped_column(Json)
    attachments: Mapped[list[dict[str, str]]] = mapped_column(Json)
    submitted_by: Mapped[str] = mapped_column(String(128))
    submitted_at: Mapped[datetime]
    first_submitted_at: Mapped[datetime]
    due_date: Mapped[date]
    revision: Mapped[int]


PROGRESS_REPORTS: Table = Base.metadata.tables["progress_reports"]
