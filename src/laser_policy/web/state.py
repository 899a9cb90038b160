"""What one running app holds: settings, accounts, data, policy, limiter, caches."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from laser_policy.web.accounts import Accounts
from laser_policy.web.auth import LoginRateLimiter
from laser_policy.web.data import DataProvider
from laser_policy.web.services.policy import PolicyInfo
from laser_policy.web.settings import WebSettings

if TYPE_CHECKING:
    from laser_policy.policy.model import PolicyModel

#: computations kept by an app (data snapshots × scopes × languages …), least recently used out
CACHE_SIZE = 1000


class ComputeCache:
    """Results of computations on immutable data snapshots, by key (the key includes the
    snapshot's version): bounded, least recently used out, thread-safe.

    One computation at a time, so a burst of first requests computes once; re-entrant,
    so a cached computation may itself use the cache (the overview uses ``monitor()``'s).
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._compute_lock = threading.RLock()
        #: how many computations ran (not served from the cache)
        self.computed = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _get(self, key: tuple[Any, ...]) -> tuple[bool, Any]:
        with self._lock:
            if key not in self._entries:
                return False, None
            self._entries.move_to_end(key)
            return True, self._entries[key]

    def get_or_compute(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        found, hit = self._get(key)
        if found:
            return hit
        with self._compute_lock:
            found, hit = self._get(key)
            if found:
                return hit
            hit = compute()
            with self._lock:
                self._entries[key] = hit
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
                self.computed += 1
        return hit


@dataclass
class AppState:
    settings: WebSettings
    accounts: Accounts
    data: DataProvider
    limiter: LoginRateLimiter
    policy_loader: Callable[[], PolicyInfo | None] = PolicyInfo.load
    _policy: PolicyInfo | None = None
    _models: tuple[PolicyModel, ...] = ()
    _policy_loaded: bool = False
    _cache: ComputeCache = field(default_factory=ComputeCache)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _models_lock: threading.Lock = field(default_factory=threading.Lock)

    def policy(self) -> PolicyInfo | None:
        if not self._policy_loaded:
            with self._lock:
                if not self._policy_loaded:
                    self._policy = self.policy_loader()
                    self._policy_loaded = True
        return self._policy

    def models(self) -> tuple[PolicyModel, ...]:
        """The policies in force (``settings.models``; default the packaged model),
        loaded once at the first request that needs them."""
        if not self._models:
            from laser_policy.policy.model import load_models

            with self._models_lock:
                if not self._models:
                    self._models = load_models(self.settings.models)
        return self._models

    def model(self) -> PolicyModel:
        """The primary policy in force (the first of ``models()``): the one a
        single-policy page (overview, measures, projects, report) shows."""
        return self.models()[0]

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """Memoise a computation on an immutable data snapshot (key includes its version)."""
        return self._cache.get_or_compute(key, compute)
