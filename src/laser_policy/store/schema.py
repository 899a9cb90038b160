"""The whole relational schema: the store's tables and those other packages declare on its Base.

Alembic's ``env.py`` and the schema tests read :func:`metadata`, so the schema is
complete whatever was imported before.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from laser_policy.store.models import Base

#: modules that declare tables on the store's Base, beside ``store.models``
MODEL_MODULES = (
    "laser_policy.web.models",
    "laser_policy.ledger.models",
    "laser_policy.tasks.models",
)


def metadata() -> MetaData:
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata
