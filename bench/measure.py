"""Measuring one benchmark run in its own process: best-of timing, peak RSS, versions.

Shared by the benchmarks that run each case in a fresh child process (see
``bench/incentives.py``). Linux only for the memory part (``/proc/self``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any


def status_kib(field: str) -> int:
    """A ``/proc/self/status`` field in KiB, e.g. ``VmRSS`` (now) or ``VmHWM`` (peak)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SystemExit(f"/proc/self/status has no {field}")


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False where that is not allowed,
    and the peak then still counts what came before."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs of ``fn`` in seconds, and the first run's result."""
    best, first = float("inf"), None
    for i in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        if i == 0:
            first = result
    return best, first


def versions(names: Iterable[str]) -> dict[str, str]:
    """Installed versions of the named distributions, for the record."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found
