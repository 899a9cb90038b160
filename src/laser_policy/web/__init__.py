"""The web app: server-rendered pages with Apache ECharts and a JSON API (FastAPI).

``create_app(settings)`` is the only entry point; nothing is built at import.
"""

from __future__ import annotations

from laser_policy.web.app import create_app
from laser_policy.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
