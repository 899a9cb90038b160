"""项目 Projects and 报告 Reports: major projects (``tasks.projects``) and the monitoring
report (``laser_policy.reports``) over the current data snapshot."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from laser_policy.web.access import Scope
from laser_policy.web.data import WebData

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel


#: one LibreOffice conversion at a time per process; a failed one is tried again
_PDF_LOCK = threading.Lock()
PDF_ATTEMPTS = 3

PROJECT_COLUMNS = (
    "project_id",
    "policy_project",
    "clauses",
    "name",
    "uscc",
    "enterprise",
    "city",
    "year",
    "investment_wan",
    "completed_investment_wan",
    "completion_rate",
    "stage",
    "planned_completion",
    "status",
    "status_zh",
    "delay_days",
    "reason",
)


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def projects(data: WebData, scope: Scope, model: PolicyModel) -> dict[str, Any]:
    """Major projects in the scope: investment, completion, milestones, delay with reason."""
    from laser_policy.tasks.projects import major_projects

    frame = major_projects(data.package(), model, dt.date.today())
    frame = scope.filter_located(frame) if len(frame) else frame
    items = [{k: _clean(r.get(k)) for k in PROJECT_COLUMNS} for r in frame.to_dict("records")]
    by_status: dict[str, int] = {}
    for item in items:
        by_status[str(item["status_zh"])] = by_status.get(str(item["status_zh"]), 0) + 1
    invest = sum(float(i["investment_wan"] or 0) for i in items)
    done = sum(float(i["completed_investment_wan"] or 0) for i in items)
    return {
        "items": items,
        "by_status": [{"status": k, "count": v} for k, v in by_status.items()],
        "investment_wan": round(invest, 2),
        "completed_investment_wan": round(done, 2),
    }


def report_years(data: WebData) -> list[int]:
    years = data.financials["year"].dropna().astype(int).unique().tolist()
    return sorted(years, reverse=True)


def monitoring_report(data: WebData, year: int, fmt: str, model: PolicyModel) -> bytes:
    """The monitoring report for ``year`` as .docx or .pdf (PDF through LibreOffice)."""
    from laser_policy.reports.content import build_content
    from laser_policy.reports.docx_writer import to_pdf, write_docx

    content = build_content(data.package(), model, year)
    with tempfile.TemporaryDirectory() as tmp:
        docx = write_docx(content, Path(tmp) / "report.docx")
        if fmt == "docx":
            return docx.read_bytes()
        with _PDF_LOCK:
            for attempt in range(1, PDF_ATTEMPTS + 1):
                try:
                    return to_pdf(docx, Path(tmp) / "report.pdf").read_bytes()
                except (subprocess.SubprocessError, OSError):
                    if attempt == PDF_ATTEMPTS:
                        raise
        raise AssertionError("unreachable")
