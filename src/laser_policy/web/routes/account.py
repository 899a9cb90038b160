"""账号 Account: each user's own password change (forced after an admin's reset)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from laser_policy.errors import InputError
from laser_policy.web.auth import Principal
from laser_policy.web.deps import PASSWORD_PAGE, CurrentUser, Language, State
from laser_policy.web.render import render
from laser_policy.web.schemas import Message
from laser_policy.web.sessions import SESSION_TOKEN

pages = APIRouter()
api = APIRouter(tags=["账号 account"])

FLASH = "flash"
PasswordField = Annotated[str, Form(max_length=1000)]


class PasswordChange(BaseModel):
    current: str = Field(max_length=1000, description="当前密码 / the current password")
    new: str = Field(max_length=1000, description="新密码 / the new password")


def _change(request: Request, state: State, user: Principal, current: str, new: str) -> None:
    request.state.audit_target = f"password:{user.username}"
    state.accounts.change_password(
        user.username,
        new,
        user,
        current=current,
        keep_session=request.session.get(SESSION_TOKEN),
    )


def _page(
    request: Request, user: Principal, lang: str, *, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "account.html",
        lang,
        user=user,
        synthetic=False,
        error=error,
        flash=request.session.pop(FLASH, None),
        forced=user.must_change_password,
        active="account",
        status_code=status,
    )


@pages.get(PASSWORD_PAGE)
def password_page(request: Request, *, user: CurrentUser, lang: Language) -> Response:
    return _page(request, user, lang)


@pages.get("/account")
def account_page(request: Request, *, user: CurrentUser, lang: Language) -> Response:
    return _page(request, user, lang)


@pages.post(PASSWORD_PAGE)
async def password_form(
    request: Request,
    *,
    state: State,
    user: CurrentUser,
    lang: Language,
    current: PasswordField,
    new: PasswordField,
    confirm: PasswordField,
) -> Response:
    if new != confirm:
        return _page(request, user, lang, error="两次输入的新密码不一致 / the two new "
                     "passwords differ", status=400)
    try:
        await run_in_threadpool(_change, request, state, user, current, new)
    except InputError as exc:
        return _page(request, user, lang, error=str(exc), status=400)
    request.session[FLASH] = {"kind": "ok", "text": "密码已修改 / password changed"}
    return RedirectResponse("/account" if not user.must_change_password else "/",
                            status_code=303)


@api.post(
    "/account/password",
    response_model=Message,
    responses={400: {"description": "密码不符合要求 / refused"}},
)
def api_password(
    request: Request, body: PasswordChange, *, state: State, user: CurrentUser
) -> Message:
    """Change your own password (other sessions are ended; this one stays)."""
    _change(request, state, user, body.current, body.new)
    return Message(message="密码已修改 / password changed")
