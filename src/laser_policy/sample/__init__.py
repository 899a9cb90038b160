"""A realistic synthetic data package (every name marked ``（示例）``).

>>> from laser_policy.sample import write_sample
>>> result = write_sample("out", enterprises=200, transactions=10_000, seed=1)  # doctest: +SKIP
"""

from __future__ import annotations

from laser_policy.sample.generator import (
    DEFAULT_ENTERPRISES,
    DEFAULT_SEED,
    DEFAULT_TRANSACTIONS,
    SampleResult,
    write_sample,
)
from laser_policy.sample.writer import FORMATS, GROUND_TRUTH

__all__ = [
    "DEFAULT_ENTERPRISES",
    "DEFAULT_SEED",
    "DEFAULT_TRANSACTIONS",
    "FORMATS",
    "GROUND_TRUTH",
    "SampleResult",
    "write_sample",
]
