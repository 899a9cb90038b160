"""Log in and out (form and JSON)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from laser_policy.web.auth import Principal
from laser_policy.web.csrf import SESSION_KEY, csrf_token
from laser_policy.web.deps import CurrentUser, Language, State
from laser_policy.web.i18n import translate
from laser_policy.web.render import render
from laser_policy.web.schemas import CsrfToken, LoginIn, Me, Message
from laser_policy.web.sessions import SESSION_TOKEN

pages = APIRouter()
api = APIRouter(tags=["会话 session"])


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _attempt(
    request: Request, state: State, username: str, password: str
) -> Principal | float | None:
    """A principal, the seconds to wait when rate-limited, or None for wrong credentials."""
    wait = state.limiter.take(_ip(request), username)
    if wait > 0:
        request.state.audit_target = f"login:{username}"[:200]
        return wait
    principal = state.accounts.authenticate(username, password)
    request.state.audit_target = f"login:{username}"[:200]
    if principal is None:
        return None
    request.session.clear()
    request.session[SESSION_TOKEN] = state.accounts.open_session(
        principal, state.settings.session_max_age_s, _ip(request)
    )
    csrf_token(request)
    request.state.principal = principal
    return principal


def _me(p: Principal) -> Me:
    return Me(
        username=p.username,
        role=p.role.value,
        display_name=p.display_name,
        city=p.city,
        uscc=p.uscc,
        unit=p.unit,
        must_change_password=p.must_change_password,
    )


@pages.get("/login")
def login_page(request: Request, *, lang: Language, next: str = "/") -> Response:
    return render(
        request, "login.html", lang, user=None, synthetic=False, next=_safe_next(next), error=None
    )


@pages.post("/login")
def login_form(
    *,
    request: Request,
    state: State,
    lang: Language,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    result = _attempt(request, state, username, password)
    if isinstance(result, Principal):
        return RedirectResponse(_safe_next(next), status_code=303)
    if isinstance(result, float):
        response = render(
            request,
            "login.html",
            lang,
            user=None,
            synthetic=False,
            next=_safe_next(next),
            error=translate("login.rate_limited", lang),
            status_code=429,
        )
        response.headers["Retry-After"] = str(math.ceil(result))
        return response
    return render(
        request,
        "login.html",
        lang,
        user=None,
        synthetic=False,
        next=_safe_next(next),
        error=translate("login.failed", lang),
        status_code=401,
    )


def _logout(request: Request, state: State, user: Principal) -> None:
    """End the session in the database (a copy of the cookie stops working) and here."""
    request.state.audit_target = f"logout:{user.username}"
    state.accounts.close_session(request.session.pop(SESSION_TOKEN, None))


@pages.post("/logout")
def logout_form(request: Request, *, state: State, user: CurrentUser) -> Response:
    _logout(request, state, user)
    request.session.pop(SESSION_KEY, None)
    return RedirectResponse("/login", status_code=303)


@api.get("/csrf", response_model=CsrfToken)
def api_csrf(request: Request) -> CsrfToken:
    """The session's CSRF token (starts a session when there is none)."""
    return CsrfToken(csrf_token=csrf_token(request))


@api.post("/login", response_model=Me, responses={401: {"model": Message}, 429: {"model": Message}})
def api_login(request: Request, *, state: State, body: LoginIn) -> Response | Me:
    result = _attempt(request, state, body.username, body.password)
    if isinstance(result, Principal):
        return _me(result)
    if isinstance(result, float):
        return JSONResponse(
            {"message": "登录尝试过于频繁 / too many login attempts"},
            status_code=429,
            headers={"Retry-After": str(math.ceil(result))},
        )
    return JSONResponse(
        {"message": "用户名或密码错误 / wrong user name or password"}, status_code=401
    )


@api.post("/logout", response_model=Message)
def api_logout(request: Request, *, state: State, user: CurrentUser) -> Message:
    _logout(request, state, user)
    return Message(message="已退出 / logged out")


@api.get("/me", response_model=Me)
def api_me(*, user: CurrentUser) -> Me:
    return _me(user)
