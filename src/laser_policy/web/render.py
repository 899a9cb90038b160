"""Server-side rendering: the Jinja2 environment and the page context every template gets."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from laser_policy.web.auth import Principal
from laser_policy.web.csrf import FORM_FIELD, csrf_token
from laser_policy.web.i18n import catalog, translate


@cache
def templates() -> Jinja2Templates:
    folder = Path(str(resources.files("laser_policy.web").joinpath("templates")))
    env = Jinja2Templates(directory=folder)
    env.env.filters["tojson_safe"] = _json_for_script
    env.env.filters["num"] = _num
    return env


def _json_for_script(value: Any) -> Markup:
    """JSON safe inside <script type="application/json"> (no </script> break-out)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def incentive_label(models: Any, ident: str, lang: str) -> str:
    """``label（第<clause>条）`` (``label_en (<clause>)``) of incentive ``ident`` as the
    policies in force declare it; the id when none does."""
    for model in models:
        for inc in model.incentives:
            if inc.id == ident:
                if lang == "en":
                    return f"{inc.label_en} ({inc.clause})"
                return f"{inc.label}（第{inc.clause}条）"
    return ident


def lang_switch_url(request: Request, lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    params = dict(request.query_params)
    params["lang"] = other
    return f"{request.url.path}?{urlencode(params)}"


def render(
    request: Request,
    name: str,
    lang: str,
    *,
    user: Principal | None,
    synthetic: bool,
    status_code: int = 200,
    **ctx: Any,
) -> HTMLResponse:
    token = csrf_token(request)

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    def incentive_name(ident: str) -> str:
        """The incentive's name: the page's wording when it has one, else the label and
        clause its policy model declares (a city policy's incentives), else the id."""
        if f"incentive.{ident}" in catalog():
            return t(f"incentive.{ident}")
        return incentive_label(request.app.state.lp.models(), ident, lang)

    def csrf_field() -> Markup:
        return Markup(f'<input type="hidden" name="{FORM_FIELD}" value="{token}">')

    context = {
        "request": request,
        "lang": lang,
        "t": t,
        "incentive_name": incentive_name,
        "user": user,
        "synthetic": synthetic,
        "csrf_field": csrf_field,
        "csrf_token": token,
        "path": request.url.path,
        "lang_url": lang_switch_url(request, lang),
        **ctx,
    }
    return templates().TemplateResponse(request, name, context, status_code=status_code)
