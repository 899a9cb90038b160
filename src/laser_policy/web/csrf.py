"""CSRF protection for every state-changing request (synchroniser token pattern).

Each session carries a random token (``session["csrf"]``). Every POST, PUT, PATCH
and DELETE must send it back, as the form field ``csrf_token`` (HTML forms, put
there by the ``csrf_field()`` template helper) or the header ``X-CSRF-Token``
(JSON API; ``GET /api/csrf`` hands it out). The check is one application-wide
dependency, so no route can forget it. The session cookie is also
``SameSite=Lax``, a second line of defence.
"""

from __future__ import annotations

import secrets

from fastapi import Request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfError(Exception):
    """The request's CSRF token is missing or wrong (HTTP 403)."""


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Application-wide dependency: reject unsafe requests without the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get(HEADER)
    if not sent and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        form = await request.form()
        value = form.get(FORM_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(expected, sent):
        raise CsrfError
