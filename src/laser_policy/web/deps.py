"""FastAPI dependencies as ``Annotated`` aliases: routes declare what they need.

Most are ``async`` because they are cheap (attribute reads): FastAPI runs sync
dependencies in its thread pool, one hop each. ``get_principal`` is sync: it asks the
database on every request whether the session is still live (so a logout, a disabled
account or a changed password takes effect at once, in every worker).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import pandas as pd
from fastapi import Depends, Request

from laser_policy.errors import InputError
from laser_policy.web.access import Scope
from laser_policy.web.auth import Principal
from laser_policy.web.data import WebData
from laser_policy.web.i18n import LANG_COOKIE, Lang, choose_lang
from laser_policy.web.services import incentives
from laser_policy.web.services.policy import PolicyInfo
from laser_policy.web.sessions import SESSION_TOKEN
from laser_policy.web.state import AppState


class LoginRequiredError(Exception):
    """No valid session: pages redirect to /login, the API answers 401."""


class PasswordChangeRequiredError(Exception):
    """An admin reset the password: pages redirect to the password page, the API 403."""


PASSWORD_PAGE = "/account/password"
#: what a user who must change the password may still reach
PASSWORD_CHANGE_PATHS = frozenset(
    {PASSWORD_PAGE, "/logout", "/api/logout", "/api/me", "/api/account/password"}
)


NUL_REFUSED = "请求中含有NUL字符（\\0），已拒绝 / the request contains a NUL character: refused"
_JSON_TYPES = ("application/json",)
#: multipart bodies (uploads) are left to their readers: parsing them here would read the
#: whole upload before the route's own size budget
_FORM_TYPES = ("application/x-www-form-urlencoded",)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


async def refuse_nul(request: Request) -> None:
    """Application-wide dependency: a NUL character anywhere in the path, the query, a
    url-encoded form field or a JSON string is refused (HTTP 400) before any route or
    database sees it (PostgreSQL cannot store NUL in text, and no input of this platform
    needs one)."""
    if "\x00" in request.url.path or _has_nul(list(request.query_params.values())):
        raise InputError(NUL_REFUSED)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    kind = request.headers.get("content-type", "")
    if kind.startswith(_FORM_TYPES):
        form = await request.form()
        if _has_nul([v for v in form.values() if isinstance(v, str)]):
            raise InputError(NUL_REFUSED)
    elif kind.startswith(_JSON_TYPES):
        body = await request.body()
        if b"\x00" in body or (b"\\u0000" in body.lower() and _has_nul(_json(body))):
            raise InputError(NUL_REFUSED)


def _json(body: bytes) -> Any:
    import json

    try:
        return json.loads(body)
    except ValueError:
        return None


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.lp
    return state


State = Annotated[AppState, Depends(get_state)]


def get_principal(request: Request, state: State) -> Principal:
    principal = state.accounts.session_principal(request.session.get(SESSION_TOKEN))
    if principal is None:
        raise LoginRequiredError
    request.state.principal = principal
    if principal.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequiredError
    return principal


CurrentUser = Annotated[Principal, Depends(get_principal)]


async def get_scope(user: CurrentUser) -> Scope:
    return Scope(user)


UserScope = Annotated[Scope, Depends(get_scope)]


async def get_lang(request: Request) -> Lang:
    return choose_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


Language = Annotated[Lang, Depends(get_lang)]


def get_data(state: State) -> WebData:
    """The current snapshot (sync: a reload after an import reads the database)."""
    data = state.data.current()
    forced = state.settings.synthetic
    if forced is not None and forced != data.synthetic:
        return replace(data, synthetic=forced)
    return data


Data = Annotated[WebData, Depends(get_data)]


async def get_policy(state: State) -> PolicyInfo | None:
    return state.policy()


Policy = Annotated[PolicyInfo | None, Depends(get_policy)]


def get_entitlements(state: State, data: Data) -> pd.DataFrame | None:
    """The entitlements of the current snapshot (computed once; sync: runs in the pool)."""
    result: pd.DataFrame | None = state.cached(
        ("entitlements", data.version), lambda: incentives.compute(data, state.model())
    )
    return result


Entitlements = Annotated[pd.DataFrame | None, Depends(get_entitlements)]
