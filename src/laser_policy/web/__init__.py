"""The web app: server-rendered pages with Apache ECharts and a JSON API (FastAPI).

``create_app(settings)`` is the only entry point; nothing is built at import. Both names
load lazily (module ``__getattr__``), so ``laser-policy users`` and the ledger CLI, which
use ``laser_policy.web.accounts`` only, do not import the pages and their services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from laser_policy.web.app import create_app
    from laser_policy.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from laser_policy.web.app import create_app

        return create_app
    if name == "WebSettings":
        from laser_policy.web.settings import WebSettings

        return WebSettings
    raise AttributeError(f"module 'laser_policy.web' has no attribute {name!r}")
