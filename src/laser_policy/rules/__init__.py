"""The incentive engine: the four money rules of 鄂政办发〔2024〕35号 as vectorised expressions.

Public surface::

    from laser_policy.rules import compute_entitlements, parameters_from_model
"""

from laser_policy.rules.compute import compute_entitlements, entitlement_rows
from laser_policy.rules.explain import OUTPUT_COLUMNS
from laser_policy.rules.parameters import IncentiveParameters, parameters_from_model

__all__ = [
    "OUTPUT_COLUMNS",
    "IncentiveParameters",
    "compute_entitlements",
    "entitlement_rows",
    "parameters_from_model",
]
