"""The incentive engine: the incentives a policy model declares, computed by kind as
vectorised expressions (one model, or several policies in force together).

Public surface::

    from laser_policy.rules import compute_all, compute_entitlements, parameters_from_model
"""

from laser_policy.rules.compute import compute_all, compute_entitlements, entitlement_rows
from laser_policy.rules.explain import OUTPUT_COLUMNS
from laser_policy.rules.parameters import IncentiveParameters, parameters_from_model

__all__ = [
    "OUTPUT_COLUMNS",
    "IncentiveParameters",
    "compute_all",
    "compute_entitlements",
    "entitlement_rows",
    "parameters_from_model",
]
