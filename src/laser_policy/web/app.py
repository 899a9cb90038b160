"""The app factory: ``create_app(settings)`` builds everything; nothing happens at import."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import exc as sa_exc
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import Scope

from laser_policy import __version__
from laser_policy.errors import InputError, LedgerError, NotFoundError
from laser_policy.web.access import ForbiddenError
from laser_policy.web.accounts import Accounts, make_engine
from laser_policy.web.auth import LoginRateLimiter, Principal
from laser_policy.web.csrf import CsrfError, csrf_protect
from laser_policy.web.data import DataProvider, dispose_shared_engines, provider_for
from laser_policy.web.deps import (
    PASSWORD_PAGE,
    LoginRequiredError,
    PasswordChangeRequiredError,
    refuse_nul,
)
from laser_policy.web.i18n import LANG_COOKIE, LANGS, choose_lang, translate
from laser_policy.web.render import render, templates
from laser_policy.web.routes import api_routers, page_routers
from laser_policy.web.services.policy import PolicyInfo
from laser_policy.web.settings import WebSettings
from laser_policy.web.state import AppState

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: refusals worth an audit entry whatever the method (reads included); every 5xx too
AUDITED_STATUS = frozenset({400, 403, 413, 422, 429})
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'"
    ),
}
#: responses smaller than this are sent uncompressed (gzip would not pay)
GZIP_MIN_BYTES = 1000
#: static files asked for with the current ``?v=`` are cached by browsers for a year
STATIC_MAX_AGE_S = 365 * 86400


class VersionedStatic(StaticFiles):
    """The vendored static files: ``?v=<hash of the files>`` (the URL the templates write)
    is cacheable for a year, immutable; any other URL revalidates (ETag, Last-Modified)."""

    def __init__(self, directory: Path, version: str) -> None:
        super().__init__(directory=directory)
        self.version = version

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            query = scope.get("query_string", b"").decode("latin-1")
            if f"v={self.version}" in query.split("&"):
                response.headers["Cache-Control"] = (
                    f"public, max-age={STATIC_MAX_AGE_S}, immutable"
                )
            else:
                response.headers["Cache-Control"] = "no-cache"
        return response


def static_version(folder: Path) -> str:
    """A short hash of every static file (names and bytes): changes when any file does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def create_app(
    settings: WebSettings,
    *,
    data: DataProvider | None = None,
    policy_loader: Callable[[], PolicyInfo | None] | None = None,
) -> FastAPI:
    """Build the web app for ``settings`` (checked: unsafe production settings refused)."""
    settings.check()
    accounts = Accounts(
        make_engine(settings.database_url),
        lockout_failures=settings.lockout_failures,
        lockout_s=settings.lockout_s,
    )
    accounts.ensure_schema()
    state = AppState(
        settings=settings,
        accounts=accounts,
        data=data or provider_for(settings.data_path, settings.database_url, accounts.engine),
        limiter=LoginRateLimiter(
            settings.login_burst,
            settings.login_refill_s,
            ip_burst=settings.login_ip_burst,
            ip_refill_s=settings.login_ip_refill_s,
        ),
        policy_loader=policy_loader or PolicyInfo.load,
    )
    if policy_loader is None:
        # the policy pages show the primary policy in force (LASER_POLICY_MODELS)
        state.policy_loader = lambda: PolicyInfo.from_model(
            state.models()[0], dt.date.today().year
        )
    app = FastAPI(
        title="湖北省激光产业政策平台 API / Hubei Laser Industry Policy Platform API",
        version=__version__,
        description="鄂政办发〔2024〕35号。每个页面都有对应的JSON接口；需登录（会话Cookie），"
        "写操作需带 X-CSRF-Token 头（见 GET /api/csrf）。 / Every page has a JSON "
        "twin; log in first (session cookie); writes need the X-CSRF-Token header.",
        dependencies=[Depends(refuse_nul), Depends(csrf_protect)],
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.lp = state
    _middleware(app, settings, settings.secret_key or accounts.stored_secret())
    _handlers(app)
    static = Path(str(resources.files("laser_policy.web").joinpath("static")))
    version = static_version(static)
    templates().env.globals["static_v"] = version
    app.mount("/static", VersionedStatic(static, version), name="static")
    for router in page_routers():
        app.include_router(router, include_in_schema=False)
    for router in api_routers():
        app.include_router(router, prefix="/api")
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    # graceful shutdown: requests in flight are done; close the database connections
    state: AppState = app.state.lp
    state.accounts.engine.dispose()
    dispose_shared_engines()


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def _audit(request: Request, status: int, detail: dict[str, object]) -> None:
    """One web audit entry for this request (who, what, status, address)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if request.method not in UNSAFE:
        detail = {**detail, "query": str(request.url.query)[:300]} if request.url.query else detail
    await run_in_threadpool(
        request.app.state.lp.accounts.audit,
        principal,
        f"{request.method} {request.url.path}",
        getattr(request.state, "audit_target", request.url.path),
        status=status,
        ip=_client_ip(request),
        detail=detail,
    )


def _middleware(app: FastAPI, settings: WebSettings, secret_key: str) -> None:
    @app.middleware("http")
    async def audit_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            response = await call_next(request)
        except Exception as exc:
            await _audit(request, 500, {"error": type(exc).__name__})
            raise
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        lang = request.query_params.get("lang")
        if lang in LANGS:
            response.set_cookie(
                LANG_COOKIE,
                lang,
                max_age=365 * 86400,
                samesite="lax",
                secure=settings.cookie_secure,
                httponly=True,
            )
        status = response.status_code
        if request.method in UNSAFE or status in AUDITED_STATUS or status >= 500:
            await _audit(request, status, {})
        return response

    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES)
    # added last = outermost: the session is available to everything above
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key,
        session_cookie=settings.cookie_name,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.cookie_secure,
    )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, key: str, detail: str = "") -> Response:
    lang = choose_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
    message = translate(key, lang)
    if _wants_json(request):
        return JSONResponse(
            {"error": key, "message": message, "detail": detail}, status_code=status
        )
    principal = getattr(request.state, "principal", None)
    return render(
        request,
        "error.html",
        lang,
        user=principal,
        synthetic=False,
        status_code=status,
        message=message,
        detail=detail,
        status=status,
    )


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequiredError)
    async def login_required(request: Request, _exc: LoginRequiredError) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"error": "login_required", "message": "请先登录 / log in first"}, status_code=401
            )
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(PasswordChangeRequiredError)
    async def password_change_required(
        request: Request, _exc: PasswordChangeRequiredError
    ) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {
                    "error": "password_change_required",
                    "message": "请先修改密码（POST /api/account/password）/ "
                    "change your password first (POST /api/account/password)",
                },
                status_code=403,
            )
        return RedirectResponse(PASSWORD_PAGE, status_code=303)

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, _exc: CsrfError) -> Response:
        return _error(request, 403, "error.csrf")

    @app.exception_handler(ForbiddenError)
    async def forbidden(request: Request, exc: ForbiddenError) -> Response:
        return _error(request, 403, "error.403", str(exc))

    @app.exception_handler(LedgerError)
    async def ledger_refused(request: Request, exc: LedgerError) -> Response:
        return _error(request, 409, "error.refused", str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, "error.404", str(exc))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return _error(request, 400, "error.title", str(exc))

    @app.exception_handler(sa_exc.DataError)
    async def bad_value(request: Request, _exc: sa_exc.DataError) -> Response:
        # a value the database cannot hold (out of range …): the driver's text stays inside
        return _error(request, 400, "error.invalid_value")

    @app.exception_handler(Exception)
    async def server_error(request: Request, _exc: Exception) -> Response:
        # audited by the middleware; no internal detail (paths, driver text) shown, and
        # no template (it may be what failed)
        lang = choose_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        message = translate("error.500", lang)
        if _wants_json(request):
            return JSONResponse({"error": "error.500", "message": message}, status_code=500)
        return HTMLResponse(
            f'<!doctype html><meta charset="utf-8"><title>500</title>'
            f'<p id="error-message">{html.escape(message)}</p><p><a href="/">/</a></p>',
            status_code=500,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {
                    "error": "invalid_request",
                    "message": "请求参数无效 / invalid request",
                    "detail": jsonable_encoder(exc.errors()),
                },
                status_code=422,
            )
        return _error(request, 422, "error.title", "请求参数无效 / invalid request")
