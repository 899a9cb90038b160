"""What one running app holds: settings, accounts, data, policy, limiter, caches."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from laser_policy.web.accounts import Accounts
from laser_policy.web.auth import LoginRateLimiter
from laser_policy.web.data import DataProvider
from laser_policy.web.services.policy import PolicyInfo
from laser_policy.web.settings import WebSettings


@dataclass
class AppState:
    settings: WebSettings
    accounts: Accounts
    data: DataProvider
    limiter: LoginRateLimiter
    policy_loader: Callable[[], PolicyInfo | None] = PolicyInfo.load
    _policy: PolicyInfo | None = None
    _policy_loaded: bool = False
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _compute_lock: threading.RLock = field(default_factory=threading.RLock)

    def policy(self) -> PolicyInfo | None:
        if not self._policy_loaded:
            with self._lock:
                if not self._policy_loaded:
                    self._policy = self.policy_loader()
                    self._policy_loaded = True
        return self._policy

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Memoise a computation on an immutable data snapshot (key includes its version)."""
        if key in self._cache:
            return self._cache[key]
        with self._compute_lock:  # one computation at a time: no stampede on a cold cache
            if key in self._cache:
                return self._cache[key]
            hit = compute()
            with self._lock:
                if len(self._cache) > 1000:
                    self._cache.clear()
                self._cache[key] = hit
        return hit
