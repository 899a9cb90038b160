"""Running the app under uvicorn: one process, or a supervisor with N worker processes.

Workers are uvicorn's own (``uvicorn.run(..., workers=N)``): each worker imports
``laser_policy.web.serving:app_from_env`` and builds the app from the ``LASER_POLICY_*``
variables, which ``serve`` sets before starting them. No extra dependency (gunicorn is not
in the lock); uvicorn's supervisor restarts a worker that dies and, on SIGINT/SIGTERM, stops
accepting connections and lets each worker finish its requests in flight (up to
``graceful_s`` seconds) before exiting 0.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

#: how long a worker waits for requests in flight on shutdown (seconds)
GRACEFUL_S = 20
FACTORY = "laser_policy.web.serving:app_from_env"


def app_from_env() -> Any:
    """The app for one worker, settings from the environment (uvicorn ``factory=True``)."""
    from laser_policy.web import WebSettings, create_app

    return create_app(WebSettings.from_env())


def run(
    app: Any,
    host: str,
    port: int,
    *,
    workers: int = 1,
    environ: Mapping[str, str] | None = None,
    graceful_s: int = GRACEFUL_S,
) -> None:
    """Serve ``app`` in this process (``workers == 1``), or start ``workers`` processes that
    each build their own app from the environment (``environ`` is added to it first)."""
    import uvicorn

    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "proxy_headers": False,
        "timeout_graceful_shutdown": graceful_s,
    }
    if workers <= 1:
        uvicorn.run(app, **common)
        return
    os.environ.update(environ or {})
    uvicorn.run(FACTORY, factory=True, workers=workers, **common)
