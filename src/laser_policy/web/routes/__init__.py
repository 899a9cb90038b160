"""Thin routes: parse the request, call a service, render HTML or return JSON."""

from __future__ import annotations

from types import ModuleType

from fastapi import APIRouter

from laser_policy.web.routes import (
    account,
    admin,
    auth,
    chain,
    data,
    enterprises,
    evaluation,
    funds,
    health,
    incentives,
    measures,
    overview,
    policy,
    projects,
)

#: every page module, in menu order; each has ``pages`` and ``api`` routers
MODULES: tuple[ModuleType, ...] = (
    auth,
    overview,
    enterprises,
    policy,
    measures,
    projects,
    funds,
    chain,
    incentives,
    evaluation,
    data,
    account,
    admin,
    health,
)


def page_routers() -> list[APIRouter]:
    return [m.pages for m in MODULES]


def api_routers() -> list[APIRouter]:
    return [m.api for m in MODULES]
