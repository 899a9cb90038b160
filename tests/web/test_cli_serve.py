"""``laser-policy serve`` refuses unsafe production settings; accounts work on both back-ends."""

from __future__ import annotations

import os
import subprocess
import sys

from laser_policy.web.accounts import Accounts, NewUser, make_engine
from laser_policy.web.auth import Role


def test_serve_refuses_to_start_in_production_without_a_secret() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LASER_POLICY_")}
    env["LASER_POLICY_ENV"] = "production"
    result = subprocess.run(
        [sys.executable, "-m", "laser_policy", "serve", "--port", "1"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert "LASER_POLICY_SECRET_KEY" in result.stderr


def test_accounts_and_audit_on_each_backend(db_url: str) -> None:
    accounts = Accounts(make_engine(db_url))
    accounts.ensure_schema()
    created = accounts.create_user(NewUser("wuhan", "a-long-password", Role.CITY, city="武汉"))
    assert created.city == "武汉市"
    assert accounts.authenticate("wuhan", "a-long-password") == created
    assert accounts.authenticate("wuhan", "wrong-password") is None
    assert accounts.authenticate("nobody", "a-long-password") is None
    accounts.audit(created, "POST /x", "/x", status=200, ip="127.0.0.1", detail={"k": "v"})
    log = accounts.audit_log()
    assert [e["action"] for e in log] == ["POST /x", "user.create"]
    assert log[0]["detail"] == {"k": "v"}
    accounts.engine.dispose()
