"""The data package contract (shared/contracts/DATA_PACKAGE.md) as declarations."""

from laser_policy.contracts.tables import TABLES, Column, Table, table

__all__ = ["TABLES", "Column", "Table", "table"]
