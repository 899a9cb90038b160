"""Thin routes: parse the request, call a service, render HTML or return JSON."""

from __future__ import annotations

from fastapi import APIRouter

from laser_policy.web.routes import auth, data, enterprises, incentives, overview, policy


def page_routers() -> list[APIRouter]:
    return [
        auth.pages,
        overview.pages,
        enterprises.pages,
        policy.pages,
        incentives.pages,
        data.pages,
    ]


def api_routers() -> list[APIRouter]:
    return [auth.api, overview.api, enterprises.api, policy.api, incentives.api, data.api]
