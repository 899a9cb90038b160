"""账号管理 and 审计 (admin role only): accounts and the web audit log.

Create, edit role and scope (city / enterprise credit code / department unit), disable,
re-enable, reset the password (a temporary one, shown once, changed at next login),
unlock. Each action is audited by ``Accounts`` with the admin as actor.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from laser_policy.errors import InputError, NotFoundError
from laser_policy.web.access import Scope
from laser_policy.web.accounts import NewUser, temporary_password
from laser_policy.web.auth import Role
from laser_policy.web.deps import Language, State, UserScope
from laser_policy.web.render import render

pages = APIRouter()
api = APIRouter(tags=["账号管理 admin"])

FLASH = "flash"
Name = Annotated[str, Path(min_length=1, max_length=100, description="用户名 / user name")]
Text = Annotated[str, Form(max_length=200)]
Action = Literal["disable", "enable", "reset", "unlock"]
AUDIT_PAGE_SIZE = 100
ROLES = [r.value for r in Role]


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    role: Literal["admin", "taskforce", "department", "city", "enterprise"]
    password: str = Field(default="", max_length=1000,
                          description="留空则生成临时密码 / empty: a temporary one is issued")
    display_name: str = Field(default="", max_length=200)
    city: str | None = Field(default=None, max_length=50)
    uscc: str | None = Field(default=None, max_length=40)
    unit: str | None = Field(default=None, max_length=100)


class ScopeIn(BaseModel):
    role: Literal["admin", "taskforce", "department", "city", "enterprise"]
    display_name: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=50)
    uscc: str | None = Field(default=None, max_length=40)
    unit: str | None = Field(default=None, max_length=100)


def _admin(scope: Scope) -> None:
    scope.require(scope.can_manage_users)


def _create(state: State, scope: Scope, body: UserIn) -> dict[str, Any]:
    password = body.password or temporary_password()
    created = state.accounts.create_user(
        NewUser(
            body.username,
            password,
            Role(body.role),
            body.display_name,
            city=body.city or None,
            uscc=body.uscc or None,
            unit=body.unit or None,
            must_change_password=not body.password,
        ),
        scope.principal,
    )
    return {"username": created.username, "temporary_password": None if body.password
            else password}


def _act(state: State, scope: Scope, name: str, action: str) -> str | None:
    accounts, actor = state.accounts, scope.principal
    if action in ("disable", "enable"):
        if action == "disable" and accounts_name(name) == actor.username:
            raise InputError("不能停用自己的账号 / you cannot disable your own account")
        accounts.set_active(name, action == "enable", actor)
    elif action == "unlock":
        accounts.unlock(name, actor)
    elif action == "reset":
        return accounts.reset_password(name, actor)
    else:
        raise InputError(f"未知操作 {action!r} / unknown action")
    return None


def accounts_name(name: str) -> str:
    from laser_policy.web.passwords import normalise_username

    return normalise_username(name.strip())


def _page(request: Request, state: State, scope: Scope, lang: str, *, error: str | None = None,
          issued: dict[str, Any] | None = None, status: int = 200) -> Response:
    return render(
        request,
        "admin.html",
        lang,
        user=scope.principal,
        synthetic=False,
        accounts=state.accounts.accounts(),
        roles=ROLES,
        error=error,
        issued=issued,
        flash=request.session.pop(FLASH, None),
        active="admin",
        status_code=status,
    )


@pages.get("/admin")
def admin_page(request: Request, *, state: State, scope: UserScope, lang: Language) -> Response:
    _admin(scope)
    return _page(request, state, scope, lang)


@pages.post("/admin/users")
async def create_form(
    request: Request,
    *,
    state: State,
    scope: UserScope,
    lang: Language,
    username: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(max_length=1000)] = "",
    display_name: Text = "",
    city: Text = "",
    uscc: Text = "",
    unit: Text = "",
) -> Response:
    _admin(scope)
    request.state.audit_target = f"user:{username}"[:200]
    if role not in ROLES:
        return _page(request, state, scope, lang, error=f"角色无效 / unknown role: {role}",
                     status=400)
    body = UserIn(username=username, role=role, password=password,  # type: ignore[arg-type]
                  display_name=display_name, city=city, uscc=uscc, unit=unit)
    try:
        made = await run_in_threadpool(_create, state, scope, body)
    except InputError as exc:
        return _page(request, state, scope, lang, error=str(exc), status=400)
    if made["temporary_password"]:
        return _page(request, state, scope, lang, issued=made)
    request.session[FLASH] = {"kind": "ok", "text": f"已新增账号 / added: {made['username']}"}
    return RedirectResponse("/admin", status_code=303)


@pages.post("/admin/users/{name}/edit")
async def edit_form(
    request: Request,
    name: Name,
    *,
    state: State,
    scope: UserScope,
    lang: Language,
    role: Annotated[str, Form(max_length=20)],
    display_name: Text = "",
    city: Text = "",
    uscc: Text = "",
    unit: Text = "",
) -> Response:
    _admin(scope)
    request.state.audit_target = f"user:{name}"
    try:
        await run_in_threadpool(
            lambda: state.accounts.update_user(
                name, role=role, city=city or None, uscc=uscc or None, unit=unit or None,
                display_name=display_name or None, actor=scope.principal,
            )
        )
    except (InputError, NotFoundError) as exc:
        return _page(request, state, scope, lang, error=str(exc), status=400)
    request.session[FLASH] = {"kind": "ok", "text": f"已保存 / saved: {name}"}
    return RedirectResponse("/admin", status_code=303)


@pages.post("/admin/users/{name}/{action}")
async def action_form(
    request: Request, name: Name, action: Action, *, state: State, scope: UserScope,
    lang: Language,
) -> Response:
    _admin(scope)
    request.state.audit_target = f"user:{name}"
    try:
        temporary = await run_in_threadpool(_act, state, scope, name, action)
    except (InputError, NotFoundError) as exc:
        return _page(request, state, scope, lang, error=str(exc), status=400)
    if temporary:
        return _page(request, state, scope, lang,
                     issued={"username": accounts_name(name), "temporary_password": temporary})
    request.session[FLASH] = {"kind": "ok", "text": f"{action}: {accounts_name(name)}"}
    return RedirectResponse("/admin", status_code=303)


@pages.get("/admin/audit")
def audit_page(
    request: Request,
    *,
    state: State,
    scope: UserScope,
    lang: Language,
    action: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    _admin(scope)
    entries = state.accounts.audit_log(
        limit=AUDIT_PAGE_SIZE + 1, offset=(page - 1) * AUDIT_PAGE_SIZE, action=action or None
    )
    return render(
        request,
        "audit.html",
        lang,
        user=scope.principal,
        synthetic=False,
        entries=entries[:AUDIT_PAGE_SIZE],
        more=len(entries) > AUDIT_PAGE_SIZE,
        page=page,
        action=action,
        active="audit",
    )


@api.get("/admin/users")
def api_users(*, state: State, scope: UserScope) -> list[dict[str, Any]]:
    """Every account with its role, scope and state (admin only)."""
    _admin(scope)
    return [a.as_dict() for a in state.accounts.accounts()]


@api.post("/admin/users", responses={400: {"description": "无效 / invalid"}})
def api_create(request: Request, body: UserIn, *, state: State, scope: UserScope
               ) -> dict[str, Any]:
    """Create an account; an empty password issues a temporary one (shown once)."""
    _admin(scope)
    request.state.audit_target = f"user:{body.username}"[:200]
    return _create(state, scope, body)


@api.post("/admin/users/{name}/edit", responses={400: {"description": "无效 / invalid"}})
def api_edit(request: Request, name: Name, body: ScopeIn, *, state: State, scope: UserScope
             ) -> dict[str, Any]:
    """Change an account's role and scope (its sessions end)."""
    _admin(scope)
    request.state.audit_target = f"user:{name}"
    state.accounts.update_user(name, role=body.role, city=body.city, uscc=body.uscc,
                               unit=body.unit, display_name=body.display_name,
                               actor=scope.principal)
    return {"username": accounts_name(name)}


@api.post("/admin/users/{name}/{action}", responses={400: {"description": "无效 / invalid"}})
def api_action(request: Request, name: Name, action: Action, *, state: State,
               scope: UserScope) -> dict[str, Any]:
    """disable / enable / reset (returns a temporary password) / unlock an account."""
    _admin(scope)
    request.state.audit_target = f"user:{name}"
    temporary = _act(state, scope, name, action)
    return {"username": accounts_name(name), "action": action,
            "temporary_password": temporary}


@api.get("/admin/audit")
def api_audit(
    *,
    state: State,
    scope: UserScope,
    action: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> list[dict[str, Any]]:
    """The web audit log, newest first, 100 a page (``action``: a prefix, e.g. ``user.``)."""
    _admin(scope)
    return state.accounts.audit_log(
        limit=AUDIT_PAGE_SIZE, offset=(page - 1) * AUDIT_PAGE_SIZE, action=action or None
    )
