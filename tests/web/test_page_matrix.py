"""Every new page × every role: who may open it (access.py), and no untranslated key shows."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from laser_policy.web.i18n import catalog

ROLES = ("admin", "taskforce", "dept", "city", "firm")
#: page -> roles allowed (the rest get 403)
PAGES = {
    "/incentives": set(ROLES),
    "/projects": set(ROLES),
    "/measures": {"admin", "taskforce", "dept"},
    "/reports": {"admin", "taskforce", "dept"},
    "/chain": {"admin", "taskforce", "dept", "city"},
    "/data": {"admin", "taskforce"},
    "/evaluation": {"admin", "taskforce", "dept"},
}
KEY = re.compile(r"\b(?:inc|data|meas|proj|rep|chain|nav|flag|ledger|eval)\.[a-z_]+\b")


@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(client_for: Callable[[str], TestClient], role: str) -> None:
    client = client_for(role)
    for path, allowed in PAGES.items():
        for lang in ("zh", "en"):
            r = client.get(path, params={"lang": lang})
            assert r.status_code == (200 if role in allowed else 403), (path, role)
            if r.status_code == 200:
                leaked = {k for k in KEY.findall(r.text) if k in catalog()}
                assert not leaked, (path, lang, leaked)
        in_menu = f'href="{path}"' in client.get("/").text
        assert in_menu == (role in allowed), (path, role)
