"""``/healthz``: is this worker up and its database reachable? No login, no data."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from laser_policy import __version__
from laser_policy.web.deps import State

pages = APIRouter()
#: no JSON twin under /api: the health check is itself JSON
api = APIRouter()
log = logging.getLogger(__name__)


@pages.get("/healthz")
def healthz(state: State) -> JSONResponse:
    """200 with ``{"status": "ok", "database": "ok", "version": …}``, or 503 when the
    database does not answer (the driver's message is logged, never shown)."""
    try:
        with state.accounts.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        database = "ok"
    except sa.exc.SQLAlchemyError as exc:
        log.warning("health check: database unreachable: %s", exc)
        database = "unreachable"
    ok = database == "ok"
    return JSONResponse(
        {"status": "ok" if ok else "error", "database": database, "version": __version__},
        status_code=200 if ok else 503,
        headers={"Cache-Control": "no-store"},
    )
