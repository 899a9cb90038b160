"""Who is logged in: password hashing, login rate limiting, roles and the principal.

- Passwords are hashed with argon2id (``argon2-cffi``'s defaults, RFC 9106 low-memory
  profile); hashes made with older parameters are re-hashed at the next login.
- Login attempts are rate-limited per (client IP, user name) with an in-memory token
  bucket: ``burst`` attempts at once, one more every ``refill_s`` seconds; and per
  client IP across user names (``ip_burst``, ``ip_refill_s``). A successful login does
  not refill the buckets. Repeated wrong passwords also lock the account itself (in the
  database, see ``laser_policy.web.accounts``). The bucket lives in the server process: with
  several worker processes each has its own (documented limit; a shared store such as
  Redis would be needed for a multi-process deployment).
- What a role may see is decided in ``laser_policy.web.access`` and nowhere else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted, encoded with its parameters)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; never raises on a bad hash."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


#: a hash of a random password: verified against when the user does not exist, so
#: that an unknown user name takes as long to refuse as a wrong password
DUMMY_HASH = hash_password("not-a-real-password-" + str(time.time_ns()))


class Role(StrEnum):
    """The five roles of the platform (DESIGN.md "Users and what they may see")."""

    ADMIN = "admin"
    TASKFORCE = "taskforce"
    DEPARTMENT = "department"
    CITY = "city"
    ENTERPRISE = "enterprise"


@dataclass(frozen=True)
class Principal:
    """A logged-in user as the web layer sees it.

    ``city`` is set for the city role (a full division name), ``uscc`` for the
    enterprise role, ``unit`` for a department (a unit name of the policy model).
    """

    user_id: int
    username: str
    role: Role
    display_name: str = ""
    city: str | None = None
    uscc: str | None = None
    unit: str | None = None
    #: an admin reset the password: every page but the password change is refused
    must_change_password: bool = False


class LoginRateLimiter:
    """Token buckets per (client IP, user name) and per client IP; thread-safe, in memory.

    An attempt needs a token in both: the first stops guessing one account's password,
    the second stops one address spraying many user names.
    """

    def __init__(
        self,
        burst: int,
        refill_s: float,
        clock: Callable[[], float] = time.monotonic,
        *,
        ip_burst: int | None = None,
        ip_refill_s: float | None = None,
    ) -> None:
        self.burst = burst
        self.refill_s = refill_s
        self.ip_burst = ip_burst if ip_burst is not None else 4 * burst
        self.ip_refill_s = ip_refill_s if ip_refill_s is not None else refill_s / 4
        self._clock = clock
        self._buckets: dict[tuple[str, str | None], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _limits(self, key: tuple[str, str | None]) -> tuple[float, float]:
        return (self.burst, self.refill_s) if key[1] is not None else (
            self.ip_burst, self.ip_refill_s
        )

    def _tokens(self, key: tuple[str, str | None], now: float) -> float:
        burst, refill = self._limits(key)
        tokens, last = self._buckets.get(key, (float(burst), now))
        return min(float(burst), tokens + (now - last) / refill)

    def take(self, ip: str, username: str) -> float:
        """Use one attempt; returns 0 when allowed, else the seconds to wait."""
        from laser_policy.web.passwords import normalise_username

        keys: tuple[tuple[str, str | None], ...] = (
            (ip, normalise_username(username.strip())),
            (ip, None),
        )
        now = self._clock()
        with self._lock:
            levels = [self._tokens(k, now) for k in keys]
            waits = [
                (1.0 - t) * self._limits(k)[1] for k, t in zip(keys, levels, strict=True)
                if t < 1.0
            ]
            if waits:
                for k, t in zip(keys, levels, strict=True):
                    self._buckets[k] = (t, now)
                return max(waits)
            for k, t in zip(keys, levels, strict=True):
                self._buckets[k] = (t - 1.0, now)
            if len(self._buckets) > 100_000:  # bound memory under a spray of names
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        for key in list(self._buckets):
            if self._tokens(key, now) >= self._limits(key)[0]:
                del self._buckets[key]
