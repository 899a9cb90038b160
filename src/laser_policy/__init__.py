"""laser-policy: Hubei's laser-industry policy (鄂政办发〔2024〕35号) as working software.

The public surface is small on purpose; everything else lives in sub-packages.
"""

from laser_policy.errors import (
    DataValidationError,
    DocumentError,
    InputError,
    LaserPolicyError,
    LedgerError,
    PolicyModelError,
    Problem,
    UsageError,
)

__version__ = "0.1.0"

__all__ = [
    "DataValidationError",
    "DocumentError",
    "InputError",
    "LaserPolicyError",
    "LedgerError",
    "PolicyModelError",
    "Problem",
    "UsageError",
    "__version__",
]
